//! Expression evaluation benchmark (being written).
fn main() {}
