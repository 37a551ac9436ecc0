//! Several writers on one store file (two windows, the CLI, the sync worker): noticing that
//! another connection committed, and saving only on top of the revision a draft started from.

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::schemas::{create_in, save_in};
use super::servers::{ensure_schema_and_server, upsert_binding};
use super::{BindingUpdate, Result, SaveOutcome, SchemaId, ServerId, Store, StoreError};
use crate::schema::UserSchemaDraft;

impl Store {
    /// SQLite's `PRAGMA data_version` for this connection: it changes when another
    /// connection (another process, window or thread) commits to the file, and stays put
    /// for this connection's own commits. Polling it costs a few microseconds.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Appends a revision on top of revision `base`, which the draft started from. If another
    /// writer saved since (the latest is not `base`), nothing is written and
    /// [`StoreError::NotLatest`] says which revision is the latest. Content equal to the
    /// latest revision writes nothing either way.
    pub fn save_revision_on(
        &mut self,
        id: SchemaId,
        base: u32,
        draft: &UserSchemaDraft,
        message: &str,
    ) -> Result<SaveOutcome> {
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let latest: Option<(u32, String, String)> = tx
            .query_row(
                "SELECT number, content_hash, type FROM revisions WHERE schema_id = ?1 \
                 ORDER BY number DESC LIMIT 1",
                [id.0],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        if let Some((number, hash, type_name)) = latest
            && number != base
            && hash != draft.content_hash()
        {
            return Err(StoreError::NotLatest {
                type_name,
                expected: base,
                latest: number,
            });
        }
        let outcome = save_in(&tx, id, draft, message, None)?;
        tx.commit()?;
        Ok(outcome)
    }

    /// Saves a draft under its type, like [`save_by_type`](Self::save_by_type), only if the
    /// type's latest revision is `expected` (0: no live schema of this type yet). Otherwise
    /// nothing is written and [`StoreError::NotLatest`] names the latest revision.
    pub fn save_by_type_if_latest(
        &mut self,
        draft: &UserSchemaDraft,
        message: &str,
        expected: u32,
    ) -> Result<SaveOutcome> {
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let existing: Option<(i64, Option<u32>)> = tx
            .query_row(
                "SELECT s.id, (SELECT max(number) FROM revisions r WHERE r.schema_id = s.id) \
                 FROM schemas s WHERE s.type = ?1 AND s.deleted_at IS NULL",
                [&draft.type_name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let latest = existing.and_then(|(_, n)| n).unwrap_or(0);
        if latest != expected {
            return Err(StoreError::NotLatest {
                type_name: draft.type_name.clone(),
                expected,
                latest,
            });
        }
        let outcome = match existing {
            Some((id, _)) => save_in(&tx, SchemaId(id), draft, message, None)?,
            None => SaveOutcome::Created(create_in(&tx, draft, message)?),
        };
        tx.commit()?;
        Ok(outcome)
    }

    /// Saves the merge of a local revision with a server's copy, in one transaction: the
    /// merged draft as a new revision on top of `base` (the local revision that was pushed),
    /// and the binding as if the server's copy had been pulled, so that the next push
    /// succeeds unless the server's copy moved again.
    pub fn save_server_merge(
        &mut self,
        id: SchemaId,
        base: u32,
        draft: &UserSchemaDraft,
        message: &str,
        server: ServerId,
        seen: &BindingUpdate,
    ) -> Result<SaveOutcome> {
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let latest: Option<(u32, String)> = tx
            .query_row(
                "SELECT number, type FROM revisions WHERE schema_id = ?1 ORDER BY number DESC LIMIT 1",
                params![id.0],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((number, type_name)) = latest else {
            return Err(StoreError::NoSuchSchema(id.0));
        };
        if number != base {
            return Err(StoreError::NotLatest {
                type_name,
                expected: base,
                latest: number,
            });
        }
        ensure_schema_and_server(&tx, id, server)?;
        let outcome = save_in(&tx, id, draft, message, None)?;
        upsert_binding(&tx, id, server, seen, &super::now_rfc3339())?;
        tx.commit()?;
        Ok(outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn draft(extra: &str) -> UserSchemaDraft {
        UserSchemaDraft::new(
            "employee",
            json!({"type": "object", "properties": {extra: {"type": "string"}}}),
            [],
        )
    }

    #[test]
    fn another_connection_changes_the_data_version() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("s.db");
        let mut a = Store::open(&path).expect("open a");
        let mut b = Store::open(&path).expect("open b");
        let before = a.data_version().expect("version");
        a.create_schema(&draft("x"), "").expect("own write");
        assert_eq!(a.data_version().expect("version"), before, "own commits");
        b.save_by_type(&draft("y"), "").expect("other write");
        assert_ne!(a.data_version().expect("version"), before);
    }

    #[test]
    fn save_on_a_stale_base_writes_nothing() {
        let mut s = Store::open_in_memory().expect("store");
        let r1 = s.create_schema(&draft("a"), "").expect("r1");
        s.save_revision(r1.schema_id, &draft("b"), "theirs")
            .expect("r2");
        let err = s
            .save_revision_on(r1.schema_id, 1, &draft("c"), "mine")
            .expect_err("stale");
        assert!(
            matches!(
                err,
                StoreError::NotLatest {
                    expected: 1,
                    latest: 2,
                    ..
                }
            ),
            "{err}"
        );
        assert_eq!(s.history(r1.schema_id).expect("history").len(), 2);
        // The same content as the latest is no conflict: nothing to write.
        let same = s
            .save_revision_on(r1.schema_id, 1, &draft("b"), "")
            .expect("unchanged");
        assert!(!same.created());
        let ok = s
            .save_revision_on(r1.schema_id, 2, &draft("c"), "")
            .expect("on top");
        assert_eq!(ok.revision().number, 3);
    }

    #[test]
    fn a_server_merge_is_one_write_on_a_known_base() {
        let mut s = Store::open_in_memory().expect("store");
        let r1 = s.create_schema(&draft("a"), "").expect("r1");
        let server = s
            .add_server("test", "http://localhost:1", Some(2))
            .expect("server");
        let seen = BindingUpdate {
            remote_id: "r-1".into(),
            remote_revision: Some(3),
            remote_state: Some("ACTIVE".into()),
            last_details: None,
            last_content_hash: Some("h".into()),
        };
        // A stale base: neither the revision nor the binding is written.
        let err = s
            .save_server_merge(r1.schema_id, 2, &draft("m"), "merged", server.id, &seen)
            .expect_err("stale");
        assert!(
            matches!(err, StoreError::NotLatest { latest: 1, .. }),
            "{err}"
        );
        assert_eq!(s.history(r1.schema_id).expect("history").len(), 1);
        assert!(
            s.binding(r1.schema_id, server.id)
                .expect("binding")
                .is_none()
        );

        let saved = s
            .save_server_merge(r1.schema_id, 1, &draft("m"), "merged", server.id, &seen)
            .expect("saved");
        assert_eq!(saved.revision().number, 2);
        let b = s
            .binding(r1.schema_id, server.id)
            .expect("binding")
            .expect("bound");
        assert_eq!(
            (b.remote_revision, b.last_content_hash.as_deref()),
            (Some(3), Some("h"))
        );
    }

    #[test]
    fn if_latest_guards_save_by_type() {
        let mut s = Store::open_in_memory().expect("store");
        let err = s
            .save_by_type_if_latest(&draft("a"), "", 1)
            .expect_err("no schema yet");
        assert!(matches!(err, StoreError::NotLatest { latest: 0, .. }));
        assert!(s.find_by_type("employee").expect("find").is_none());
        s.save_by_type_if_latest(&draft("a"), "", 0)
            .expect("created");
        s.save_by_type_if_latest(&draft("b"), "", 1)
            .expect("on top");
        let err = s
            .save_by_type_if_latest(&draft("c"), "", 1)
            .expect_err("stale");
        assert!(err.to_string().contains("revision 2"), "{err}");
    }
}
