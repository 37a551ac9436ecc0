//! The store thread: a thread that owns its own [`Store`] and answers requests over channels,
//! so no frame ever waits for the disk.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::json;

use super::failure::Failure;
use super::import::{ExportFormat, ImportError, import_file};
use super::tasks::{Queue, Replies, Wake};
use super::undo::Parts;
use crate::nextgen::Target;
use crate::nextgen::validate::{MetaSet, validate_document};
use crate::schema::TypeName;
use crate::schema::diff::{DiffLine, diff_lines};
use crate::schema::validate::{Diagnostic, Source, validate};
use crate::schema::{AuthenticatorType, UserSchemaDraft};
use crate::store::{
    ListFilter, Revision, RevisionSummary, SaveOutcome, SchemaId, SchemaSummary, Store, StoreError,
};

/// One revision as the history view lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryRow {
    pub summary: RevisionSummary,
    /// Server names this revision was pushed to (empty until sync pushes it somewhere).
    pub pushed_to: Vec<String>,
}

/// What the app asks of the store.
#[derive(Debug, Clone)]
pub enum Request {
    /// Changes which schemas are listed, and lists them.
    SetFilter(ListFilter),
    List,
    Open(SchemaId),
    /// Creates a schema with a fresh type name based on `base_type`.
    Create {
        base_type: String,
        schema: serde_json::Value,
        authenticators: BTreeSet<AuthenticatorType>,
        /// A nextgen schema's document gets the type as its `objectType`.
        target: Target,
    },
    Duplicate(SchemaId),
    /// Validates the parts and saves them as a new revision on top of revision `base`, the
    /// one the draft started from (a newer latest revision makes a [`Reply::SaveConflict`]).
    Save {
        id: SchemaId,
        parts: Parts,
        message: String,
        base: u32,
        /// A workspace-linked nextgen schema is checked against its workspace's meta-schemas
        /// (None: the bundled one).
        metas: Option<std::sync::Arc<MetaSet>>,
    },
    /// The latest revision and history of a schema, after another writer committed.
    Refresh(SchemaId),
    Rename {
        id: SchemaId,
        new_type: String,
    },
    SetArchived(SchemaId, bool),
    MarkDeleted(SchemaId),
    Undelete(SchemaId),
    Purge(SchemaId),
    Restore {
        id: SchemaId,
        number: u32,
    },
    Diff {
        id: SchemaId,
        old: u32,
        new: u32,
    },
    Import(PathBuf),
    /// An import from a file in a private temporary folder, which is removed afterwards
    /// (a confirmed Keycloak or Ory conversion, app/interchange.rs).
    ImportTemporary {
        path: PathBuf,
        folder: PathBuf,
    },
    Export {
        id: SchemaId,
        path: PathBuf,
        format: ExportFormat,
    },
    /// Lists, saves or deletes sample users of a schema.
    Samples(super::designer::SampleRequest),
}

