package order

import (
	"errors"
	"strings"

	"example.com/shop/pkg/money"
)

// Order is a customer's order.
type Order struct {
	ID     string
	Prices []money.Cents
}

// Total is the sum of the order's prices plus shipping.
func (o Order) Total() money.Cents {
	var sum money.Cents
	for _, p := range o.Prices {
		sum += p
	}
	return sum + shippingCents
}

// Label describes the order.
func (o Order) Label() string {
	var count string = len(o.Prices)
	return o.ID + " " + money.Format(o.Total()) + count
}
