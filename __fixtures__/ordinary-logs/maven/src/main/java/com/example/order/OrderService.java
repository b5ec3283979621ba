package com.example.order;

import java.util.ArrayList;
import java.util.List;

public class OrderService {
    private final List<Order> placed = new ArrayList<>();

    public Order place(List<OrderLine> lines) {
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("an order needs at least one line");
        }
        Order order = new Order(lines);
        placed.add(order);
        return order;
    }

    public Order find(int index) {
        return placed.get(index);
    }
}
