package tax

import "testing"

func TestVAT(t *testing.T) {
	if got := VAT(1000, 20); got != 200 {
		t.Errorf("VAT = %s", got)
	}
}
