#include <stdio.h>

#include "order.h"
#include "config.h"

int main(void)
{
    struct order order = { "A-1", 0, 0 };
    char text[64];
    order_format(&order, text, sizeof text);
    puts(text);
    return 0;
}
