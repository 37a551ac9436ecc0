//! Which meta-schemas a nextgen document file is checked against when it is validated or
//! imported (the import itself is `crate::service::exchange::import`).

use std::path::Path;

use super::validate::MetaSet;
use super::workspace::{CONFIG_FILE, Workspace, WorkspaceError};

/// The meta-schemas for a file: those of the workspace it lies in, when that workspace
/// pins any in `.zitadel/meta/`, else the bundled one.
pub fn metas_for(file: &Path) -> Result<MetaSet, WorkspaceError> {
    let start = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    for dir in start.ancestors().skip(1) {
        if dir.join(CONFIG_FILE).is_file() && dir.join(".zitadel").is_dir() {
            return Workspace { root: dir.into() }.metas();
        }
    }
    Ok(MetaSet::bundled())
}
