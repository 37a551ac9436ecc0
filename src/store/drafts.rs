//! The editor's unsaved draft, kept for crash recovery. A kept draft is not a revision: it
//! may be invalid JSON, it is never listed in the history, and it is dropped once saved or
//! discarded.

use std::collections::BTreeSet;

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::{Result, SchemaId, Store, StoreError, now_rfc3339};
use crate::schema::AuthenticatorType;

/// An unsaved draft of a schema as the editor held it.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptDraft {
    pub schema_id: SchemaId,
    pub type_name: String,
    /// The JSON editor's text, as typed (it may not parse).
    pub schema_text: String,
    pub authenticators: BTreeSet<AuthenticatorType>,
    /// The revision the draft was based on.
    pub base_revision: u32,
    /// The message typed for the next revision.
    pub message: String,
    /// When it was kept (RFC 3339, UTC); set by [`Store::keep_draft`].
    pub kept_at: String,
}

impl Store {
    /// Keeps `draft` as the one unsaved draft of its schema, replacing an older one (one
    /// transaction). A schema that is gone is an error.
    pub fn keep_draft(&mut self, draft: &KeptDraft) -> Result<()> {
        let authenticators = serde_json::to_string(&draft.authenticators)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let live: Option<i64> = tx
            .query_row(
                "SELECT id FROM schemas WHERE id = ?1 AND deleted_at IS NULL",
                [draft.schema_id.0],
                |r| r.get(0),
            )
            .optional()?;
        if live.is_none() {
            return Err(StoreError::NoSuchSchema(draft.schema_id.0));
        }
        tx.execute(
            "INSERT INTO drafts (schema_id, type, schema_text, authenticators, base_revision, message, kept_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
             ON CONFLICT (schema_id) DO UPDATE SET type = excluded.type, schema_text = excluded.schema_text, \
             authenticators = excluded.authenticators, base_revision = excluded.base_revision, \
             message = excluded.message, kept_at = excluded.kept_at",
            params![
                draft.schema_id.0,
                draft.type_name,
                draft.schema_text,
                authenticators,
                draft.base_revision,
                draft.message,
                now_rfc3339()
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The kept drafts of live schemas, newest first.
    pub fn kept_drafts(&self) -> Result<Vec<KeptDraft>> {
        let mut stmt = self.conn().prepare(
            "SELECT d.schema_id, d.type, d.schema_text, d.authenticators, d.base_revision, d.message, d.kept_at \
             FROM drafts d JOIN schemas s ON s.id = d.schema_id WHERE s.deleted_at IS NULL \
             ORDER BY d.kept_at DESC, d.schema_id",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok((
                SchemaId(row.get(0)?),
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, u32>(4)?,
                row.get::<_, String>(5)?,
                row.get::<_, String>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (schema_id, type_name, schema_text, auth, base_revision, message, kept_at) = row?;
            let authenticators = serde_json::from_str(&auth).map_err(|e| {
                StoreError::Corrupt(format!("kept draft of schema {}: {e}", schema_id.0))
            })?;
            out.push(KeptDraft {
                schema_id,
                type_name,
                schema_text,
                authenticators,
                base_revision,
                message,
                kept_at,
            });
        }
        Ok(out)
    }

    /// Drops the kept draft of a schema (saved or discarded); no draft is no error.
    pub fn drop_draft(&mut self, id: SchemaId) -> Result<()> {
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM drafts WHERE schema_id = ?1", params![id.0])?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::UserSchemaDraft;
    use serde_json::json;

    #[test]
    fn a_kept_draft_is_replaced_listed_and_dropped() {
        let mut store = Store::open_in_memory().unwrap();
        let rev = store
            .create_schema(&UserSchemaDraft::new("a", json!({}), []), "")
            .unwrap();
        let mut draft = KeptDraft {
            schema_id: rev.schema_id,
            type_name: "a".into(),
            schema_text: "{ not json".into(),
            authenticators: [AuthenticatorType::Password].into(),
            base_revision: 1,
            message: "m".into(),
            kept_at: String::new(),
        };
        store.keep_draft(&draft).unwrap();
        draft.schema_text = "{\"title\": 1".into();
        store.keep_draft(&draft).unwrap();
        let kept = store.kept_drafts().unwrap();
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].schema_text, draft.schema_text);
        assert_eq!(kept[0].authenticators, draft.authenticators);
        assert_eq!(
            store.history(rev.schema_id).unwrap().len(),
            1,
            "not a revision"
        );
        store.drop_draft(rev.schema_id).unwrap();
        assert!(store.kept_drafts().unwrap().is_empty());
        draft.schema_id = SchemaId(999);
        assert!(matches!(
            store.keep_draft(&draft),
            Err(StoreError::NoSuchSchema(999))
        ));
    }
}
