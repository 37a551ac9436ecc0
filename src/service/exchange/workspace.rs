//! Nextgen documents into a ZITADEL workspace (`zitadel.json` + `.zitadel/schemas/`) and
//! into the store, the steps `schemadesk import|export --workspace` share.

use std::path::Path;

use serde_json::Value;

use crate::nextgen::Target;
use crate::nextgen::workspace::{Saved, SchemaFile, Workspace, WorkspaceError};
use crate::schema::UserSchemaDraft;
use crate::store::{SaveOutcome, Store, StoreError};

/// Where a document went.
#[derive(Debug)]
pub enum Placed {
    /// The file already held this document.
    Unchanged(SchemaFile),
    /// The file was rewritten with only the change.
    Updated(SchemaFile),
    /// A new file, named after the objectType.
    Created(std::path::PathBuf),
}

impl Placed {
    pub fn path(&self) -> &Path {
        match self {
            Placed::Unchanged(f) | Placed::Updated(f) => &f.path,
            Placed::Created(p) => p,
        }
    }
}

/// Writes `doc` into `file`, or into a new file named after `object_type` when there is
/// none. The workspace refuses an invalid document or a changed objectType, writing nothing.
pub fn place(
    ws: &Workspace,
    doc: &Value,
    object_type: &str,
    file: Option<SchemaFile>,
) -> Result<Placed, WorkspaceError> {
    Ok(match file {
        Some(f) => match ws.save(&f, doc)? {
            Saved::Unchanged => Placed::Unchanged(f),
            Saved::Written => Placed::Updated(f),
        },
        None => Placed::Created(ws.create_file(&crate::files::file_stem_for(object_type), doc)?),
    })
}

/// Keeps a nextgen document as a revision of the store's schema of `type_name`.
pub fn save_local(
    store: &mut Store,
    type_name: &str,
    doc: Value,
    message: &str,
) -> Result<SaveOutcome, StoreError> {
    let draft = UserSchemaDraft::new(type_name, doc, []);
    store.save_with_target(&draft, message, Target::Nextgen)
}
