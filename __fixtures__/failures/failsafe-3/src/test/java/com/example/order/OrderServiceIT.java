package com.example.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OrderServiceIT {
    private final OrderService service = new OrderService();

    @Test
    void placesOrder() {
        Order order = service.place(List.of(new OrderLine("A-1", BigDecimal.TEN, 3)));
        assertEquals(3, order.count(), "lines of the order");
    }

    @Test
    @DisplayName("rejects an empty order")
    void rejectsAnEmptyOrder() {
        service.place(List.of());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void countsLines(int quantity) {
        Order order = service.place(List.of(new OrderLine("A-1", BigDecimal.ONE, quantity)));
        assertEquals(quantity, order.total().intValue() * 2);
    }

    @Nested
    class WhenPlaced {
        @Test
        void findsIt() {
            service.place(List.of(new OrderLine("A-1", BigDecimal.TEN, 1)));
            assertNotNull(service.find(1));
        }
    }
}
