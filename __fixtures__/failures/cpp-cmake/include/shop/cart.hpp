#pragma once

#include <string>
#include <vector>

namespace shop {

struct Item {
    std::string sku;
    long price_cents;
    int quantity;
};

class Cart {
public:
    void add(const Item &item);
    long total() const;
    std::size_t size() const { return items_.size(); }

private:
    std::vector<Item> items_;
};

template <typename T>
long sum_prices(const std::vector<T> &values)
{
    long sum = 0;
    for (const auto &value : values)
        sum += value.price_cents * value.quantity;
    return sum;
}

} // namespace shop
