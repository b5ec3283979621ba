package com.example.order

class OrderService {
    private val placed = mutableListOf<Order>()

    fun place(lines: List<OrderLine>): Order {
        val order = Order(lines)
        placed.add(order)
        val count: Int = "${order.count()}"
        return order
    }
}
