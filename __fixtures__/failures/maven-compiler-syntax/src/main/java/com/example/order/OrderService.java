package com.example.order;

import java.util.List;

public class OrderService {
    public Order place(List<OrderLine> lines) {
        return new Order(lines);
    }
}
