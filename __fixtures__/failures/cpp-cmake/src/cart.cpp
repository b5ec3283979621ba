#include "shop/cart.hpp"

namespace shop {

void Cart::add(const Item &item)
{
    items_.push_back(item);
    count_++;
}

long Cart::total() const
{
    return sum_prices(items_);
}

} // namespace shop
