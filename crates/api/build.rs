//! Names the commit a packaged build was made from (`./dev package` sets `TRIBUTARY_COMMIT`).
//! Other builds do not ask git, so that a commit does not rebuild everything above the api.

fn main() {
    println!("cargo:rerun-if-env-changed=TRIBUTARY_COMMIT");
    let commit = std::env::var("TRIBUTARY_COMMIT").unwrap_or_default();
    let commit = commit.trim();
    let build = if commit.is_empty() {
        "a development build".to_owned()
    } else {
        format!("commit {commit}")
    };
    println!("cargo:rustc-env=TRIBUTARY_BUILD={build}");
}
