package cart

import "testing"

func TestTotal(t *testing.T) {
	cases := map[string]struct {
		prices []int
		want   int
	}{"empty": {nil, 0}, "two": {[]int{3, 4}, 7}}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if got := Total(c.prices); got != c.want {
				t.Errorf("Total(%v) = %d, want %d", c.prices, got, c.want)
			}
		})
	}
}
