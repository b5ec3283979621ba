package com.example.order;

import java.math.BigDecimal;
import java.util.List;

public class Order {
    private final List<OrderLine> lines;

    public Order(List<OrderLine> lines) {
        this.lines = lines;
    }

    public BigDecimal total() {
        BigDecimal sum = BigDecimal.ZERO;
        for (OrderLine line : lines) {
            sum = sum.add(line.price().multiply(BigDecimal.valueOf(line.quantity())));
        }
        return sum;
    }

    public int count() {
        return lines.size();
    }
}
