//! The target of each schema (ZITADEL v4's v3alpha API or nextgen), kept in `schema_targets`
//! (migration 3); a schema without a row, such as every older one, is v3alpha.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::schemas::{SaveOutcome, SchemaId, create_in, save_in};
use super::{Result, Store, StoreError};
use crate::nextgen::Target;
use crate::schema::UserSchemaDraft;

fn parse(text: &str) -> Result<Target> {
    Target::parse(text).ok_or_else(|| StoreError::Corrupt(format!("unknown target \"{text}\"")))
}

impl Store {
    /// The target of one schema.
    pub fn target(&self, id: SchemaId) -> Result<Target> {
        let text: Option<String> = self
            .conn()
            .query_row(
                "SELECT coalesce(t.target, 'v3alpha') FROM schemas s \
                 LEFT JOIN schema_targets t ON t.schema_id = s.id WHERE s.id = ?1",
                [id.0],
                |r| r.get(0),
            )
            .optional()?;
        parse(&text.ok_or(StoreError::NoSuchSchema(id.0))?)
    }

    /// The target of every schema, for lists.
    pub fn targets(&self) -> Result<HashMap<SchemaId, Target>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT s.id, coalesce(t.target, 'v3alpha') FROM schemas s \
             LEFT JOIN schema_targets t ON t.schema_id = s.id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = HashMap::new();
        for row in rows {
            let (id, text) = row?;
            out.insert(SchemaId(id), parse(&text)?);
        }
        Ok(out)
    }

    /// Saves a draft under its type with a target, in one transaction: a new schema of that
    /// target, or a new revision of an existing schema of the same target. A schema of the
    /// other target is refused, unchanged.
    pub fn save_with_target(
        &mut self,
        draft: &UserSchemaDraft,
        message: &str,
        target: Target,
    ) -> Result<SaveOutcome> {
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let existing: Option<(i64, String)> = tx
            .query_row(
                "SELECT s.id, coalesce(t.target, 'v3alpha') FROM schemas s \
                 LEFT JOIN schema_targets t ON t.schema_id = s.id \
                 WHERE s.type = ?1 AND s.deleted_at IS NULL",
                [&draft.type_name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let outcome = match existing {
            Some((id, t)) => {
                let existing = parse(&t)?;
                if existing != target {
                    return Err(StoreError::TargetMismatch {
                        type_name: draft.type_name.clone(),
                        existing: existing.as_str(),
                        wanted: target.as_str(),
                    });
                }
                save_in(&tx, SchemaId(id), draft, message, None)?
            }
            None => {
                let rev = create_in(&tx, draft, message)?;
                tx.execute(
                    "INSERT INTO schema_targets (schema_id, target) VALUES (?1, ?2)",
                    params![rev.schema_id.0, target.as_str()],
                )?;
                SaveOutcome::Created(rev)
            }
        };
        tx.commit()?;
        Ok(outcome)
    }
}
