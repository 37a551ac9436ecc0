//! What the sync windows ask for ([`SyncCommand`]), what the app must do after a result
//! ([`Effect`]), and [`SyncRunner::run`], which carries out one command.

use super::*;

/// What the sync windows ask for.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncCommand {
    OpenServers,
    CloseServers,
    AddServer,
    AskRemove(String),
    Remove(String),
    CancelRemove,
    EditToken(String),
    SaveToken,
    ForgetToken(String),
    CancelToken,
    Probe(String),
    /// Opens the push dialog for the open schema.
    OpenPush,
    ChoosePushServer(String),
    ConfirmPush,
    ClosePush,
    /// Cancels the running server job.
    Cancel,
    KeepMine,
    TakeTheirs,
    /// Opens the merge dialog over the conflict's base, the server's copy and mine.
    OpenMerge,
    /// Saves the merged draft as a local revision and pushes it.
    SaveMerged(Box<UserSchemaDraft>),
    CloseConflict,
    OpenRemote(Option<String>),
    CloseRemote,
    Import(String),
    AskState {
        server: String,
        schema: SchemaId,
        type_name: String,
        action: StateAction,
    },
    ConfirmState,
    CancelState,
    RetryQueued(String),
}

/// What the app has to do after a sync result (the store thread belongs to the app).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Reload this schema in the editor (a new revision, or new push records).
    Reopen(SchemaId),
    /// Reload the schema list.
    RefreshList,
}

impl SyncRunner {
    /// Lists the server's schemas again, if the Server schemas window is open.
    pub(super) fn relist(&mut self, state: &mut SyncState) {
        let Some(server) = state.remote.as_ref().and_then(|r| r.server.clone()) else {
            return;
        };
        let listing = self.spawn(
            state,
            JobKind::List(server.clone()),
            &server,
            Job::List,
            format!("Listing the schemas on {server}"),
        );
        if let Some(r) = &mut state.remote {
            r.loading = listing;
        }
    }

    /// Carries out one command: the servers window, the push dialog, a push conflict, the
    /// Server schemas window, or cancelling the running server job.
    pub fn run(&mut self, command: SyncCommand, app: &mut AppState) {
        use SyncCommand as C;
        match command {
            c @ (C::OpenServers
            | C::CloseServers
            | C::AddServer
            | C::AskRemove(_)
            | C::CancelRemove
            | C::Remove(_)
            | C::EditToken(_)
            | C::CancelToken
            | C::SaveToken
            | C::ForgetToken(_)
            | C::Probe(_)) => self.run_servers(c, app),
            c @ (C::OpenPush | C::ChoosePushServer(_) | C::ConfirmPush | C::ClosePush) => {
                self.run_push(c, app)
            }
            C::Cancel => self.cancel(&mut app.sync),
            c @ (C::KeepMine
            | C::TakeTheirs
            | C::OpenMerge
            | C::SaveMerged(_)
            | C::CloseConflict) => self.run_conflict(c, app),
            c @ (C::OpenRemote(_)
            | C::CloseRemote
            | C::Import(_)
            | C::AskState { .. }
            | C::CancelState
            | C::ConfirmState
            | C::RetryQueued(_)) => self.run_remote(c, app),
        }
    }

