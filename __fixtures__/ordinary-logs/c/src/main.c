#include "cart.h"
int main(void) {
    int prices[] = {3, 4, 5};
    cart_print(cart_total(prices, 3));
    return 0;
}
