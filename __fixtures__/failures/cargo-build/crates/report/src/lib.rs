#![deny(unused_variables)]

pub fn render(lines: &[String]) -> String {
    let header = "Report";
    lines.join("\n")
}
