// Release builds on Windows get no console window; other platforms ignore this.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    tributary_app::run()
}
