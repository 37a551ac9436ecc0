//! Store and keyring work the runner does off the UI thread: the servers and badges, the
//! pushes of each revision, a conflict's common base, and the compatibility reports of the
//! history view and the push dialog.

use super::*;

impl SyncRunner {
    pub(super) fn refresh(&mut self) {
        let given = self.token.is_some();
        self.local(move |store| {
            let env_set = std::env::var(TOKEN_ENV).is_ok_and(|v| !v.trim().is_empty());
            let mut servers = Vec::new();
            for server in store.list_servers().map_err(|e| store_failed(store, e))? {
                let token = if given {
                    TokenStatus::Given
                } else if env_set {
                    TokenStatus::Env
                } else {
                    match Token::resolve(&server.name) {
                        Ok((_, TokenSource::Env)) => TokenStatus::Env,
                        Ok((_, TokenSource::Keyring)) => TokenStatus::Keyring,
                        Ok((_, TokenSource::Given)) => TokenStatus::Given,
                        Err(SyncError::NoToken { .. }) => TokenStatus::Missing(String::new()),
                        Err(e) => TokenStatus::Unreadable(e.to_string()),
                    }
                };
                servers.push(ServerRow { server, token });
            }
            let badges = badges(store).map_err(|e| store_failed(store, e))?;
            Ok(LocalReply::Snapshot { servers, badges })
        });
    }

    pub(super) fn load_pushes(&mut self, schema: SchemaId) {
        self.local(move |store| {
            let servers: BTreeMap<i64, String> = store
                .list_servers()
                .map_err(|e| store_failed(store, e))?
                .into_iter()
                .map(|s| (s.id.0, s.name))
                .collect();
            let mut out: BTreeMap<u32, Vec<PushedTo>> = BTreeMap::new();
            for rev in store.history(schema).map_err(|e| store_failed(store, e))? {
                for push in store
                    .pushes_of_revision(rev.id)
                    .map_err(|e| store_failed(store, e))?
                {
                    out.entry(rev.number).or_default().push(PushedTo {
                        server: servers
                            .get(&push.server_id.0)
                            .cloned()
                            .unwrap_or_else(|| format!("server {}", push.server_id.0)),
                        remote_revision: push.record.remote_revision,
                        pushed_at: push.pushed_at,
                    });
                }
            }
            Ok(LocalReply::Pushes(schema, out))
        });
    }

    /// Looks for the revision both sides of a conflict started from: the newest local
    /// revision whose content is what the binding says the server last held.
    pub(super) fn find_conflict_base(&mut self, schema: SchemaId, server: &str) {
        let server = server.to_string();
        self.local(move |store| {
            let srv = store
                .server_by_name(&server)
                .map_err(|e| store_failed(store, e))?;
            let known = store
                .binding(schema, srv.id)
                .map_err(|e| store_failed(store, e))?
                .and_then(|b| b.last_content_hash);
            let Some(known) = known else {
                return Ok(LocalReply::ConflictBase(schema, None));
            };
            for rev in store.history(schema).map_err(|e| store_failed(store, e))? {
                let full = store
                    .revision(schema, rev.number)
                    .map_err(|e| store_failed(store, e))?;
                if remote_hash(&full.draft) == known {
                    return Ok(LocalReply::ConflictBase(
                        schema,
                        Some((full.number, full.draft)),
                    ));
                }
            }
            Ok(LocalReply::ConflictBase(schema, None))
        });
    }

    /// Computes the history view's report between two revisions of a schema.
    pub fn compare_revisions(&mut self, schema: SchemaId, old: u32, new: u32) {
        self.local(move |store| {
            let a = store
                .revision(schema, old)
                .map_err(|e| store_failed(store, e))?;
            let b = store
                .revision(schema, new)
                .map_err(|e| store_failed(store, e))?;
            let samples: Vec<SampleInput> = store
                .list_samples(schema)
                .map_err(|e| store_failed(store, e))?
                .into_iter()
                .map(SampleInput::from)
                .collect();
            let mut view = CompatView::build(
                schema,
                format!("revision {old}"),
                format!("revision {new}"),
                &a.draft,
                &b.draft,
                &samples,
            );
            view.old = Some(old);
            view.new = Some(new);
            Ok(LocalReply::Compat(Box::new(view)))
        });
    }

    /// Builds the push dialog's report on a background thread (see [`push_review`]).
    pub(super) fn review_push(
        &mut self,
        fetched: Option<FetchedCopy>,
        fetch_error: Option<String>,
    ) {
        let Some(base) = self.push_base.clone() else {
            return;
        };
        self.local.spawn(
            "schemadesk-push-review",
            move || LocalReply::PushReview(Box::new(push_review(&base, fetched, fetch_error))),
            |text| LocalReply::Failed(text.into()),
        );
    }
}

/// The push dialog's report: against the server's copy when it was fetched, else against the
/// last pushed revision (or none, for a first push). Built on a background thread: a report
/// over a large schema and its samples is heavy work.
pub(super) struct PushReview {
    pub(super) schema: SchemaId,
    pub(super) server: String,
    pub(super) compat: Option<CompatView>,
    pub(super) note: String,
}

/// The server's copy as fetched for the push dialog: its label, draft and state.
pub(super) struct FetchedCopy {
    pub(super) label: String,
    pub(super) draft: UserSchemaDraft,
    pub(super) state: String,
}

pub(super) fn push_review(
    base: &PushBase,
    fetched: Option<FetchedCopy>,
    fetch_error: Option<String>,
) -> PushReview {
    let (compat, note) = if let Some(copy) = fetched {
        let mut view = CompatView::build(
            base.schema,
            copy.label,
            format!("revision {}", base.latest),
            &copy.draft,
            &base.draft,
            &base.samples,
        );
        view.new = Some(base.latest);
        let note = format!(
            "Compared with the copy on {} now ({}).",
            base.server, copy.state
        );
        (Some(view), note)
    } else {
        let why = fetch_error
            .map(|e| format!("The server's copy could not be fetched ({e}); "))
            .unwrap_or_default();
        match &base.last_pushed {
            Some((number, draft)) => {
                let mut view = CompatView::build(
                    base.schema,
                    format!("revision {number} (last pushed to {})", base.server),
                    format!("revision {}", base.latest),
                    draft,
                    &base.draft,
                    &base.samples,
                );
                view.old = Some(*number);
                view.new = Some(base.latest);
                let note = format!(
                    "{why}Compared with revision {number}, the last one pushed to {}.",
                    base.server
                );
                (Some(view), note)
            }
            None => (
                None,
                format!(
                    "{why}\"{}\" was never pushed to {}: this push creates it there.",
                    base.draft.type_name, base.server
                ),
            ),
        }
    };
    PushReview {
        schema: base.schema,
        server: base.server.clone(),
        compat,
        note,
    }
}
