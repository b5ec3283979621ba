package tax

// Of is the tax on an amount in cents, at rate percent.
func Of(amount, rate int) int { return amount * rate / 100 }
