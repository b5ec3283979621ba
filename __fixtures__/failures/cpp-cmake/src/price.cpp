#include <vector>

#include "shop/cart.hpp"

namespace shop {

long discounted(const std::vector<long> &prices, double rate)
{
    long full = sum_prices(prices);
    return static_cast<long>(full * (1.0 - rate));
}

} // namespace shop
