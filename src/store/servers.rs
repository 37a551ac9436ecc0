//! Servers, bindings of local schemas to remote ones, the record of pushes and the queue of
//! pushes that failed for lack of network. Tokens are never stored here.

use rusqlite::{OptionalExtension, Row, TransactionBehavior, params};

use super::schemas::SchemaId;
use super::{Result, Store, StoreError, now_rfc3339};

/// The local id of a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ServerId(pub i64);

/// A server the administrator pushes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    pub id: ServerId,
    pub name: String,
    pub base_url: String,
    /// The API generation (1 or 2), when known (chosen or probed).
    pub generation: Option<u8>,
    pub created_at: String,
}

/// What links a local schema to its copy on a server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub schema_id: SchemaId,
    pub server_id: ServerId,
    pub remote_id: String,
    /// The server's revision as of the last push or pull.
    pub remote_revision: Option<u32>,
    /// `ACTIVE`, `INACTIVE` or `DELETED`, as of the last call that told.
    pub remote_state: Option<String>,
    /// The details the server returned last, as JSON text.
    pub last_details: Option<String>,
    /// The content hash of the server's copy as of the last push or pull.
    pub last_content_hash: Option<String>,
    pub updated_at: String,
}

/// What to write into a binding.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BindingUpdate {
    pub remote_id: String,
    pub remote_revision: Option<u32>,
    pub remote_state: Option<String>,
    pub last_details: Option<String>,
    pub last_content_hash: Option<String>,
}

/// What a successful push returned, recorded on the local revision that was pushed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PushRecord {
    pub remote_id: String,
    pub remote_revision: Option<u32>,
    pub sequence: Option<String>,
    pub change_date: Option<String>,
    pub resource_owner: Option<String>,
}

/// One recorded push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Push {
    pub id: i64,
    pub revision_id: i64,
    pub server_id: ServerId,
    pub record: PushRecord,
    pub pushed_at: String,
}

/// A push waiting for the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedPush {
    pub id: i64,
    pub schema_id: SchemaId,
    pub server_id: ServerId,
    pub revision_id: i64,
    pub queued_at: String,
    pub attempts: u32,
    pub last_error: Option<String>,
}

const SERVER_COLUMNS: &str = "id, name, base_url, generation, created_at";

fn server_from_row(row: &Row<'_>) -> rusqlite::Result<Server> {
    Ok(Server {
        id: ServerId(row.get(0)?),
        name: row.get(1)?,
        base_url: row.get(2)?,
        generation: row.get(3)?,
        created_at: row.get(4)?,
    })
}

const BINDING_COLUMNS: &str = "schema_id, server_id, remote_id, remote_revision, remote_state, last_details, last_content_hash, updated_at";

fn binding_from_row(row: &Row<'_>) -> rusqlite::Result<Binding> {
    Ok(Binding {
        schema_id: SchemaId(row.get(0)?),
        server_id: ServerId(row.get(1)?),
        remote_id: row.get(2)?,
        remote_revision: row.get(3)?,
        remote_state: row.get(4)?,
        last_details: row.get(5)?,
        last_content_hash: row.get(6)?,
        updated_at: row.get(7)?,
    })
}

const QUEUE_COLUMNS: &str =
    "id, schema_id, server_id, revision_id, queued_at, attempts, last_error";

fn queued_from_row(row: &Row<'_>) -> rusqlite::Result<QueuedPush> {
    Ok(QueuedPush {
        id: row.get(0)?,
        schema_id: SchemaId(row.get(1)?),
        server_id: ServerId(row.get(2)?),
        revision_id: row.get(3)?,
        queued_at: row.get(4)?,
        attempts: row.get(5)?,
        last_error: row.get(6)?,
    })
}

