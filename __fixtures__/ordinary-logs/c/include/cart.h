#ifndef CART_H
#define CART_H
int cart_total(const int *prices, int count);
void cart_print(int total);
#endif