/// What the store answers. A request may produce several replies (e.g. a result and the list).
#[derive(Debug, Clone)]
pub enum Reply {
    List(Vec<SchemaSummary>),
    /// The target of every schema; follows each list in the same batch.
    Targets(HashMap<SchemaId, Target>),
    /// A schema's latest revision and history (after open, restore or rename).
    Opened {
        summary: SchemaSummary,
        revision: Box<Revision>,
        /// The revision's schema text, pretty-printed here rather than in a frame.
        text: String,
        history: Vec<HistoryRow>,
        reason: OpenReason,
    },
    Created(SchemaId),
    Saved {
        id: SchemaId,
        parts: Parts,
        revision: Box<Revision>,
        created: bool,
        history: Vec<HistoryRow>,
    },
    SaveRejected {
        id: SchemaId,
        diagnostics: Vec<Diagnostic>,
    },
    /// Nothing was saved: another writer saved `theirs` after the draft's `base`.
    SaveConflict(Box<super::writers::SaveConflict>),
    /// Another connection committed to the store (unasked for: sent by the worker's poll).
    StoreChanged(Vec<SchemaSummary>),
    /// A schema's latest revision and history, asked for after [`Reply::StoreChanged`].
    Refreshed {
        summary: SchemaSummary,
        revision: Box<Revision>,
        /// The revision's schema text, pretty-printed here rather than in a frame.
        text: String,
        history: Vec<HistoryRow>,
    },
    Changed {
        id: SchemaId,
        what: Change,
    },
    Diff {
        id: SchemaId,
        old: u32,
        new: u32,
        lines: Vec<DiffLine>,
    },
    Imported {
        id: SchemaId,
        type_name: String,
        number: u32,
        created: bool,
    },
    ImportRejected(ImportError),
    Exported(PathBuf),
    /// The samples of a schema after a sample request.
    Samples(super::designer::SampleReply),
    /// A request failed; `context` says which.
    Failed {
        context: String,
        error: super::failure::Failure,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenReason {
    Open,
    Restored(u32),
    Renamed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Archived(bool),
    Deleted,
    Undeleted,
    Purged,
}

/// The handle the app keeps: the store thread's [`Queue`] and a count of requests still
/// being worked on.
pub struct StoreThread {
    queue: Queue<Request, Vec<Reply>>,
    pending: usize,
}

impl StoreThread {
    /// Starts the worker on the store at `path`; `wake` is called after every answer.
    pub fn spawn(path: PathBuf, wake: Wake) -> Self {
        StoreThread {
            queue: Queue::spawn("schemadesk-store", wake, move |requests, replies| {
                run(path, &requests, &replies)
            }),
            pending: 0,
        }
    }

    /// Sends a request; false if the worker is gone.
    pub fn send(&mut self, request: Request) -> bool {
        let sent = self.queue.send(request);
        if sent {
            self.pending += 1;
        }
        sent
    }

    /// Replies that arrived since the last poll, in order.
    pub fn poll(&mut self) -> Vec<Reply> {
        let polled = self.queue.poll();
        let mut out = Vec::new();
        for batch in polled.answers {
            // The worker's own notices of other writers answer no request.
            if !matches!(batch.first(), Some(Reply::StoreChanged(_))) {
                self.pending = self.pending.saturating_sub(1);
            }
            out.extend(batch);
        }
        if polled.stopped && self.pending > 0 {
            self.pending = 0;
            out.push(Reply::Failed {
                context: "store".into(),
                error: Failure::new("the store thread stopped"),
            });
        }
        out
    }

    /// Requests sent and not yet answered.
    pub fn pending(&self) -> usize {
        self.pending
    }
}

/// How often the worker asks SQLite whether another connection committed.
const CHANGE_POLL: Duration = Duration::from_millis(300);

fn run(path: PathBuf, requests: &Receiver<Request>, replies: &Replies<Vec<Reply>>) {
    let mut store = Store::open(&path);
    let mut filter = ListFilter::default();
    let mut seen = store.as_ref().ok().and_then(|s| s.data_version().ok());
    let mut checked = Instant::now();
    loop {
        match requests.recv_timeout(CHANGE_POLL) {
            Ok(request) => {
                let batch = match &mut store {
                    Ok(store) => {
                        let batch = handle(store, &mut filter, request);
                        with_targets(store, batch)
                    }
                    Err(e) => vec![Reply::Failed {
                        context: "store".into(),
                        error: Failure::copied_from(e.message_at(&path), &*e),
                    }],
                };
                if !replies.send(batch) {
                    return;
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        // Checked between requests too, so a busy editor still hears of other writers.
        if checked.elapsed() < CHANGE_POLL {
            continue;
        }
        checked = Instant::now();
        let Ok(store) = &store else { continue };
        if !super::writers::changed_elsewhere(store, &mut seen) {
            continue;
        }
        // A list that cannot be read now is read at the next change; the app keeps its own.
        if let Ok(list) = store.list_schemas(filter)
            && !replies.send(with_targets(store, vec![Reply::StoreChanged(list)]))
        {
            return;
        }
    }
}

/// Adds the targets to a batch that lists the schemas, so the list never shows a stale one.
fn with_targets(store: &Store, mut batch: Vec<Reply>) -> Vec<Reply> {
    if batch
        .iter()
        .any(|r| matches!(r, Reply::List(_) | Reply::StoreChanged(_)))
    {
        match store.targets() {
            Ok(t) => batch.push(Reply::Targets(t)),
            Err(e) => batch.push(failed(store, "reading the schemas' targets", &e)),
        }
    }
    batch
}

fn failed(store: &Store, context: impl Into<String>, e: &StoreError) -> Reply {
    Reply::Failed {
        context: context.into(),
        error: Failure::copied_from(e.message_at(store.path()), e),
    }
}

fn history(store: &Store, id: SchemaId) -> Result<Vec<HistoryRow>, StoreError> {
    let revisions = store.history(id)?;
    // Push records are informative: a store that cannot give them (an older file opened
    // read-only has no table for them) still shows its history, and the log says why.
    let mut pushes = store.pushes_by_revision(id).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "history shown without its push records");
        Default::default()
    });
    Ok(revisions
        .into_iter()
        .map(|summary| HistoryRow {
            pushed_to: pushes.remove(&summary.number).unwrap_or_default(),
            summary,
        })
        .collect())
}

fn opened(store: &Store, id: SchemaId, reason: OpenReason) -> Result<Reply, StoreError> {
    let revision = store.latest_revision(id)?;
    Ok(Reply::Opened {
        summary: store.schema(id)?,
        text: revision.schema_text(),
        revision: Box::new(revision),
        history: history(store, id)?,
        reason,
    })
}

fn list(store: &Store, filter: ListFilter) -> Reply {
    match store.list_schemas(filter) {
        Ok(l) => Reply::List(l),
        Err(e) => failed(store, "listing schemas", &e),
    }
}

/// A type not yet used by a live schema: `base`, `base-2`, `base-3`, …
fn free_type(store: &Store, base: &str) -> Result<String, StoreError> {
    let mut candidate = base.to_string();
    let mut n = 2;
    while store.find_by_type(&candidate)?.is_some() {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    Ok(candidate)
}

fn handle(store: &mut Store, filter: &mut ListFilter, request: Request) -> Vec<Reply> {
    match request {
        Request::SetFilter(f) => {
            *filter = f;
            vec![list(store, *filter)]
        }
        Request::List => vec![list(store, *filter)],
        Request::Open(id) => vec![
            opened(store, id, OpenReason::Open)
                .unwrap_or_else(|e| failed(store, "opening the schema", &e)),
        ],
        Request::Create {
            base_type,
            mut schema,
            authenticators,
            target,
        } => {
            let result = free_type(store, &base_type).and_then(|type_name| {
                if target == Target::Nextgen
                    && let Some(doc) = schema.as_object_mut()
                {
                    doc.insert("objectType".into(), type_name.clone().into());
                }
                let draft = UserSchemaDraft {
                    type_name,
                    schema,
                    possible_authenticators: authenticators,
                };
                match target {
                    Target::V3alpha => store.create_schema(&draft, "Created"),
                    Target::Nextgen => {
                        store
                            .save_with_target(&draft, "Created", target)
                            .map(|o| match o {
                                SaveOutcome::Created(r) | SaveOutcome::Unchanged(r) => r,
                            })
                    }
                }
            });
            match result {
                Ok(rev) => vec![Reply::Created(rev.schema_id), list(store, *filter)],
                Err(e) => vec![failed(store, "creating a schema", &e)],
            }
        }
        Request::Duplicate(id) => {
            let result = store.latest_revision(id).and_then(|rev| {
                let original = rev.draft.type_name.clone();
                let mut draft = rev.draft;
                draft.type_name = free_type(store, &format!("{original}-copy"))?;
                let message = format!("Duplicated from \"{original}\" revision {}", rev.number);
                // A nextgen copy stays nextgen, its objectType following the new type.
                match store.target(id)? {
                    Target::V3alpha => store.create_schema(&draft, &message),
                    Target::Nextgen => {
                        if let Some(doc) = draft.schema.as_object_mut() {
                            doc.insert("objectType".into(), draft.type_name.clone().into());
                        }
                        store
                            .save_with_target(&draft, &message, Target::Nextgen)
                            .map(|o| match o {
                                SaveOutcome::Created(r) | SaveOutcome::Unchanged(r) => r,
                            })
                    }
                }
            });
            match result {
                Ok(rev) => vec![Reply::Created(rev.schema_id), list(store, *filter)],
                Err(e) => vec![failed(store, "duplicating the schema", &e)],
            }
        }
        Request::Save {
            id,
            parts,
            message,
            base,
            metas,
        } => save(store, *filter, id, parts, &message, base, metas.as_deref()),
        Request::Refresh(id) => match (
            store.schema(id),
            store.latest_revision(id),
            history(store, id),
        ) {
            (Ok(summary), Ok(revision), Ok(history)) => vec![Reply::Refreshed {
                summary,
                text: revision.schema_text(),
                revision: Box::new(revision),
                history,
            }],
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                vec![failed(store, "reading the store after another writer", &e)]
            }
        },
        Request::Rename { id, new_type } => {
            if let Err(m) = TypeName::parse(&new_type) {
                return vec![Reply::Failed {
                    context: "renaming".into(),
                    error: Failure::caused_by(m.to_string(), m),
                }];
            }
            // As `schemadesk rename`: a nextgen schema's objectType ties it to its revisions
            // and users on the server.
            if store.target(id).ok() == Some(Target::Nextgen) {
                return vec![Reply::Failed {
                    context: "renaming".into(),
                    error: Failure::new(
                        "a nextgen schema is never renamed: its objectType ties it to its \
                         revisions and users; make a new schema for a new user type",
                    ),
                }];
            }
            match store
                .rename(id, &new_type)
                .and_then(|_| opened(store, id, OpenReason::Renamed))
            {
                Ok(reply) => vec![reply, list(store, *filter)],
                Err(e) => vec![failed(store, "renaming", &e)],
            }
        }
        Request::SetArchived(id, archived) => {
            change(store, *filter, id, Change::Archived(archived), |s| {
                s.set_archived(id, archived)
            })
        }
        Request::MarkDeleted(id) => {
            change(store, *filter, id, Change::Deleted, |s| s.mark_deleted(id))
        }
        Request::Undelete(id) => change(store, *filter, id, Change::Undeleted, |s| s.undelete(id)),
        Request::Purge(id) => change(store, *filter, id, Change::Purged, |s| s.purge(id)),
        Request::Restore { id, number } => match store
            .restore_revision(id, number, "")
            .and_then(|_| opened(store, id, OpenReason::Restored(number)))
        {
            Ok(reply) => vec![reply, list(store, *filter)],
            Err(e) => vec![failed(store, format!("restoring revision {number}"), &e)],
        },
        Request::Diff { id, old, new } => {
            match store
                .revision(id, old)
                .and_then(|a| Ok((a, store.revision(id, new)?)))
            {
                Ok((a, b)) => vec![Reply::Diff {
                    id,
                    old,
                    new,
                    lines: diff_lines(
                        &a.draft.request_body_pretty(),
                        &b.draft.request_body_pretty(),
                    ),
                }],
                Err(e) => vec![failed(store, "comparing revisions", &e)],
            }
        }
        Request::ImportTemporary { path, folder } => {
            let replies = handle(store, filter, Request::Import(path));
            if let Err(e) = super::interchange::remove_folder(&folder) {
                tracing::warn!("cannot remove {}: {e}", folder.display());
            }
            replies
        }
        Request::Import(path) => match import_file(store, &path) {
            Ok(outcome) => {
                let rev = outcome.revision();
                vec![
                    Reply::Imported {
                        id: rev.schema_id,
                        type_name: rev.draft.type_name.clone(),
                        number: rev.number,
                        created: outcome.created(),
                    },
                    list(store, *filter),
                ]
            }
            Err(e) => vec![Reply::ImportRejected(e)],
        },
        Request::Export { id, path, format } => {
            use crate::service::exchange::export::{ExportError, export_latest};
            match export_latest(store, id, &path, format) {
                Ok(()) => vec![Reply::Exported(path)],
                Err(ExportError::Write(e)) => vec![Reply::Failed {
                    context: "exporting".into(),
                    error: Failure::caused_by(format!("{e}: {}", e.source), e),
                }],
                Err(ExportError::Store(e)) => vec![failed(store, "exporting", &e)],
                Err(e) => vec![Reply::Failed {
                    context: "exporting".into(),
                    error: Failure::caused_by(e.to_string(), e),
                }],
            }
        }
        Request::Samples(r) => super::designer::handle_samples(store, r),
    }
}

fn save(
    store: &mut Store,
    filter: ListFilter,
    id: SchemaId,
    parts: Parts,
    message: &str,
    base: u32,
    metas: Option<&MetaSet>,
) -> Vec<Reply> {
    let draft = match store.target(id) {
        Ok(Target::Nextgen) => nextgen_draft(&parts, metas),
        Ok(Target::V3alpha) => v3alpha_draft(&parts),
        Err(e) => return vec![failed(store, "saving", &e)],
    };
    let draft = match draft {
        Ok(draft) => draft,
        Err(diagnostics) => return vec![Reply::SaveRejected { id, diagnostics }],
    };
    let result = match store.save_revision_on(id, base, &draft, message) {
        Err(StoreError::NotLatest { .. }) => {
            return vec![super::writers::save_conflict(
                store, id, base, parts, draft, message,
            )];
        }
        other => other.and_then(|outcome| Ok((outcome, history(store, id)?))),
    };
    match result {
        Ok((outcome, history)) => {
            let created = outcome.created();
            let revision = match outcome {
                SaveOutcome::Created(r) | SaveOutcome::Unchanged(r) => r,
            };
            vec![
                Reply::Saved {
                    id,
                    parts,
                    revision: Box::new(revision),
                    created,
                    history,
                },
                list(store, filter),
            ]
        }
        Err(e) => vec![failed(store, "saving", &e)],
    }
}

/// The parts as a v3alpha draft, or why they are not one.
fn v3alpha_draft(parts: &Parts) -> Result<UserSchemaDraft, Vec<Diagnostic>> {
    let validation = validate(Source::Parts {
        type_name: &parts.type_name,
        schema_text: &parts.schema_text,
        authenticators: &parts.authenticators,
    });
    if !validation.is_valid() {
        return Err(validation.diagnostics);
    }
    validation
        .into_draft(Some(&parts.type_name))
        .ok_or_else(Vec::new)
}

/// The parts as a nextgen draft (the document alone), checked by nextgen's rules.
fn nextgen_draft(
    parts: &Parts,
    metas: Option<&MetaSet>,
) -> Result<UserSchemaDraft, Vec<Diagnostic>> {
    let v = match metas {
        Some(metas) => validate_document(&parts.schema_text, metas),
        None => validate_document(&parts.schema_text, &MetaSet::bundled()),
    };
    let doc = match v.document {
        Some(doc) if v.diagnostics.is_empty() => doc,
        _ => return Err(v.diagnostics),
    };
    // The objectType ties the schema to its revisions and users: the type may not drift.
    if let Some(object_type) = crate::nextgen::dialect::object_type(&doc)
        && object_type != parts.type_name.trim()
    {
        let pos =
            crate::schema::position::PositionIndex::build(&parts.schema_text).locate("/objectType");
        return Err(vec![Diagnostic::at(
            pos,
            "/objectType",
            crate::schema::Rule::Type,
            format!(
                "the type \"{}\" differs from the objectType \"{object_type}\"; a nextgen \
                 schema is never renamed: make a new schema for a new user type",
                parts.type_name.trim()
            ),
        )]);
    }
    Ok(UserSchemaDraft::new(&parts.type_name, doc, []))
}

fn change(
    store: &mut Store,
    filter: ListFilter,
    id: SchemaId,
    what: Change,
    f: impl FnOnce(&mut Store) -> Result<(), StoreError>,
) -> Vec<Reply> {
    match f(store) {
        Ok(()) => vec![Reply::Changed { id, what }, list(store, filter)],
        Err(e) => vec![
            failed(store, "changing the schema", &e),
            list(store, filter),
        ],
    }
}

/// The default body of a new schema: an object with two example fields.
pub fn new_schema_template() -> serde_json::Value {
    json!({
        "$schema": "urn:zitadel:schema:v1",
        "type": "object",
        "properties": {
            "givenName": {
                "type": "string",
                "urn:zitadel:schema:permission": { "owner": "rw", "self": "rw" }
            },
            "familyName": {
                "type": "string",
                "urn:zitadel:schema:permission": { "owner": "rw", "self": "rw" }
            }
        },
        "required": ["givenName", "familyName"]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nextgen_store() -> (tempfile::TempDir, Store, SchemaId, serde_json::Value) {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = Store::open(&dir.path().join("s.db")).expect("store");
        let doc = json!({
            "kind": "user-schema",
            "metaSchema": "${SERVER_URL}/user-schema.json",
            "objectType": "member",
            "x-auth-methods": {"passkey": {"enabled": true}},
            "properties": {"email": {"type": "string"}}
        });
        let id = store
            .save_with_target(
                &UserSchemaDraft::new("member", doc.clone(), []),
                "seed",
                Target::Nextgen,
            )
            .expect("seed")
            .revision()
            .schema_id;
        (dir, store, id, doc)
    }

    fn save_request(id: SchemaId, doc: &serde_json::Value) -> Request {
        Request::Save {
            id,
            parts: Parts {
                type_name: "member".into(),
                schema_text: crate::schema::pretty(doc),
                authenticators: BTreeSet::new(),
            },
            message: String::new(),
            base: 1,
            metas: None,
        }
    }

    #[test]
    fn a_nextgen_save_is_checked_by_the_nextgen_rules() {
        let (_dir, mut store, id, doc) = nextgen_store();
        let mut filter = ListFilter::default();
        let mut bad = doc.clone();
        bad["x-auth-methods"]["password"] = json!({"enabled": true});
        let replies = handle(&mut store, &mut filter, save_request(id, &bad));
        assert!(
            matches!(&replies[..], [Reply::SaveRejected { diagnostics, .. }]
                if diagnostics.iter().any(|d| d.pointer.contains("x-identifier") || d.message.contains("x-identifier"))),
            "{replies:?}"
        );
        assert_eq!(store.latest_revision(id).unwrap().number, 1);

        let mut good = doc;
        good["x-auth-methods"]["passkey"] = json!({"enabled": false});
        good["x-auth-methods"]["otp"] = json!({"enabled": true});
        let replies = handle(&mut store, &mut filter, save_request(id, &good));
        assert!(
            matches!(replies.first(), Some(Reply::Saved { created: true, .. })),
            "{replies:?}"
        );
        let rev = store.latest_revision(id).unwrap();
        assert_eq!(rev.draft.schema, good);
        assert!(rev.draft.possible_authenticators.is_empty());
        assert_eq!(store.target(id).unwrap(), Target::Nextgen);
    }

    #[test]
    fn a_nextgen_duplicate_stays_nextgen() {
        let (_dir, mut store, id, _) = nextgen_store();
        let mut filter = ListFilter::default();
        let replies = handle(&mut store, &mut filter, Request::Duplicate(id));
        let Some(Reply::Created(copy)) = replies.first() else {
            panic!("{replies:?}");
        };
        assert_eq!(store.target(*copy).unwrap(), Target::Nextgen);
        let draft = store.latest_revision(*copy).unwrap().draft;
        assert_eq!(draft.type_name, "member-copy");
        assert_eq!(draft.schema["objectType"], json!("member-copy"));
    }

    #[test]
    fn a_nextgen_schema_is_not_renamed() {
        let (_dir, mut store, id, doc) = nextgen_store();
        let mut filter = ListFilter::default();
        let replies = handle(
            &mut store,
            &mut filter,
            Request::Rename {
                id,
                new_type: "guest".into(),
            },
        );
        assert!(
            matches!(&replies[..], [Reply::Failed { error, .. }] if error.message().contains("nextgen")),
            "{replies:?}"
        );
        assert_eq!(store.schema(id).unwrap().type_name, "member");
        // Nor by saving under another type.
        let Request::Save {
            id,
            mut parts,
            message,
            base,
            metas,
        } = save_request(id, &doc)
        else {
            unreachable!()
        };
        parts.type_name = "guest".into();
        let replies = handle(
            &mut store,
            &mut filter,
            Request::Save {
                id,
                parts,
                message,
                base,
                metas,
            },
        );
        assert!(
            matches!(&replies[..], [Reply::SaveRejected { diagnostics, .. }]
                if diagnostics.iter().any(|d| d.pointer == "/objectType" && d.line > 1)),
            "{replies:?}"
        );
        assert_eq!(store.latest_revision(id).unwrap().number, 1);
    }
}
