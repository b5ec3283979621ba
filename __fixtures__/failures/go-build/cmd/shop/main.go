package main

import (
	"fmt"
	"os"

	"example.com/shop/pkg/money"
)

func main() {
	fmt.Println(money.Format(1999, "EUR"))
}
