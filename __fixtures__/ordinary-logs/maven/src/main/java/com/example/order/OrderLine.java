package com.example.order;

import java.math.BigDecimal;

public record OrderLine(String sku, BigDecimal price, int quantity) {}
