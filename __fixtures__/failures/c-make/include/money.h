#ifndef MONEY_H
#define MONEY_H

typedef long cents_t;

static inline cents_t to_cents(double amount)
{
    return (cents_t)(amount * 100)
}

#endif
