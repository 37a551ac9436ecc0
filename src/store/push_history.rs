//! Where each revision was pushed, read for the history view's rows.

use std::collections::BTreeMap;

use rusqlite::params;

use super::{Result, SchemaId, Store};

impl Store {
    /// Where each revision of a schema was pushed: revision number → server names, in push
    /// order. Revisions that were never pushed are absent; a store without pushes gives an
    /// empty map.
    pub fn pushes_by_revision(&self, id: SchemaId) -> Result<BTreeMap<u32, Vec<String>>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT r.number, s.name FROM pushes p \
             JOIN revisions r ON r.id = p.revision_id \
             JOIN servers s ON s.id = p.server_id \
             WHERE r.schema_id = ?1 ORDER BY p.pushed_at, p.id",
        )?;
        let rows = stmt.query_map(params![id.0], |row| {
            Ok((row.get::<_, u32>(0)?, row.get::<_, String>(1)?))
        })?;
        let mut out: BTreeMap<u32, Vec<String>> = BTreeMap::new();
        for row in rows {
            let (number, server) = row?;
            let servers = out.entry(number).or_default();
            if !servers.contains(&server) {
                servers.push(server);
            }
        }
        Ok(out)
    }
}
