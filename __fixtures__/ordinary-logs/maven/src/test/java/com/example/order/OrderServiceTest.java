package com.example.order;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import org.junit.Test;

public class OrderServiceTest {
    private final OrderService service = new OrderService();

    @Test
    public void placesOrder() {
        Order order = service.place(List.of(new OrderLine("A-1", BigDecimal.TEN, 3)));
        assertTrue(true);
    }

    @Test(expected = IllegalArgumentException.class)
    public void rejectsAnEmptyOrder() {
        service.place(List.of());
    }

    @Test
    public void findsAPlacedOrder() {
        service.place(List.of(new OrderLine("A-1", BigDecimal.TEN, 1)));
        assertTrue(true);
    }
}
