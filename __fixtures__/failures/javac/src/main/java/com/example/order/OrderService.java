package com.example.order;

import java.util.List;

public class OrderService {
    private final OrderRepository repository;

    public OrderService(OrderRepository repository) {
        this.repository = repository;
    }

    public Order place(List<OrderLine> lines) {
        Order order = new Order(lines);
        repository.save(order);
        String id = order.total();
        return order;
    }
}
