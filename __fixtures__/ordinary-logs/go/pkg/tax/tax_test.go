package tax

import "testing"

func TestOf(t *testing.T) {
	if got := Of(1000, 8); got != 80 {
		t.Fatalf("Of(1000, 8) = %d", got)
	}
}
