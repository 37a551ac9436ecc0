//! Sample users saved with a schema, checked again after every edit and by `schemadesk compat`.

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::{Result, SchemaId, Store, StoreError, now_rfc3339};
use crate::schema::compat::SampleInput;

/// One saved sample user: a name unique within its schema and the JSON text as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    pub id: i64,
    pub schema_id: SchemaId,
    pub name: String,
    /// The sample's JSON text, kept exactly as written (it may even be invalid JSON).
    pub data: String,
    pub updated_at: String,
}

impl From<Sample> for SampleInput {
    fn from(s: Sample) -> Self {
        SampleInput {
            name: s.name,
            source: "store".into(),
            data: s.data,
        }
    }
}

impl Store {
    /// The samples of a schema, ordered by name.
    pub fn list_samples(&self, schema: SchemaId) -> Result<Vec<Sample>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, schema_id, name, data, updated_at FROM samples \
             WHERE schema_id = ?1 ORDER BY name COLLATE NOCASE, id",
        )?;
        let rows = stmt.query_map([schema.0], |row| {
            Ok(Sample {
                id: row.get(0)?,
                schema_id: SchemaId(row.get(1)?),
                name: row.get(2)?,
                data: row.get(3)?,
                updated_at: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Saves a sample under `name`: a new one, or replacing the data of the one of that name.
    /// The schema must exist and not be deleted.
    pub fn save_sample(&mut self, schema: SchemaId, name: &str, data: &str) -> Result<Sample> {
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let live: Option<Option<String>> = tx
            .query_row(
                "SELECT deleted_at FROM schemas WHERE id = ?1",
                [schema.0],
                |r| r.get(0),
            )
            .optional()?;
        if !matches!(live, Some(None)) {
            return Err(StoreError::NoSuchSchema(schema.0));
        }
        let now = now_rfc3339();
        tx.execute(
            "INSERT INTO samples (schema_id, name, data, updated_at) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (schema_id, name) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
            params![schema.0, name, data, now],
        )?;
        let id: i64 = tx.query_row(
            "SELECT id FROM samples WHERE schema_id = ?1 AND name = ?2",
            params![schema.0, name],
            |r| r.get(0),
        )?;
        tx.commit()?;
        Ok(Sample {
            id,
            schema_id: schema,
            name: name.to_string(),
            data: data.to_string(),
            updated_at: now,
        })
    }

    /// Deletes the sample of that name; `false` when there was none.
    pub fn delete_sample(&mut self, schema: SchemaId, name: &str) -> Result<bool> {
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let n = tx.execute(
            "DELETE FROM samples WHERE schema_id = ?1 AND name = ?2",
            params![schema.0, name],
        )?;
        tx.commit()?;
        Ok(n > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::UserSchemaDraft;
    use serde_json::json;

    #[test]
    fn save_list_replace_delete() -> Result<()> {
        let mut store = Store::open_in_memory()?;
        let rev = store.create_schema(
            &UserSchemaDraft::new("employee", json!({"type": "object"}), []),
            "",
        )?;
        let id = rev.schema_id;
        store.save_sample(id, "bob", "{}")?;
        let alice = store.save_sample(id, "alice", r#"{"a": 1}"#)?;
        let again = store.save_sample(id, "alice", r#"{"a": 2}"#)?;
        assert_eq!(alice.id, again.id);
        let names: Vec<_> = store
            .list_samples(id)?
            .into_iter()
            .map(|s| (s.name, s.data))
            .collect();
        assert_eq!(
            names,
            vec![
                ("alice".to_string(), r#"{"a": 2}"#.to_string()),
                ("bob".to_string(), "{}".to_string())
            ]
        );
        assert!(store.delete_sample(id, "bob")?);
        assert!(!store.delete_sample(id, "bob")?);
        assert_eq!(store.list_samples(id)?.len(), 1);
        assert!(matches!(
            store.save_sample(SchemaId(999), "x", "{}"),
            Err(StoreError::NoSuchSchema(999))
        ));
        Ok(())
    }
}
