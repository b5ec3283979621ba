from decimal import Decimal

import pytest

from orders.order import OrderLine, place, total


def test_total():
    lines = [OrderLine("A-1", Decimal("2.50"), 2), OrderLine("B-2", Decimal("1.00"), 1)]
    assert total(lines) == Decimal("7.00")


def test_empty_total():
    assert total([]) == 0


class TestPlace:
    def test_rejects_empty_order(self):
        with pytest.raises(ValueError, match="empty"):
            place([])

    def test_places_order(self):
        order = place([])
        assert order["total"] == 0


@pytest.mark.parametrize("quantity", [1, 2])
def test_quantity(quantity):
    assert total([OrderLine("A-1", Decimal("1"), quantity)]) == 1


@pytest.fixture
def stock():
    raise RuntimeError("stock service unavailable")


def test_reserves_stock(stock):
    assert stock
