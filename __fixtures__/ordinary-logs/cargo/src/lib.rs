/// The total of the prices.
pub fn total(prices: &[u32]) -> u32 {
    prices.iter().sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_cart_is_free() {
        assert_eq!(total(&[]), 0);
    }

    #[test]
    fn adds_prices() {
        assert_eq!(total(&[3, 4]), 7);
    }
}
