pub mod total;

pub struct Order {
    pub id: String,
    pub items: Vec<u64>,
}

impl Order {
    pub fn new(id: &str) -> Order {
        Order { id: id.to_string(), items: Vec::new() }
    }

    pub fn label(&self) -> String {
        let count: u32 = self.items.len();
        format!("{} ({} items)", self.id, count)
    }
}
