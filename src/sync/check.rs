//! What may be sent to a server and what may be taken from one: the same validation as a local
//! save, before a push and before an import. Pure: no store, no network.

use super::client::{check_id, clean_message};
use super::error::SyncError;
use super::model::RemoteSchema;
use crate::schema::{Source, UserSchemaDraft, validate};

/// Checks a draft with the one validation engine before anything is sent.
pub fn check_draft(draft: &UserSchemaDraft) -> Result<(), SyncError> {
    let text = draft.schema_pretty();
    let v = validate(Source::Parts {
        type_name: &draft.type_name,
        schema_text: &text,
        authenticators: &draft.possible_authenticators,
    });
    if v.is_valid() {
        Ok(())
    } else {
        Err(SyncError::Invalid(v.diagnostics))
    }
}

/// Whether a server's schema may be imported: a usable id, and content that passes the same
/// validation as a local save (a schema that is not an object or not valid is refused).
pub fn check_remote(remote: &RemoteSchema) -> Result<(), SyncError> {
    let refuse = |reason: String| SyncError::NotImported {
        type_name: clean_message(&remote.type_name, &str::to_string),
        remote_id: clean_message(&remote.id, &str::to_string),
        reason,
    };
    if let Err(e) = check_id(&remote.id) {
        return Err(refuse(e.to_string()));
    }
    if let Err(m) = crate::schema::TypeName::parse(&remote.type_name) {
        return Err(refuse(format!("its type is not usable: {m}")));
    }
    match check_draft(&remote.draft()) {
        Ok(()) => Ok(()),
        Err(SyncError::Invalid(diagnostics)) => Err(refuse(format!(
            "it is not valid: {} problem(s), first: {}",
            diagnostics.len(),
            diagnostics
                .first()
                .map(|d| clean_message(&d.to_string(), &str::to_string))
                .unwrap_or_default()
        ))),
        Err(other) => Err(refuse(other.to_string())),
    }
}
