//! Integration tests of the core: validation rules, the SQLite store and every local CLI command.

mod architecture;
mod cli;
mod store;
mod validation;

use std::path::{Path, PathBuf};

/// The examples shipped with the server contract.
pub fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/examples")
}
