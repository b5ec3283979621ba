from dataclasses import dataclass
from decimal import Decimal


@dataclass
class OrderLine:
    sku: str
    price: Decimal
    quantity: int


def total(lines):
    return sum((line.price * line.quantity for line in lines), Decimal("0"))


def place(lines):
    if not lines:
        raise ValueError("an order needs at least one line")
    return {"lines": lines, "total": total(lines)}
