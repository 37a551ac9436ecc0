//! Taking in what the background work answered: store reads ([`LocalReply`]) and finished
//! server jobs, turned into view state and [`Effect`]s.

use super::*;

impl SyncRunner {
    /// Polls the worker and the background threads; returns what the app must do.
    pub fn poll(&mut self, app: &mut AppState) -> Vec<Effect> {
        let mut effects = Vec::new();
        // Badges follow the schema list; push records follow the open schema's history.
        let list: Vec<(SchemaId, u32)> = app
            .schemas
            .iter()
            .map(|s| (s.id, s.latest_revision))
            .collect();
        if self.seen_list.as_ref() != Some(&list) {
            self.seen_list = Some(list);
            self.refresh();
        }
        let open = app
            .editor
            .as_ref()
            .map(|e| (e.id, e.saved_revision, app.history.len()));
        if open != self.seen_open {
            self.seen_open = open;
            match open {
                Some((id, _, _)) => self.load_pushes(id),
                None => app.sync.pushes.clear(),
            }
        }
        for reply in self.local.poll() {
            self.on_local(reply, app);
        }
        let mut finished = None;
        if let Some((_, worker)) = &self.server_job {
            while let Some(message) = worker.try_recv() {
                match message {
                    WorkerMessage::Progress(text) => {
                        if let Some(job) = &mut app.sync.job {
                            job.progress = text;
                        }
                    }
                    WorkerMessage::Done(result) => {
                        finished = Some(result);
                        break;
                    }
                }
            }
        }
        if let Some(result) = finished
            && let Some((kind, _)) = self.server_job.take()
        {
            app.sync.job = None;
            self.on_done(kind, result, app, &mut effects);
        }
        effects
    }

    pub(super) fn on_local(&mut self, reply: LocalReply, app: &mut AppState) {
        let state = &mut app.sync;
        match reply {
            LocalReply::Snapshot { servers, badges } => {
                state.servers = servers;
                state.servers_loaded = true;
                state.badges = badges;
                // Pull… before the servers were known: list the default (or first) one now.
                let default = app
                    .prefs
                    .default_server
                    .as_ref()
                    .and_then(|d| state.servers.iter().find(|s| s.server.name == *d));
                if let Some(view) = &mut state.remote
                    && view.server.is_none()
                    && let Some(first) = default.or(state.servers.first())
                {
                    view.server = Some(first.server.name.clone());
                    self.relist(state);
                }
                // Push… before the servers were known: with one server, choose it.
                let only = match (&state.push, state.servers.as_slice()) {
                    (Some(push), [one]) if push.phase == PushPhase::ChooseServer => {
                        Some(one.server.name.clone())
                    }
                    _ => None,
                };
                if let Some(name) = only {
                    self.run(SyncCommand::ChoosePushServer(name), app);
                }
            }
            LocalReply::Pushes(schema, pushes) => {
                if app.editor.as_ref().is_some_and(|e| e.id == schema) {
                    state.pushes = pushes;
                }
            }
            LocalReply::Added { name, probe } => {
                state.message = Some(SyncMessage::done(format!("Added server \"{name}\"")));
                state.add = AddServerForm::default();
                self.refresh();
                if probe {
                    let _ = self.spawn(
                        state,
                        JobKind::Probe(name.clone()),
                        &name,
                        Job::Probe,
                        format!("Probing {name}"),
                    );
                }
            }
            LocalReply::Done(text) => {
                state.message = Some(SyncMessage::done(text));
                self.refresh();
            }
            LocalReply::DoneInPart(text) => {
                state.message = Some(SyncMessage::failed(text));
                self.refresh();
            }
            LocalReply::ConflictBase(schema, base) => {
                if let Some(c) = &mut state.conflict
                    && c.schema == schema
                {
                    c.base = base;
                }
            }
            LocalReply::Merged {
                schema,
                server,
                revision,
            } => {
                let running = self.spawn(
                    state,
                    JobKind::PushMerged,
                    &server,
                    Job::Push {
                        schema,
                        force: false,
                    },
                    format!("Pushing the merge (revision {revision}) to {server}"),
                );
                if let Some(c) = &mut state.conflict {
                    c.running = running;
                }
            }
            LocalReply::Failed(error) => {
                let text = error.to_string();
                tracing::info!(error = %text, cause = %error.chain(), "sync's store work failed");
                if let Some(c) = &mut state.conflict {
                    c.running = false;
                }
                state.message = Some(SyncMessage::failed(text.clone()));
                if let Some(push) = &mut state.push
                    && push.phase == PushPhase::Preparing
                {
                    push.phase = PushPhase::Failed(text);
                }
            }
            LocalReply::Compat(view) => {
                let wanted = app.diff.as_ref().is_some_and(|d| {
                    d.schema == view.schema && Some(d.old) == view.old && Some(d.new) == view.new
                }) || app.editor.as_ref().is_some_and(|e| e.id == view.schema);
                if wanted {
                    state.compat = Some(*view);
                }
            }
            LocalReply::PushReview(review) => {
                let Some(push) = &mut state.push else {
                    return;
                };
                if push.schema != review.schema || push.server.as_deref() != Some(&review.server) {
                    return;
                }
                push.compat = review.compat;
                push.base_note = review.note;
                push.phase = PushPhase::Review;
            }
            LocalReply::PushBase(base) => {
                let Some(push) = &mut state.push else {
                    return;
                };
                if push.schema != base.schema || push.server.as_deref() != Some(&base.server) {
                    return;
                }
                push.revision = Some(base.latest);
                if let Some(remote_id) = base.remote_id.clone() {
                    let server = base.server.clone();
                    self.push_base = Some(*base);
                    let fetching = self.spawn(
                        state,
                        JobKind::FetchForPush,
                        &server,
                        Job::Fetch { remote_id },
                        format!("Fetching the server's copy from {server}"),
                    );
                    if !fetching {
                        self.review_push(None, Some("another server job is running".into()));
                    }
                } else {
                    self.push_base = Some(*base);
                    self.review_push(None, None);
                }
            }
        }
    }

