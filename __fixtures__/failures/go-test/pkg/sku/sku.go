// Package sku parses stock keeping units.
package sku

import (
	"fmt"
	"strconv"
	"strings"
)

// Parse splits a SKU such as "A-1" into its family and number.
func Parse(text string) (string, int, error) {
	family, number, ok := strings.Cut(text, "-")
	if !ok {
		return "", 0, fmt.Errorf("sku %q has no dash", text)
	}
	n, err := strconv.Atoi(number)
	return family, n, err
}