    /// The servers window: servers, their tokens, probes.
    fn run_servers(&mut self, command: SyncCommand, app: &mut AppState) {
        let state = &mut app.sync;
        match command {
            SyncCommand::OpenServers => {
                state.servers_open = true;
                self.refresh();
            }
            SyncCommand::CloseServers => {
                state.servers_open = false;
                state.token_for = None;
                state.token_input.wipe();
                state.confirm_remove = None;
            }
            SyncCommand::AddServer => {
                if !state.add.is_ready(&state.servers) {
                    state.message = Some(SyncMessage::failed(
                        "Give the server a name and a valid URL".into(),
                    ));
                    return;
                }
                let url = match check_url(&state.add.url) {
                    Ok(url) => url,
                    Err(e) => {
                        state.message = Some(SyncMessage::failed(e.to_string()));
                        return;
                    }
                };
                let name = state.add.name.trim().to_string();
                let generation = match state.add.generation {
                    GenerationChoice::Probe => None,
                    GenerationChoice::V1 => Some(Generation::V1.number()),
                    GenerationChoice::V2 => Some(Generation::V2.number()),
                };
                self.local(move |store| {
                    store
                        .add_server(&name, url.as_str(), generation)
                        .map_err(|e| store_failed(store, e))?;
                    Ok(LocalReply::Added {
                        name,
                        probe: generation.is_none(),
                    })
                });
            }
            SyncCommand::AskRemove(name) => state.confirm_remove = Some(name),
            SyncCommand::CancelRemove => state.confirm_remove = None,
            SyncCommand::Remove(name) => {
                state.confirm_remove = None;
                self.local(move |store| {
                    let server = store
                        .server_by_name(&name)
                        .map_err(|e| store_failed(store, e))?;
                    store
                        .remove_server(server.id)
                        .map_err(|e| store_failed(store, e))?;
                    // The dialog promised the keyring entry goes too: say so when it cannot
                    // (an entry that is not there is no problem).
                    Ok(match Token::forget(&name) {
                        Ok(()) => LocalReply::Done(format!("Removed server \"{name}\"")),
                        Err(e) => LocalReply::DoneInPart(format!(
                            "Removed server \"{name}\", but its token could not be removed from the keyring: {e}"
                        )),
                    })
                });
            }
            SyncCommand::EditToken(name) => {
                state.token_input.wipe();
                state.token_for = Some(name);
            }
            SyncCommand::CancelToken => {
                state.token_input.wipe();
                state.token_for = None;
            }
            SyncCommand::SaveToken => {
                let Some(name) = state.token_for.take() else {
                    return;
                };
                let token = Token::new(state.token_input.0.as_str());
                state.token_input.wipe();
                self.local(move |_| {
                    Token::store_in_keyring(&name, &token)
                        .map_err(|e| Failure::caused_by(e.to_string(), e))?;
                    Ok(LocalReply::Done(format!(
                        "Saved the token of \"{name}\" in the keyring"
                    )))
                });
            }
            SyncCommand::ForgetToken(name) => {
                self.local(move |_| {
                    Token::forget(&name).map_err(|e| Failure::caused_by(e.to_string(), e))?;
                    Ok(LocalReply::Done(format!(
                        "Removed the token of \"{name}\" from the keyring"
                    )))
                });
            }
            SyncCommand::Probe(name) => {
                let _ = self.spawn(
                    state,
                    JobKind::Probe(name.clone()),
                    &name,
                    Job::Probe,
                    format!("Probing {name}"),
                );
            }
            // `run` hands each group only its own commands.
            _ => {}
        }
    }

    /// The push dialog.
    fn run_push(&mut self, command: SyncCommand, app: &mut AppState) {
        let state = &mut app.sync;
        match command {
            SyncCommand::OpenPush => {
                let Some(editor) = &app.editor else {
                    state.message = Some(SyncMessage::failed("Open a schema to push it".into()));
                    return;
                };
                // As `schemadesk push`: the v3alpha API cannot hold a nextgen document.
                if app.targets.get(&editor.id) == Some(&crate::nextgen::Target::Nextgen) {
                    let text = "This is a ZITADEL nextgen schema; the v3alpha API cannot hold \
                                it. Register it with `schemadesk nextgen push` or the zitadel CLI.";
                    state.message = Some(SyncMessage::failed(text.into()));
                    app.info(crate::app::StatusKind::Error, text);
                    return;
                }
                state.message = None;
                state.push = Some(PushDialog {
                    schema: editor.id,
                    type_name: editor.saved.type_name.clone(),
                    server: None,
                    revision: Some(editor.saved_revision),
                    unsaved: editor.dirty,
                    compat: None,
                    base_note: String::new(),
                    phase: PushPhase::ChooseServer,
                });
                self.refresh();
                // The only server, else the settings' default server when it exists.
                let default = app.prefs.default_server.as_ref();
                let pick = if state.servers.len() == 1 {
                    Some(state.servers[0].server.name.clone())
                } else {
                    default
                        .filter(|d| state.servers.iter().any(|s| s.server.name == **d))
                        .cloned()
                };
                if let Some(name) = pick {
                    self.run(SyncCommand::ChoosePushServer(name), app);
                }
            }
            SyncCommand::ChoosePushServer(server) => {
                let Some(push) = &mut state.push else {
                    return;
                };
                push.server = Some(server.clone());
                push.compat = None;
                push.base_note.clear();
                push.phase = PushPhase::Preparing;
                let schema = push.schema;
                self.push_base = None;
                self.local(move |store| {
                    let srv = store
                        .server_by_name(&server)
                        .map_err(|e| store_failed(store, e))?;
                    let latest = store
                        .latest_revision(schema)
                        .map_err(|e| store_failed(store, e))?;
                    let binding = store
                        .binding(schema, srv.id)
                        .map_err(|e| store_failed(store, e))?
                        .filter(|b| b.remote_state.as_deref() != Some("DELETED"));
                    let mut last_pushed = None;
                    for rev in store.history(schema).map_err(|e| store_failed(store, e))? {
                        let pushed = store
                            .pushes_of_revision(rev.id)
                            .map_err(|e| store_failed(store, e))?
                            .iter()
                            .any(|p| p.server_id == srv.id);
                        if pushed {
                            let r = store
                                .revision(schema, rev.number)
                                .map_err(|e| store_failed(store, e))?;
                            last_pushed = Some((r.number, r.draft));
                            break;
                        }
                    }
                    let samples = store
                        .list_samples(schema)
                        .map_err(|e| store_failed(store, e))?
                        .into_iter()
                        .map(SampleInput::from)
                        .collect();
                    Ok(LocalReply::PushBase(Box::new(PushBase {
                        schema,
                        server,
                        latest: latest.number,
                        draft: latest.draft,
                        remote_id: binding.map(|b| b.remote_id),
                        last_pushed,
                        samples,
                    })))
                });
            }
            SyncCommand::ConfirmPush => {
                let Some(push) = &mut state.push else {
                    return;
                };
                let Some(server) = push.server.clone() else {
                    return;
                };
                let schema = push.schema;
                let title = format!("Pushing \"{}\" to {server}", push.type_name);
                let pushing = self.spawn(
                    state,
                    JobKind::Push,
                    &server,
                    Job::Push {
                        schema,
                        force: false,
                    },
                    title,
                );
                if pushing && let Some(push) = &mut state.push {
                    push.phase = PushPhase::Pushing;
                }
            }
            SyncCommand::ClosePush => {
                if state
                    .push
                    .as_ref()
                    .is_some_and(|p| p.phase == PushPhase::Pushing)
                {
                    return;
                }
                state.push = None;
                self.push_base = None;
            }
            // `run` hands each group only its own commands.
            _ => {}
        }
    }

