#ifndef ORDER_H
#define ORDER_H

#include <stddef.h>

struct order {
    const char *id;
    long total_cents;
    size_t item_count;
};

long order_total(const struct order *order, const long *prices, size_t count);
int order_format(const struct order *order, char *out, size_t size);

#endif