    pub(super) fn on_done(
        &mut self,
        kind: JobKind,
        result: Result<JobOutput, SyncError>,
        app: &mut AppState,
        effects: &mut Vec<Effect>,
    ) {
        let state = &mut app.sync;
        match (kind, result) {
            (_, Err(SyncError::Cancelled)) => {
                state.message = Some(SyncMessage::failed(
                    "Cancelled; nothing local was changed".into(),
                ));
                if let Some(push) = &mut state.push
                    && matches!(push.phase, PushPhase::Pushing | PushPhase::Preparing)
                {
                    push.phase = PushPhase::Failed("Cancelled".into());
                }
                if let Some(c) = &mut state.conflict {
                    c.running = false;
                }
                if let Some(r) = &mut state.remote {
                    r.loading = false;
                }
            }
            (JobKind::Probe(name), Ok(JobOutput::Probed { generation, .. })) => {
                state.message = Some(SyncMessage::done(format!("{name} answers {generation}")));
                self.refresh();
            }
            (JobKind::Probe(name), Err(e)) => {
                state.message = Some(SyncMessage::failed(format!(
                    "{name}: the API generation could not be probed: {e}"
                )));
            }
            (JobKind::FetchForPush, result) => {
                if state.push.is_none() {
                    return;
                }
                match result {
                    Ok(JobOutput::Fetched(remote)) => {
                        let copy = FetchedCopy {
                            label: format!(
                                "the server's copy (server revision {})",
                                remote.revision.map_or("?".into(), |r| r.to_string())
                            ),
                            draft: remote.draft(),
                            state: remote.state.as_str().to_string(),
                        };
                        self.review_push(Some(copy), None);
                    }
                    Ok(_) => self.review_push(None, None),
                    Err(e) => self.review_push(None, Some(e.to_string())),
                }
            }
            (JobKind::Push | JobKind::KeepMine | JobKind::PushMerged, result) => {
                let schema = state
                    .push
                    .as_ref()
                    .map(|p| p.schema)
                    .or(state.conflict.as_ref().map(|c| c.schema));
                let server = state
                    .push
                    .as_ref()
                    .and_then(|p| p.server.clone())
                    .or(state.conflict.as_ref().map(|c| c.server.clone()))
                    .unwrap_or_default();
                match result {
                    Ok(JobOutput::Pushed(report)) => {
                        state.conflict = None;
                        let outcome = PushOutcome::from(&report);
                        state.message = Some(SyncMessage::done(push_sentence(&report, &server)));
                        if let Some(push) = &mut state.push {
                            push.phase = PushPhase::Done(outcome);
                        }
                        if let Some(id) = schema {
                            effects.push(Effect::Reopen(id));
                        }
                        self.seen_open = None;
                        self.refresh();
                    }
                    Ok(_) => {}
                    Err(SyncError::Conflict(c)) => {
                        let lines = diff_lines(
                            &c.remote.request_body_pretty(),
                            &c.local.request_body_pretty(),
                        );
                        state.message = None;
                        let schema = schema.unwrap_or(SchemaId(0));
                        self.find_conflict_base(schema, &server);
                        state.conflict = Some(ConflictView {
                            schema,
                            server,
                            type_name: c.type_name.clone(),
                            remote_id: c.remote_id.clone(),
                            local_revision: c.local_revision,
                            remote_revision: c.remote_revision,
                            known_remote_revision: c.known_remote_revision,
                            lines,
                            running: false,
                            local: c.local.clone(),
                            remote: c.remote.clone(),
                            base: None,
                        });
                        if let Some(push) = &mut state.push {
                            push.phase = PushPhase::Failed(
                                "The server's copy changed since the last push or pull: nothing was sent.".into(),
                            );
                        }
                    }
                    Err(e) => {
                        let text = match &e {
                            SyncError::Queued { source } => format!(
                                "{source}. The push was queued: use \"Retry queued\" in Servers… once the server can be reached"
                            ),
                            other => other.to_string(),
                        };
                        if let Some(c) = &mut state.conflict {
                            c.running = false;
                        }
                        state.message = Some(SyncMessage::failed(text.clone()));
                        if let Some(push) = &mut state.push {
                            push.phase = PushPhase::Failed(text);
                        }
                        if matches!(e, SyncError::Queued { .. }) {
                            self.refresh();
                        }
                    }
                }
            }
            (JobKind::TakeTheirs | JobKind::Import, result) => match result {
                Ok(JobOutput::Imported(report)) => {
                    state.conflict = None;
                    state.push = None;
                    let text = if report.changed {
                        format!(
                            "Took the server's copy of \"{}\" as revision {}",
                            report.type_name, report.revision
                        )
                    } else {
                        format!(
                            "\"{}\" already holds the server's copy (revision {}); bound to it",
                            report.type_name, report.revision
                        )
                    };
                    let mut text = text;
                    for note in &report.notes {
                        text.push_str(&format!("; {note}"));
                    }
                    state.message = Some(SyncMessage::done(text));
                    effects.push(Effect::RefreshList);
                    effects.push(Effect::Reopen(SchemaId(report.schema_id)));
                    self.seen_open = None;
                    self.refresh();
                    self.relist(state);
                }
                Ok(_) => {}
                Err(e) => {
                    if let Some(c) = &mut state.conflict {
                        c.running = false;
                    }
                    state.message = Some(SyncMessage::failed(format!("Not imported: {e}")));
                }
            },
            (JobKind::List(server), result) => {
                let view = state.remote.get_or_insert_with(RemoteView::default);
                if view.server.as_deref() != Some(&server) {
                    return;
                }
                view.loading = false;
                match result {
                    Ok(JobOutput::Listed(rows)) => {
                        view.rows = rows;
                        view.error = None;
                    }
                    Ok(_) => {}
                    Err(e) => view.error = Some(e.to_string()),
                }
            }
            (JobKind::ChangeState, result) => {
                match result {
                    Ok(JobOutput::StateChanged(r)) => {
                        state.message = Some(SyncMessage::done(format!(
                            "\"{}\" is now {} on the server",
                            r.type_name, r.state
                        )));
                    }
                    Ok(_) => {}
                    Err(e) => state.message = Some(SyncMessage::failed(e.to_string())),
                }
                self.refresh();
                self.relist(state);
            }
            (JobKind::Retry, result) => {
                match result {
                    Ok(JobOutput::Retried(r)) => {
                        let mut text = format!("{} queued push(es) sent", r.pushed.len());
                        if !r.failed.is_empty() {
                            text.push_str(&format!("; {} still queued", r.failed.len()));
                        }
                        state.message = Some(if r.failed.is_empty() {
                            SyncMessage::done(text)
                        } else {
                            SyncMessage::failed(text)
                        });
                        for p in &r.pushed {
                            if let Some(s) = app.schemas.iter().find(|s| s.type_name == p.type_name)
                            {
                                effects.push(Effect::Reopen(s.id));
                            }
                        }
                    }
                    Ok(_) => {}
                    Err(e) => state.message = Some(SyncMessage::failed(e.to_string())),
                }
                self.seen_open = None;
                self.refresh();
            }
            (JobKind::Probe(_), Ok(_)) => {}
        }
    }
}

pub(super) fn push_sentence(report: &PushReport, server: &str) -> String {
    let what = match report.kind {
        PushKind::Created => "Created",
        PushKind::Updated => "Updated",
        PushKind::AlreadyThere => "Already there:",
    };
    format!(
        "{what} \"{}\" on {server} from revision {} (remote id {}, server revision {})",
        report.type_name,
        report.local_revision,
        report.remote_id,
        report.remote_revision.map_or("?".into(), |r| r.to_string())
    )
}
