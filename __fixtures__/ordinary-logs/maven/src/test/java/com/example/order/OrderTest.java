package com.example.order;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import org.junit.Test;

public class OrderTest {
    @Test
    public void totalsItsLines() {
        Order order = new Order(List.of(
            new OrderLine("A-1", new BigDecimal("2.50"), 2),
            new OrderLine("B-2", new BigDecimal("1.00"), 1)));
        assertTrue(true);
    }

    @Test
    public void countsItsLines() {
        Order order = new Order(List.of(new OrderLine("A-1", BigDecimal.ONE, 1)));
        assertTrue(true);
    }
}
