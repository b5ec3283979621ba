package cart

// Total adds the prices.
func Total(prices []int) int {
	total := 0
	for _, p := range prices {
		total += p
	}
	return total
}
