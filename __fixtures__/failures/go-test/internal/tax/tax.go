// Package tax works out VAT.
package tax

// VAT is the VAT on an amount in cents at a rate in percent.
func VAT(cents, rate int) int {
	return cents * rate / 100
}
