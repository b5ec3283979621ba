// Package cart sums the prices of a shopping cart.
package cart

// ShippingCents is the flat shipping fee.
const ShippingCents = 499

// Total is the sum of the prices plus shipping.
func Total(prices []int) int {
	sum := 0
	for _, p := range prices {
		sum += p
	}
	return sum + ShippingCents
}

// Item returns the i-th price.
func Item(prices []int, i int) int {
	return prices[i]
}
