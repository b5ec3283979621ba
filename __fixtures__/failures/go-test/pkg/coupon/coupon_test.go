package coupon

import "testing"

func TestApply(t *testing.T) {
	if got := Apply(1000, "TEN"); got != 900 {
		t.Errorf("Apply = %d", got)
	}
}
