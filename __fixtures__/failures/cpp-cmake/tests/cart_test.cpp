#include <cassert>

#include "shop/cart.hpp"

int main()
{
    shop::Cart cart;
    cart.add({"A-1", 250, 2});
    assert(cart.total() == 500);
    return 0;
}
