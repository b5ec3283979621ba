//! A shopping cart.

pub mod total;

/// Parses a SKU such as `A-1`.
///
/// ```
/// assert_eq!(cart::parse_sku("A-1"), Some(("A", 1)));
/// assert_eq!(cart::parse_sku("B-2"), Some(("B", 3)));
/// ```
pub fn parse_sku(text: &str) -> Option<(&str, u32)> {
    let (family, number) = text.split_once('-')?;
    Some((family, number.parse().ok()?))
}

pub fn checked_quantity(quantity: i32) -> u32 {
    quantity.max(0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_family() {
        println!("parsing A-1");
        assert_eq!(parse_sku("A-1").unwrap().0, "A");
    }

    #[test]
    #[should_panic(expected = "negative quantity")]
    fn rejects_negative_quantity() {
        checked_quantity(-1);
    }
}
