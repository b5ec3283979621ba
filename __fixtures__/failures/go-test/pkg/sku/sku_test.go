package sku

import "testing"

func TestParse(t *testing.T) {
	family, n, err := Parse("A-1")
	if err != nil {
		t.Fatal(err)
	}
	if family != "A" || n != 1 {
		t.Errorf("Parse(%q) = %q, %d", "A-1", family, n)
	}
}

func TestParseRejects(t *testing.T) {
	t.Parallel()
	for _, text := range []string{"A1", "-1", "A-x"} {
		text := text
		t.Run(text, func(t *testing.T) {
			t.Parallel()
			if _, _, err := Parse(text); err == nil {
				t.Errorf("Parse(%q) accepted", text)
			}
		})
	}
}
