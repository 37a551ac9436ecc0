//! Schemas and their append-only revisions.

use std::collections::BTreeSet;

use rusqlite::{OptionalExtension, Row, Transaction, TransactionBehavior, params};
use serde_json::Value;

use super::{Result, Store, StoreError, now_rfc3339};
use crate::schema::{AuthenticatorType, UserSchemaDraft};

/// The local id of a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SchemaId(pub i64);

/// One schema as the list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaSummary {
    pub id: SchemaId,
    pub type_name: String,
    pub created_at: String,
    pub updated_at: String,
    pub archived: bool,
    /// Set while a delete awaits confirmation; the revisions are still there.
    pub deleted_at: Option<String>,
    pub latest_revision: u32,
}

/// A revision without its content, for history lists.
#[derive(Debug, Clone, PartialEq)]
pub struct RevisionSummary {
    pub id: i64,
    pub number: u32,
    pub type_name: String,
    pub content_hash: String,
    pub created_at: String,
    pub message: String,
    pub restored_from: Option<u32>,
}

/// A full revision.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub id: i64,
    pub schema_id: SchemaId,
    pub number: u32,
    pub draft: UserSchemaDraft,
    pub content_hash: String,
    pub created_at: String,
    pub message: String,
    pub restored_from: Option<u32>,
}

impl Revision {
    /// The JSON Schema text as stored (pretty, two-space indent).
    pub fn schema_text(&self) -> String {
        self.draft.schema_pretty()
    }
}

/// What saving did.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveOutcome {
    /// A new revision was appended.
    Created(Revision),
    /// The content equals the latest revision: nothing was written.
    Unchanged(Revision),
}

impl SaveOutcome {
    pub fn revision(&self) -> &Revision {
        match self {
            SaveOutcome::Created(r) | SaveOutcome::Unchanged(r) => r,
        }
    }

    pub fn created(&self) -> bool {
        matches!(self, SaveOutcome::Created(_))
    }
}

/// Which schemas [`Store::list_schemas`] returns.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListFilter {
    pub include_archived: bool,
    pub include_deleted: bool,
}

const SUMMARY_COLUMNS: &str = "s.id, s.type, s.created_at, s.updated_at, s.archived, s.deleted_at, \
     (SELECT max(number) FROM revisions r WHERE r.schema_id = s.id)";

fn summary_from_row(row: &Row<'_>) -> rusqlite::Result<SchemaSummary> {
    Ok(SchemaSummary {
        id: SchemaId(row.get(0)?),
        type_name: row.get(1)?,
        created_at: row.get(2)?,
        updated_at: row.get(3)?,
        archived: row.get::<_, i64>(4)? != 0,
        deleted_at: row.get(5)?,
        latest_revision: row.get::<_, Option<u32>>(6)?.unwrap_or(0),
    })
}

const REVISION_COLUMNS: &str = "id, schema_id, number, type, schema_json, authenticators, content_hash, created_at, message, restored_from";

/// A revision row before its JSON columns are parsed.
struct RawRevision {
    id: i64,
    schema_id: i64,
    number: u32,
    type_name: String,
    schema_json: String,
    authenticators: String,
    content_hash: String,
    created_at: String,
    message: String,
    restored_from: Option<u32>,
}

fn raw_revision(row: &Row<'_>) -> rusqlite::Result<RawRevision> {
    Ok(RawRevision {
        id: row.get(0)?,
        schema_id: row.get(1)?,
        number: row.get(2)?,
        type_name: row.get(3)?,
        schema_json: row.get(4)?,
        authenticators: row.get(5)?,
        content_hash: row.get(6)?,
        created_at: row.get(7)?,
        message: row.get(8)?,
        restored_from: row.get(9)?,
    })
}

