#include <stdio.h>

#include "order.h"
#include "money.h"

void report_print(const struct order *order)
{
    long prices[] = { 100, 250 };
    char line[80];
    const char *total = order_total(order, prices, 2);
    order_format(order, line);
    printf("%s %s %ld\n", line, total, to_cents(1.5));
}
