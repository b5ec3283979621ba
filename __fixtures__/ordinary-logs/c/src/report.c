#include <stdio.h>
#include "cart.h"
void cart_print(int total) { printf("total: %d\n", total); }
