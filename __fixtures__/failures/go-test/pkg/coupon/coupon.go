// Package coupon applies discount codes.
package coupon

// Percent is the discount of a code in percent.
func Percent(code string) int {
	if code == "TEN" {
		return 10
	}
	return 0
}
