use crate::Order;

pub fn total_cents(order: &Order) -> u64 {
    order.items.iter().sum::<u64>() + shipping_cents
}
