//! Writes an example model as an exchange file to stdout (for a look in Archi).
#![allow(clippy::unwrap_used)]
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let model = tributary_core::exchange::from_json(&text).unwrap();
    print!(
        "{}",
        tributary_interchange::archimate::write(&model, None).unwrap()
    );
}
