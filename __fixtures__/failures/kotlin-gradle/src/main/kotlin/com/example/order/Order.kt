package com.example.order

import java.math.BigDecimal

data class OrderLine(val sku: String, val price: BigDecimal, val quantity: Int)

class Order(private val lines: List<OrderLine>) {
    fun total(): BigDecimal =
        lines.fold(BigDecimal.ZERO) { sum, line -> sum + line.price * line.quantity.toBigDecimal() }

    fun count(): Int {
        val unused = lines.isEmpty()
        return totl(lines)
    }
}
