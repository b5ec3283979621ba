#include <stdio.h>

#include "order.h"

long order_total(const struct order *order, const long *prices, size_t count)
{
    long sum = 0;
    for (size_t i = 0; i < count; i++)
        sum += prices[i];
    return sum + shipping_cents;
}

int order_format(const struct order *order, char *out, size_t size)
{
    return snprintf(out, size, "%s: %ld", order->id, order->total);
}
