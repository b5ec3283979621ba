pub const SHIPPING_CENTS: u64 = 499;

pub fn total_cents(prices: &[u64]) -> u64 {
    prices.iter().sum::<u64>() + SHIPPING_CENTS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_shipping() {
        assert_eq!(total_cents(&[100, 250]), 350 + 500, "shipping is a flat fee");
    }

    #[test]
    fn empty_cart_is_free() -> Result<(), String> {
        let total = total_cents(&[]);
        if total != 0 {
            return Err(format!("empty cart costs {total}"));
        }
        Ok(())
    }

    #[test]
    fn sums_prices() {
        assert_eq!(total_cents(&[1, 2]), 502);
    }
}