    /// Cancels the running server job.
    fn cancel(&mut self, state: &mut SyncState) {
        if let Some((_, worker)) = &self.server_job {
            worker.cancel();
            if let Some(job) = &mut state.job {
                job.progress = "Cancelling…".into();
            }
        }
    }

    /// A push conflict: keep mine, take theirs, or merge.
    fn run_conflict(&mut self, command: SyncCommand, app: &mut AppState) {
        let state = &mut app.sync;
        match command {
            SyncCommand::KeepMine => {
                let Some(c) = &mut state.conflict else {
                    return;
                };
                let (schema, server) = (c.schema, c.server.clone());
                let title = format!("Overwriting the server's copy on {server}");
                let running = self.spawn(
                    state,
                    JobKind::KeepMine,
                    &server,
                    Job::Push {
                        schema,
                        force: true,
                    },
                    title,
                );
                if let Some(c) = &mut state.conflict {
                    c.running = running;
                }
            }
            SyncCommand::TakeTheirs => {
                let Some(c) = &mut state.conflict else {
                    return;
                };
                let (remote_id, server) = (c.remote_id.clone(), c.server.clone());
                let title = format!("Taking the server's copy from {server}");
                let running = self.spawn(
                    state,
                    JobKind::TakeTheirs,
                    &server,
                    Job::Import { remote_id },
                    title,
                );
                if let Some(c) = &mut state.conflict {
                    c.running = running;
                }
            }
            SyncCommand::OpenMerge => {
                let Some(c) = &state.conflict else {
                    return;
                };
                let Some((number, base)) = c.base.clone() else {
                    state.message = Some(SyncMessage::failed("No revision is known to have been on the server before both changes: keep mine or take theirs".into(),
                    ));
                    return;
                };
                let server_rev = c.remote_revision.map_or("?".into(), |r| r.to_string());
                let mut view = crate::app::writers::MergeView::new(
                    "Merge with the server's copy".into(),
                    format!(
                        "The copy of \"{}\" on {} changed since revision {number} was pushed or pulled. \
                         Merging saves a new local revision holding both changes and pushes it.",
                        c.type_name, c.server
                    ),
                    [
                        format!("Base: revision {number}"),
                        format!("Theirs: {} (server revision {server_rev})", c.server),
                        format!("Mine: revision {}", c.local_revision),
                    ],
                    [base, c.remote.clone(), c.local.clone()],
                    crate::app::writers::MergeOrigin::Server {
                        schema: c.schema,
                        server: c.server.clone(),
                        local_revision: c.local_revision,
                    },
                );
                view.mode = crate::app::writers::MergeMode::Merge;
                app.merge = Some(view);
            }
            SyncCommand::SaveMerged(draft) => {
                let Some(c) = &mut state.conflict else {
                    return;
                };
                if c.running {
                    return;
                }
                let schema = c.schema;
                let server = c.server.clone();
                let base = c.local_revision;
                let remote_id = c.remote_id.clone();
                let remote_revision = c.remote_revision;
                let remote_hash = remote_hash(&c.remote);
                let message = format!(
                    "Merged with the copy on {server} (server revision {})",
                    remote_revision.map_or("?".into(), |r| r.to_string())
                );
                c.running = true;
                self.local(move |store| {
                    crate::sync::check_draft(&draft).map_err(|e| {
                        Failure::caused_by(format!("The merge was not saved: {e}"), e)
                    })?;
                    let srv = store
                        .server_by_name(&server)
                        .map_err(|e| store_failed(store, e))?;
                    let binding = store
                        .binding(schema, srv.id)
                        .map_err(|e| store_failed(store, e))?;
                    // As if the server's copy had been pulled: the next push conflicts only
                    // if that copy moved again.
                    let seen = BindingUpdate {
                        remote_id,
                        remote_revision,
                        remote_state: binding.as_ref().and_then(|b| b.remote_state.clone()),
                        last_details: binding.and_then(|b| b.last_details),
                        last_content_hash: Some(remote_hash),
                    };
                    let outcome = store
                        .save_server_merge(schema, base, &draft, &message, srv.id, &seen)
                        .map_err(|e| {
                            let text =
                                format!("The merge was not saved: {}", e.message_at(store.path()));
                            Failure::caused_by(text, e)
                        })?;
                    Ok(LocalReply::Merged {
                        schema,
                        server,
                        revision: outcome.revision().number,
                    })
                });
            }
            SyncCommand::CloseConflict => {
                if state.conflict.as_ref().is_some_and(|c| c.running) {
                    return;
                }
                state.conflict = None;
            }
            // `run` hands each group only its own commands.
            _ => {}
        }
    }

