use cart::total::total_cents;

#[test]
fn applies_discount() {
    let total = total_cents(&[1000]);
    assert!(total < 1000, "discount not applied: total is {}", total);
}

#[test]
fn rounds_to_cents() {
    let prices: Vec<u64> = "12,x".split(',').map(|p| p.parse().unwrap()).collect();
    assert_eq!(total_cents(&prices), 511);
}
