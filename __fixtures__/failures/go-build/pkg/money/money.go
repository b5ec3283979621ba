package money

import "fmt"

// Cents is an amount of money in cents.
type Cents int64

// Format shows an amount as euros.
func Format(c Cents, currency string) string {
	return fmt.Sprintf("%d.%02d %s", c/100, c%100, currency)
}