    /// The Server schemas window: listing, importing, state changes, queued pushes.
    fn run_remote(&mut self, command: SyncCommand, app: &mut AppState) {
        let state = &mut app.sync;
        match command {
            SyncCommand::OpenRemote(server) => {
                let server = server.or_else(|| {
                    state
                        .remote
                        .as_ref()
                        .and_then(|r| r.server.clone())
                        .or_else(|| {
                            app.prefs
                                .default_server
                                .clone()
                                .filter(|d| state.servers.iter().any(|s| s.server.name == *d))
                        })
                        .or_else(|| state.servers.first().map(|s| s.server.name.clone()))
                });
                state.message = None;
                state.remote = Some(RemoteView {
                    server: server.clone(),
                    ..RemoteView::default()
                });
                self.refresh();
                if server.is_some() {
                    self.relist(state);
                }
            }
            SyncCommand::CloseRemote => {
                state.remote = None;
                state.confirm_state = None;
            }
            SyncCommand::Import(remote_id) => {
                let Some(server) = state.remote.as_ref().and_then(|r| r.server.clone()) else {
                    return;
                };
                let title = format!("Importing {remote_id} from {server}");
                let _ = self.spawn(
                    state,
                    JobKind::Import,
                    &server,
                    Job::Import { remote_id },
                    title,
                );
            }
            SyncCommand::AskState {
                server,
                schema,
                type_name,
                action,
            } => {
                state.confirm_state = Some(StateConfirm {
                    server,
                    schema,
                    type_name,
                    action,
                });
            }
            SyncCommand::CancelState => state.confirm_state = None,
            SyncCommand::ConfirmState => {
                let Some(c) = state.confirm_state.take() else {
                    return;
                };
                let title = format!(
                    "Asking {} to {} \"{}\"",
                    c.server,
                    c.action.verb(),
                    c.type_name
                );
                let _ = self.spawn(
                    state,
                    JobKind::ChangeState,
                    &c.server,
                    Job::ChangeState {
                        schema: c.schema,
                        action: c.action,
                    },
                    title,
                );
            }
            SyncCommand::RetryQueued(server) => {
                let title = format!("Retrying queued pushes to {server}");
                let _ = self.spawn(state, JobKind::Retry, &server, Job::RetryQueued, title);
            }
            // `run` hands each group only its own commands.
            _ => {}
        }
    }
}
