package cart

import "testing"

func TestTotal(t *testing.T) {
	if got, want := Total([]int{100, 250}), 850; got != want {
		t.Errorf("Total() = %d, want %d", got, want)
	}
}

func TestTotalCases(t *testing.T) {
	cases := []struct {
		name   string
		prices []int
		want   int
	}{
		{"empty", nil, 0},
		{"one", []int{1}, 500},
		{"two", []int{1, 2}, 503},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Logf("prices %v", c.prices)
			if got := Total(c.prices); got != c.want {
				t.Fatalf("Total(%v) = %d, want %d\nshipping is %d", c.prices, got, c.want, ShippingCents)
			}
		})
	}
}

func TestItem(t *testing.T) {
	if Item([]int{1}, 1) != 1 {
		t.Error("wrong item")
	}
}
