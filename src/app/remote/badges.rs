//! A schema's state on the servers it is bound to (the list's badges) and the pushes of each
//! revision (the history rows), read from the store.

use super::*;

/// One push of a revision, for the history row.
#[derive(Debug, Clone, PartialEq)]
pub struct PushedTo {
    pub server: String,
    pub remote_revision: Option<u32>,
    pub pushed_at: String,
}

/// A schema's state on one server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Badge {
    pub server: String,
    pub kind: BadgeKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadgeKind {
    Pushed,
    Active,
    Inactive,
    Deleted,
    OutOfDate,
    Queued,
}

impl BadgeKind {
    pub fn label(self) -> &'static str {
        match self {
            BadgeKind::Pushed => "pushed",
            BadgeKind::Active => "active",
            BadgeKind::Inactive => "inactive",
            BadgeKind::Deleted => "deleted on server",
            BadgeKind::OutOfDate => "out of date",
            BadgeKind::Queued => "queued",
        }
    }
}

/// Every schema's badges: its state on each server it is bound to, and queued pushes.
pub(super) fn badges(store: &Store) -> Result<BTreeMap<SchemaId, Vec<Badge>>, StoreError> {
    let mut out: BTreeMap<SchemaId, Vec<Badge>> = BTreeMap::new();
    let servers = store.list_servers()?;
    let names: BTreeMap<i64, String> = servers.iter().map(|s| (s.id.0, s.name.clone())).collect();
    for server in &servers {
        for binding in store.bindings_for_server(server.id)? {
            let Ok(latest) = store.latest_revision(binding.schema_id) else {
                continue;
            };
            let kind = match binding.remote_state.as_deref() {
                Some("DELETED") => BadgeKind::Deleted,
                _ if binding.last_content_hash.as_deref()
                    != Some(remote_hash(&latest.draft).as_str()) =>
                {
                    BadgeKind::OutOfDate
                }
                Some("INACTIVE") => BadgeKind::Inactive,
                Some("ACTIVE") => BadgeKind::Active,
                _ => BadgeKind::Pushed,
            };
            out.entry(binding.schema_id).or_default().push(Badge {
                server: server.name.clone(),
                kind,
            });
        }
    }
    for queued in store.queued_pushes(None)? {
        out.entry(queued.schema_id).or_default().push(Badge {
            server: names.get(&queued.server_id.0).cloned().unwrap_or_default(),
            kind: BadgeKind::Queued,
        });
    }
    Ok(out)
}