impl RawRevision {
    fn parse(self) -> Result<Revision> {
        let corrupt = |what: &str, e: serde_json::Error| {
            StoreError::Corrupt(format!(
                "revision {} of schema {}: {what}: {e}",
                self.number, self.schema_id
            ))
        };
        // Numbers keep their text (`1e3`), as they were imported.
        let schema: Value = crate::schema::numbers::from_str(&self.schema_json)
            .map_err(|e| corrupt("schema", e))?;
        let authenticators: BTreeSet<AuthenticatorType> =
            serde_json::from_str(&self.authenticators).map_err(|e| corrupt("authenticators", e))?;
        Ok(Revision {
            id: self.id,
            schema_id: SchemaId(self.schema_id),
            number: self.number,
            draft: UserSchemaDraft {
                type_name: self.type_name,
                schema,
                possible_authenticators: authenticators,
            },
            content_hash: self.content_hash,
            created_at: self.created_at,
            message: self.message,
            restored_from: self.restored_from,
        })
    }
}

impl Store {
    /// Schemas ordered by type.
    pub fn list_schemas(&self, filter: ListFilter) -> Result<Vec<SchemaSummary>> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM schemas s \
             WHERE (?1 OR s.archived = 0) AND (?2 OR s.deleted_at IS NULL) \
             ORDER BY s.type COLLATE NOCASE, s.id"
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![filter.include_archived, filter.include_deleted],
            summary_from_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The live (not deleted) schema of this type.
    pub fn find_by_type(&self, type_name: &str) -> Result<Option<SchemaSummary>> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM schemas s WHERE s.type = ?1 AND s.deleted_at IS NULL"
        );
        Ok(self
            .conn()
            .query_row(&sql, [type_name], summary_from_row)
            .optional()?)
    }

    /// Like [`find_by_type`](Self::find_by_type), but a missing type is an error.
    pub fn by_type(&self, type_name: &str) -> Result<SchemaSummary> {
        self.find_by_type(type_name)?
            .ok_or_else(|| StoreError::NoSuchType(type_name.to_string()))
    }

    /// A deleted schema awaiting confirmation, by type (the newest if several).
    pub fn find_deleted_by_type(&self, type_name: &str) -> Result<Option<SchemaSummary>> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM schemas s WHERE s.type = ?1 AND s.deleted_at IS NOT NULL \
             ORDER BY s.deleted_at DESC LIMIT 1"
        );
        Ok(self
            .conn()
            .query_row(&sql, [type_name], summary_from_row)
            .optional()?)
    }

    pub fn schema(&self, id: SchemaId) -> Result<SchemaSummary> {
        let sql = format!("SELECT {SUMMARY_COLUMNS} FROM schemas s WHERE s.id = ?1");
        self.conn()
            .query_row(&sql, [id.0], summary_from_row)
            .optional()?
            .ok_or(StoreError::NoSuchSchema(id.0))
    }

    /// Creates a schema with its first revision.
    pub fn create_schema(&mut self, draft: &UserSchemaDraft, message: &str) -> Result<Revision> {
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let rev = create_in(&tx, draft, message)?;
        tx.commit()?;
        super::events::saved_revision(&rev, true);
        Ok(rev)
    }

    /// Appends a revision unless the content equals the latest one.
    pub fn save_revision(
        &mut self,
        id: SchemaId,
        draft: &UserSchemaDraft,
        message: &str,
    ) -> Result<SaveOutcome> {
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let outcome = save_in(&tx, id, draft, message, None)?;
        tx.commit()?;
        super::events::saved(&outcome);
        Ok(outcome)
    }

    /// Saves a draft under its type: a new schema if the type is new, else a new revision.
    pub fn save_by_type(&mut self, draft: &UserSchemaDraft, message: &str) -> Result<SaveOutcome> {
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let existing: Option<i64> = tx
            .query_row(
                "SELECT id FROM schemas WHERE type = ?1 AND deleted_at IS NULL",
                [&draft.type_name],
                |r| r.get(0),
            )
            .optional()?;
        let outcome = match existing {
            Some(id) => save_in(&tx, SchemaId(id), draft, message, None)?,
            None => SaveOutcome::Created(create_in(&tx, draft, message)?),
        };
        tx.commit()?;
        super::events::saved(&outcome);
        Ok(outcome)
    }

    /// Revisions of a schema, newest first, without content.
    pub fn history(&self, id: SchemaId) -> Result<Vec<RevisionSummary>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, number, type, content_hash, created_at, message, restored_from \
             FROM revisions WHERE schema_id = ?1 ORDER BY number DESC",
        )?;
        let rows = stmt.query_map([id.0], |row| {
            Ok(RevisionSummary {
                id: row.get(0)?,
                number: row.get(1)?,
                type_name: row.get(2)?,
                content_hash: row.get(3)?,
                created_at: row.get(4)?,
                message: row.get(5)?,
                restored_from: row.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One full revision.
    pub fn revision(&self, id: SchemaId, number: u32) -> Result<Revision> {
        let sql = format!(
            "SELECT {REVISION_COLUMNS} FROM revisions WHERE schema_id = ?1 AND number = ?2"
        );
        match self
            .conn()
            .query_row(&sql, params![id.0, number], raw_revision)
            .optional()?
        {
            Some(raw) => raw.parse(),
            None => Err(StoreError::NoSuchRevision {
                type_name: self.schema(id)?.type_name,
                number,
            }),
        }
    }

    /// The newest revision of a schema.
    pub fn latest_revision(&self, id: SchemaId) -> Result<Revision> {
        let sql = format!(
            "SELECT {REVISION_COLUMNS} FROM revisions WHERE schema_id = ?1 ORDER BY number DESC LIMIT 1"
        );
        match self
            .conn()
            .query_row(&sql, [id.0], raw_revision)
            .optional()?
        {
            Some(raw) => raw.parse(),
            None => Err(StoreError::NoSuchSchema(id.0)),
        }
    }

    /// Appends a copy of revision `number` as a new revision (old ones are never rewritten).
    pub fn restore_revision(
        &mut self,
        id: SchemaId,
        number: u32,
        message: &str,
    ) -> Result<SaveOutcome> {
        let old = self.revision(id, number)?;
        let message = if message.is_empty() {
            format!("Restored revision {number}")
        } else {
            message.to_string()
        };
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // The restored type may have been taken by another schema since.
        ensure_type_free(&tx, &old.draft.type_name, Some(id))?;
        let outcome = save_in(&tx, id, &old.draft, &message, Some(number))?;
        tx.commit()?;
        super::events::saved(&outcome);
        Ok(outcome)
    }

    /// Renames a schema: a new revision with the new type.
    pub fn rename(&mut self, id: SchemaId, new_type: &str) -> Result<SaveOutcome> {
        let mut draft = self.latest_revision(id)?.draft;
        let old_type = std::mem::replace(&mut draft.type_name, new_type.to_string());
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        ensure_type_free(&tx, new_type, Some(id))?;
        let outcome = save_in(
            &tx,
            id,
            &draft,
            &format!("Renamed from \"{old_type}\""),
            None,
        )?;
        tx.commit()?;
        super::events::saved(&outcome);
        Ok(outcome)
    }

    pub fn set_archived(&mut self, id: SchemaId, archived: bool) -> Result<()> {
        self.update_schema_row(
            id,
            "UPDATE schemas SET archived = ?2, updated_at = ?3 WHERE id = ?1",
            archived,
        )
    }

    /// Marks a schema deleted. Its revisions stay until [`purge`](Self::purge) confirms.
    pub fn mark_deleted(&mut self, id: SchemaId) -> Result<()> {
        let n = self.conn().execute(
            "UPDATE schemas SET deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL",
            params![id.0, now_rfc3339()],
        )?;
        if n == 0 {
            self.schema(id)?;
        }
        Ok(())
    }

    /// Takes back a delete that was not yet confirmed.
    pub fn undelete(&mut self, id: SchemaId) -> Result<()> {
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let type_name: String = tx
            .query_row("SELECT type FROM schemas WHERE id = ?1", [id.0], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or(StoreError::NoSuchSchema(id.0))?;
        ensure_type_free(&tx, &type_name, Some(id))?;
        tx.execute("UPDATE schemas SET deleted_at = NULL WHERE id = ?1", [id.0])?;
        tx.commit()?;
        Ok(())
    }

    /// Confirms a delete: removes the schema and all its revisions for good.
    pub fn purge(&mut self, id: SchemaId) -> Result<()> {
        let summary = self.schema(id)?;
        if summary.deleted_at.is_none() {
            return Err(StoreError::NotDeleted(summary.type_name));
        }
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM schemas WHERE id = ?1", [id.0])?;
        tx.commit()?;
        Ok(())
    }

    fn update_schema_row(&mut self, id: SchemaId, sql: &str, flag: bool) -> Result<()> {
        let n = self
            .conn()
            .execute(sql, params![id.0, flag, now_rfc3339()])?;
        if n == 0 {
            return Err(StoreError::NoSuchSchema(id.0));
        }
        Ok(())
    }
}

fn ensure_type_free(tx: &Transaction<'_>, type_name: &str, except: Option<SchemaId>) -> Result<()> {
    let other: Option<i64> = tx
        .query_row(
            "SELECT id FROM schemas WHERE type = ?1 AND deleted_at IS NULL AND id != ?2",
            params![type_name, except.map_or(-1, |s| s.0)],
            |r| r.get(0),
        )
        .optional()?;
    match other {
        Some(_) => Err(StoreError::TypeTaken(type_name.to_string())),
        None => Ok(()),
    }
}

pub(super) fn create_in(
    tx: &Transaction<'_>,
    draft: &UserSchemaDraft,
    message: &str,
) -> Result<Revision> {
    ensure_type_free(tx, &draft.type_name, None)?;
    let now = now_rfc3339();
    tx.execute(
        "INSERT INTO schemas (type, created_at, updated_at) VALUES (?1, ?2, ?2)",
        params![draft.type_name, now],
    )?;
    let id = SchemaId(tx.last_insert_rowid());
    insert_revision(tx, id, 1, draft, message, None, &now)
}

pub(super) fn save_in(
    tx: &Transaction<'_>,
    id: SchemaId,
    draft: &UserSchemaDraft,
    message: &str,
    restored_from: Option<u32>,
) -> Result<SaveOutcome> {
    let latest = tx
        .query_row(
            &format!(
                "SELECT {REVISION_COLUMNS} FROM revisions WHERE schema_id = ?1 ORDER BY number DESC LIMIT 1"
            ),
            [id.0],
            raw_revision,
        )
        .optional()?;
    let deleted: Option<Option<String>> = tx
        .query_row(
            "SELECT deleted_at FROM schemas WHERE id = ?1",
            [id.0],
            |r| r.get(0),
        )
        .optional()?;
    match deleted {
        None => return Err(StoreError::NoSuchSchema(id.0)),
        Some(Some(_)) => return Err(StoreError::NoSuchSchema(id.0)),
        Some(None) => {}
    }
    let hash = draft.content_hash();
    let next = match latest {
        Some(raw) if raw.content_hash == hash => return Ok(SaveOutcome::Unchanged(raw.parse()?)),
        Some(raw) => raw.number + 1,
        None => 1,
    };
    ensure_type_free(tx, &draft.type_name, Some(id))?;
    let now = now_rfc3339();
    let rev = insert_revision(tx, id, next, draft, message, restored_from, &now)?;
    tx.execute(
        "UPDATE schemas SET type = ?2, updated_at = ?3 WHERE id = ?1",
        params![id.0, draft.type_name, now],
    )?;
    Ok(SaveOutcome::Created(rev))
}

fn insert_revision(
    tx: &Transaction<'_>,
    id: SchemaId,
    number: u32,
    draft: &UserSchemaDraft,
    message: &str,
    restored_from: Option<u32>,
    now: &str,
) -> Result<Revision> {
    let hash = draft.content_hash();
    let schema_json = draft.schema_pretty();
    let authenticators = serde_json::to_string(&draft.possible_authenticators)
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    tx.execute(
        "INSERT INTO revisions (schema_id, number, type, schema_json, authenticators, content_hash, created_at, message, restored_from) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![id.0, number, draft.type_name, schema_json, authenticators, hash, now, message.trim(), restored_from],
    )?;
    Ok(Revision {
        id: tx.last_insert_rowid(),
        schema_id: id,
        number,
        draft: draft.clone(),
        content_hash: hash,
        created_at: now.to_string(),
        message: message.trim().to_string(),
        restored_from,
    })
}