pub(super) fn upsert_binding(
    tx: &rusqlite::Transaction<'_>,
    schema_id: SchemaId,
    server_id: ServerId,
    update: &BindingUpdate,
    now: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO bindings (schema_id, server_id, remote_id, remote_revision, remote_state, last_details, last_content_hash, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
         ON CONFLICT (schema_id, server_id) DO UPDATE SET remote_id = excluded.remote_id, \
           remote_revision = excluded.remote_revision, remote_state = excluded.remote_state, \
           last_details = excluded.last_details, last_content_hash = excluded.last_content_hash, \
           updated_at = excluded.updated_at",
        params![
            schema_id.0,
            server_id.0,
            update.remote_id,
            update.remote_revision,
            update.remote_state,
            update.last_details,
            update.last_content_hash,
            now
        ],
    )?;
    Ok(())
}

impl Store {
    /// Adds a server. Names are unique.
    pub fn add_server(
        &mut self,
        name: &str,
        base_url: &str,
        generation: Option<u8>,
    ) -> Result<Server> {
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let taken: Option<i64> = tx
            .query_row("SELECT id FROM servers WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()?;
        if taken.is_some() {
            return Err(StoreError::ServerNameTaken(name.to_string()));
        }
        let now = now_rfc3339();
        tx.execute(
            "INSERT INTO servers (name, base_url, generation, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![name, base_url, generation, now],
        )?;
        let id = ServerId(tx.last_insert_rowid());
        tx.commit()?;
        Ok(Server {
            id,
            name: name.to_string(),
            base_url: base_url.to_string(),
            generation,
            created_at: now,
        })
    }

    /// All servers, by name.
    pub fn list_servers(&self) -> Result<Vec<Server>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {SERVER_COLUMNS} FROM servers ORDER BY name COLLATE NOCASE, id"
        ))?;
        let rows = stmt.query_map([], server_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn find_server(&self, name: &str) -> Result<Option<Server>> {
        Ok(self
            .conn()
            .query_row(
                &format!("SELECT {SERVER_COLUMNS} FROM servers WHERE name = ?1"),
                [name],
                server_from_row,
            )
            .optional()?)
    }

    /// A server by name; a missing one is an error.
    pub fn server_by_name(&self, name: &str) -> Result<Server> {
        self.find_server(name)?
            .ok_or_else(|| StoreError::NoSuchServer(name.to_string()))
    }

    /// The first server with exactly this base URL.
    pub fn find_server_by_url(&self, base_url: &str) -> Result<Option<Server>> {
        Ok(self
            .conn()
            .query_row(
                &format!(
                    "SELECT {SERVER_COLUMNS} FROM servers WHERE base_url = ?1 ORDER BY id LIMIT 1"
                ),
                [base_url],
                server_from_row,
            )
            .optional()?)
    }

    pub fn server(&self, id: ServerId) -> Result<Server> {
        self.conn()
            .query_row(
                &format!("SELECT {SERVER_COLUMNS} FROM servers WHERE id = ?1"),
                [id.0],
                server_from_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::NoSuchServer(format!("#{}", id.0)))
    }

    /// Records the API generation (chosen or probed).
    pub fn set_server_generation(&mut self, id: ServerId, generation: Option<u8>) -> Result<()> {
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let n = tx.execute(
            "UPDATE servers SET generation = ?2 WHERE id = ?1",
            params![id.0, generation],
        )?;
        if n == 0 {
            return Err(StoreError::NoSuchServer(format!("#{}", id.0)));
        }
        tx.commit()?;
        Ok(())
    }

    /// Removes a server with its bindings, push records and queued pushes (the schemas stay).
    pub fn remove_server(&mut self, id: ServerId) -> Result<()> {
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let n = tx.execute("DELETE FROM servers WHERE id = ?1", [id.0])?;
        if n == 0 {
            return Err(StoreError::NoSuchServer(format!("#{}", id.0)));
        }
        tx.commit()?;
        Ok(())
    }

    /// The binding of a schema to a server, if it was ever pushed there or pulled from there.
    pub fn binding(&self, schema_id: SchemaId, server_id: ServerId) -> Result<Option<Binding>> {
        Ok(self
            .conn()
            .query_row(
                &format!(
                    "SELECT {BINDING_COLUMNS} FROM bindings WHERE schema_id = ?1 AND server_id = ?2"
                ),
                params![schema_id.0, server_id.0],
                binding_from_row,
            )
            .optional()?)
    }

    /// The binding of a server's remote id, if a local schema is bound to it.
    pub fn binding_by_remote_id(
        &self,
        server_id: ServerId,
        remote_id: &str,
    ) -> Result<Option<Binding>> {
        Ok(self
            .conn()
            .query_row(
                &format!(
                    "SELECT {BINDING_COLUMNS} FROM bindings WHERE server_id = ?1 AND remote_id = ?2 \
                     ORDER BY updated_at DESC LIMIT 1"
                ),
                params![server_id.0, remote_id],
                binding_from_row,
            )
            .optional()?)
    }

    /// Every binding to a server.
    pub fn bindings_for_server(&self, server_id: ServerId) -> Result<Vec<Binding>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {BINDING_COLUMNS} FROM bindings WHERE server_id = ?1 ORDER BY schema_id"
        ))?;
        let rows = stmt.query_map([server_id.0], binding_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every server a schema is bound to, with the binding (for the editor's server column).
    pub fn bindings_of_schema(&self, schema_id: SchemaId) -> Result<Vec<(Server, Binding)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT s.id, s.name, s.base_url, s.generation, s.created_at, \
                    b.schema_id, b.server_id, b.remote_id, b.remote_revision, b.remote_state, \
                    b.last_details, b.last_content_hash, b.updated_at \
             FROM bindings b JOIN servers s ON s.id = b.server_id \
             WHERE b.schema_id = ?1 ORDER BY s.name COLLATE NOCASE, s.id",
        )?;
        let rows = stmt.query_map([schema_id.0], |row| {
            Ok((
                Server {
                    id: ServerId(row.get(0)?),
                    name: row.get(1)?,
                    base_url: row.get(2)?,
                    generation: row.get(3)?,
                    created_at: row.get(4)?,
                },
                Binding {
                    schema_id: SchemaId(row.get(5)?),
                    server_id: ServerId(row.get(6)?),
                    remote_id: row.get(7)?,
                    remote_revision: row.get(8)?,
                    remote_state: row.get(9)?,
                    last_details: row.get(10)?,
                    last_content_hash: row.get(11)?,
                    updated_at: row.get(12)?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Writes a binding (after a pull, an import or a state change), in one transaction.
    pub fn set_binding(
        &mut self,
        schema_id: SchemaId,
        server_id: ServerId,
        update: &BindingUpdate,
    ) -> Result<()> {
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        ensure_schema_and_server(&tx, schema_id, server_id)?;
        upsert_binding(&tx, schema_id, server_id, update, &now_rfc3339())?;
        tx.commit()?;
        Ok(())
    }

    /// Changes only the remote state of a binding (deactivate, reactivate, delete).
    pub fn set_binding_state(
        &mut self,
        schema_id: SchemaId,
        server_id: ServerId,
        state: &str,
        last_details: Option<&str>,
    ) -> Result<()> {
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let n = tx.execute(
            "UPDATE bindings SET remote_state = ?3, last_details = coalesce(?4, last_details), updated_at = ?5 \
             WHERE schema_id = ?1 AND server_id = ?2",
            params![schema_id.0, server_id.0, state, last_details, now_rfc3339()],
        )?;
        if n == 0 {
            return Err(StoreError::NotBound {
                schema: schema_id.0,
                server: server_id.0,
            });
        }
        tx.commit()?;
        Ok(())
    }

    /// Removes a binding (the schema and its revisions stay).
    pub fn remove_binding(&mut self, schema_id: SchemaId, server_id: ServerId) -> Result<()> {
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "DELETE FROM bindings WHERE schema_id = ?1 AND server_id = ?2",
            params![schema_id.0, server_id.0],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Records a successful push of revision `revision_id` of `schema_id`: a `pushes` row,
    /// the binding, and the removal of queued pushes of that schema to that server — one
    /// transaction.
    pub fn record_push(
        &mut self,
        schema_id: SchemaId,
        revision_id: i64,
        server_id: ServerId,
        record: &PushRecord,
        binding: &BindingUpdate,
    ) -> Result<Push> {
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        ensure_schema_and_server(&tx, schema_id, server_id)?;
        let owner: Option<i64> = tx
            .query_row(
                "SELECT schema_id FROM revisions WHERE id = ?1",
                [revision_id],
                |r| r.get(0),
            )
            .optional()?;
        if owner != Some(schema_id.0) {
            return Err(StoreError::Corrupt(format!(
                "revision #{revision_id} does not belong to schema {}",
                schema_id.0
            )));
        }
        let now = now_rfc3339();
        tx.execute(
            "INSERT INTO pushes (revision_id, server_id, remote_id, remote_revision, sequence, change_date, resource_owner, pushed_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                revision_id,
                server_id.0,
                record.remote_id,
                record.remote_revision,
                record.sequence,
                record.change_date,
                record.resource_owner,
                now
            ],
        )?;
        let id = tx.last_insert_rowid();
        upsert_binding(&tx, schema_id, server_id, binding, &now)?;
        tx.execute(
            "DELETE FROM sync_queue WHERE schema_id = ?1 AND server_id = ?2",
            params![schema_id.0, server_id.0],
        )?;
        tx.commit()?;
        super::events::pushed(
            self.conn(),
            revision_id,
            server_id.0,
            record.remote_revision,
        );
        Ok(Push {
            id,
            revision_id,
            server_id,
            record: record.clone(),
            pushed_at: now,
        })
    }

    /// The pushes of one revision, oldest first.
    pub fn pushes_of_revision(&self, revision_id: i64) -> Result<Vec<Push>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, revision_id, server_id, remote_id, remote_revision, sequence, change_date, resource_owner, pushed_at \
             FROM pushes WHERE revision_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([revision_id], |row| {
            Ok(Push {
                id: row.get(0)?,
                revision_id: row.get(1)?,
                server_id: ServerId(row.get(2)?),
                record: PushRecord {
                    remote_id: row.get(3)?,
                    remote_revision: row.get(4)?,
                    sequence: row.get(5)?,
                    change_date: row.get(6)?,
                    resource_owner: row.get(7)?,
                },
                pushed_at: row.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Queues a push that failed for lack of network. An older queued push of the same
    /// schema to the same server is replaced: only the newest wish counts.
    pub fn queue_push(
        &mut self,
        schema_id: SchemaId,
        server_id: ServerId,
        revision_id: i64,
        error: &str,
    ) -> Result<QueuedPush> {
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        ensure_schema_and_server(&tx, schema_id, server_id)?;
        let previous: Option<u32> = tx
            .query_row(
                "SELECT max(attempts) FROM sync_queue WHERE schema_id = ?1 AND server_id = ?2",
                params![schema_id.0, server_id.0],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        tx.execute(
            "DELETE FROM sync_queue WHERE schema_id = ?1 AND server_id = ?2",
            params![schema_id.0, server_id.0],
        )?;
        let now = now_rfc3339();
        let attempts = previous.unwrap_or(0) + 1;
        tx.execute(
            "INSERT INTO sync_queue (schema_id, server_id, revision_id, queued_at, attempts, last_error) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![schema_id.0, server_id.0, revision_id, now, attempts, error],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        super::events::queued(self.conn(), revision_id, server_id.0, attempts, error);
        Ok(QueuedPush {
            id,
            schema_id,
            server_id,
            revision_id,
            queued_at: now,
            attempts,
            last_error: Some(error.to_string()),
        })
    }

    /// Queued pushes, oldest first; `server` limits them to one server.
    pub fn queued_pushes(&self, server: Option<ServerId>) -> Result<Vec<QueuedPush>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {QUEUE_COLUMNS} FROM sync_queue WHERE ?1 IS NULL OR server_id = ?1 ORDER BY id"
        ))?;
        let rows = stmt.query_map([server.map(|s| s.0)], queued_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Notes another failed attempt of a queued push.
    pub fn note_queue_attempt(&mut self, id: i64, error: &str) -> Result<()> {
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "UPDATE sync_queue SET attempts = attempts + 1, last_error = ?2 WHERE id = ?1",
            params![id, error],
        )?;
        tx.commit()?;
        super::events::retry_failed(self.conn(), id, error);
        Ok(())
    }

    /// Drops a queued push (done, or given up).
    pub fn dequeue(&mut self, id: i64) -> Result<()> {
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM sync_queue WHERE id = ?1", [id])?;
        tx.commit()?;
        Ok(())
    }

    /// A revision by its row id (queued pushes and push records refer to revisions so).
    pub fn revision_by_id(&self, revision_id: i64) -> Result<super::Revision> {
        let found: Option<(i64, u32)> = self
            .conn()
            .query_row(
                "SELECT schema_id, number FROM revisions WHERE id = ?1",
                [revision_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match found {
            Some((schema, number)) => self.revision(SchemaId(schema), number),
            None => Err(StoreError::Corrupt(format!(
                "no revision with row id {revision_id}"
            ))),
        }
    }
}

pub(super) fn ensure_schema_and_server(
    tx: &rusqlite::Transaction<'_>,
    schema_id: SchemaId,
    server_id: ServerId,
) -> Result<()> {
    let schema: Option<i64> = tx
        .query_row("SELECT id FROM schemas WHERE id = ?1", [schema_id.0], |r| {
            r.get(0)
        })
        .optional()?;
    if schema.is_none() {
        return Err(StoreError::NoSuchSchema(schema_id.0));
    }
    let server: Option<i64> = tx
        .query_row("SELECT id FROM servers WHERE id = ?1", [server_id.0], |r| {
            r.get(0)
        })
        .optional()?;
    if server.is_none() {
        return Err(StoreError::NoSuchServer(format!("#{}", server_id.0)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::UserSchemaDraft;
    use serde_json::json;

    #[test]
    fn servers_bindings_pushes_and_queue() {
        let mut store = Store::open_in_memory().unwrap();
        let s = store
            .add_server("prod", "https://id.example.com", Some(1))
            .unwrap();
        assert!(matches!(
            store.add_server("prod", "https://x", None),
            Err(StoreError::ServerNameTaken(_))
        ));
        let rev = store
            .create_schema(&UserSchemaDraft::new("a", json!({}), []), "")
            .unwrap();
        assert_eq!(store.binding(rev.schema_id, s.id).unwrap(), None);
        let q = store
            .queue_push(rev.schema_id, s.id, rev.id, "down")
            .unwrap();
        let q2 = store
            .queue_push(rev.schema_id, s.id, rev.id, "down")
            .unwrap();
        assert_eq!(q2.attempts, 2);
        assert_eq!(store.queued_pushes(None).unwrap().len(), 1);
        assert_eq!(q.schema_id, q2.schema_id);
        let record = PushRecord {
            remote_id: "r1".into(),
            remote_revision: Some(1),
            sequence: Some("12".into()),
            ..Default::default()
        };
        let binding = BindingUpdate {
            remote_id: "r1".into(),
            remote_revision: Some(1),
            remote_state: Some("ACTIVE".into()),
            last_details: None,
            last_content_hash: Some("h".into()),
        };
        store
            .record_push(rev.schema_id, rev.id, s.id, &record, &binding)
            .unwrap();
        assert!(store.queued_pushes(None).unwrap().is_empty());
        let b = store.binding(rev.schema_id, s.id).unwrap().unwrap();
        assert_eq!(b.remote_id, "r1");
        let all = store.bindings_of_schema(rev.schema_id).unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!((all[0].0.name.as_str(), &all[0].1), ("prod", &b));
        assert_eq!(store.pushes_of_revision(rev.id).unwrap()[0].record, record);
        store
            .set_binding_state(rev.schema_id, s.id, "INACTIVE", None)
            .unwrap();
        assert_eq!(
            store
                .binding_by_remote_id(s.id, "r1")
                .unwrap()
                .unwrap()
                .remote_state
                .as_deref(),
            Some("INACTIVE")
        );
        store.remove_server(s.id).unwrap();
        assert_eq!(store.binding(rev.schema_id, s.id).unwrap(), None);
        assert_eq!(store.latest_revision(rev.schema_id).unwrap().number, 1);
    }
}
