//! Server sync in the GUI (the server client itself is [`crate::sync`]): the state the
//! Servers, Push, Conflict and Server-schemas windows read ([`SyncState`], inside `AppState`),
//! the [`SyncCommand`]s they emit, and the runner ([`SyncRunner`]) that carries them out. Server calls run on [`crate::service::Worker`]
//! threads; store reads and keyring calls run on short-lived threads of their own. Nothing
//! here blocks a frame.
//!
//! A token typed into the token field lives in a [`SecretText`] (its `Debug` hides it), goes
//! straight to the keyring on a background thread and is wiped from memory right after.
//!
//! The runner is defined here; its methods live with what they do: [`commands`] (running a
//! command), [`reads`] (store and keyring work off the UI thread), [`results`] (taking in the
//! answers). The child modules share this module's imports.

mod badges;
mod commands;
mod compat_view;
mod reads;
mod results;
mod views;

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use crate::app::failure::Failure;
use crate::app::tasks::{self, Jobs};
use crate::app::{AppState, Controller};

use crate::schema::UserSchemaDraft;
use crate::schema::compat::{self, Report, SampleInput, SampleOutcome};
use crate::schema::diff::{DiffLine, diff_lines};
use crate::service::{
    Job, JobOutput, JobRequest, PushKind, PushReport, RemoteRow, Worker, WorkerMessage,
};
use crate::store::{BindingUpdate, SchemaId, Server, Store, StoreError};
use crate::sync::{
    ClientOptions, Generation, StateAction, SyncError, TOKEN_ENV, Token, TokenSource, check_url,
    remote_hash,
};

use badges::badges;
pub use badges::{Badge, BadgeKind, PushedTo};
pub use commands::{Effect, SyncCommand};
pub use compat_view::CompatView;
use reads::{FetchedCopy, PushReview};
pub use views::*;

/// What the running server job is for.
#[derive(Debug, Clone)]
enum JobKind {
    Probe(String),
    FetchForPush,
    Push,
    KeepMine,
    /// The push of a merge with the server's copy.
    PushMerged,
    TakeTheirs,
    List(String),
    Import,
    ChangeState,
    Retry,
}

/// Results of store and keyring work done off the UI thread.
enum LocalReply {
    Snapshot {
        servers: Vec<ServerRow>,
        badges: BTreeMap<SchemaId, Vec<Badge>>,
    },
    Pushes(SchemaId, BTreeMap<u32, Vec<PushedTo>>),
    Added {
        name: String,
        probe: bool,
    },
    Done(String),
    /// Done, but not all of it: the text says what was left undone.
    DoneInPart(String),
    PushBase(Box<PushBase>),
    /// The push dialog's report, built off the UI thread.
    PushReview(Box<PushReview>),
    Compat(Box<CompatView>),
    /// The revision a conflict's two sides started from (`None`: not found).
    ConflictBase(SchemaId, Option<(u32, UserSchemaDraft)>),
    /// A merge with the server's copy was saved as a local revision: push it.
    Merged {
        schema: SchemaId,
        server: String,
        revision: u32,
    },
    Failed(Failure),
}

/// What the push dialog needs from the store.
#[derive(Clone)]
struct PushBase {
    schema: SchemaId,
    server: String,
    latest: u32,
    draft: UserSchemaDraft,
    remote_id: Option<String>,
    last_pushed: Option<(u32, UserSchemaDraft)>,
    samples: Vec<SampleInput>,
}

/// Runs sync commands; owned by the app, polled every frame.
pub struct SyncRunner {
    db: PathBuf,
    ctx: egui::Context,
    /// The server job under way (one at a time), on a [`crate::service::Worker`] thread.
    server_job: Option<(JobKind, Worker)>,
    /// Store and keyring work, each job on a short-lived thread.
    local: Jobs<LocalReply>,
    /// A token for every job (tests); `None` reads `ZITADEL_TOKEN` or the keyring.
    token: Option<Token>,
    pub options: ClientOptions,
    /// The draft being pushed and its samples, kept to build the report once the server's
    /// copy arrives.
    push_base: Option<PushBase>,
    /// What the badges and push records were last computed for.
    seen_list: Option<Vec<(SchemaId, u32)>>,
    seen_open: Option<(SchemaId, u32, usize)>,
}

fn store_failed(store: &Store, e: StoreError) -> Failure {
    Failure::caused_by(e.message_at(store.path()), e)
}

impl SyncRunner {
    pub fn new(db: PathBuf, ctx: &egui::Context) -> SyncRunner {
        SyncRunner {
            db,
            ctx: ctx.clone(),
            server_job: None,
            local: Jobs::new(tasks::repaint(ctx)),
            token: None,
            options: ClientOptions::default(),
            push_base: None,
            seen_list: None,
            seen_open: None,
        }
    }

    /// Uses this token for every server job instead of `ZITADEL_TOKEN` or the keyring.
    pub fn set_token(&mut self, token: Token) {
        self.token = Some(token);
    }

    /// True when no server job and no background store work is outstanding.
    pub fn is_idle(&self) -> bool {
        self.server_job.is_none() && self.local.running() == 0
    }

    /// Runs `work` on its own thread with its own store connection.
    fn local(
        &mut self,
        work: impl FnOnce(&mut Store) -> Result<LocalReply, Failure> + Send + 'static,
    ) {
        let db = self.db.clone();
        self.local.spawn(
            "schemadesk-sync-store",
            move || match Store::open(&db) {
                Ok(mut store) => work(&mut store).unwrap_or_else(LocalReply::Failed),
                Err(e) => LocalReply::Failed(Failure::caused_by(e.message_at(&db), e)),
            },
            |text| LocalReply::Failed(text.into()),
        );
    }

    fn spawn(
        &mut self,
        state: &mut SyncState,
        kind: JobKind,
        server: &str,
        job: Job,
        title: String,
    ) -> bool {
        if self.server_job.is_some() {
            let running = state
                .job
                .as_ref()
                .map_or("another job", |j| j.title.as_str());
            state.message = Some(SyncMessage::failed(format!(
                "{running} is still running: wait for it, or cancel it first"
            )));
            return false;
        }
        let mut request = JobRequest::new(self.db.clone(), server, job);
        request.token = self.token.clone();
        request.options = self.options.clone();
        let wake = tasks::repaint(&self.ctx);
        self.server_job = Some((kind, Worker::spawn_notifying(request, move || wake())));
        state.job = Some(JobView {
            title,
            progress: String::new(),
        });
        self.ctx.request_repaint();
        true
    }
}

impl Controller {
    /// Uses this token for every server job instead of `ZITADEL_TOKEN` or the keyring
    /// (tests, and a token typed for one session only).
    pub fn set_sync_token(&mut self, token: Token) {
        self.sync.set_token(token);
    }

    /// Timeouts and page size of server jobs.
    pub fn set_sync_options(&mut self, options: ClientOptions) {
        self.sync.options = options;
    }

    /// Polls the sync jobs and carries out what their results ask of the app.
    pub(super) fn poll_sync(&mut self, _ctx: &egui::Context) {
        let effects = self.sync.poll(&mut self.state);
        self.apply_sync(effects);
    }

    pub(super) fn run_sync(&mut self, command: SyncCommand, _ctx: &egui::Context) {
        self.sync.run(command, &mut self.state);
    }

    fn apply_sync(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::RefreshList => {
                    self.store.send(crate::app::store_thread::Request::List);
                }
                Effect::Reopen(id) => {
                    let open = self.state.editor.as_ref().is_some_and(|e| e.id == id);
                    if open && self.state.is_dirty() {
                        self.state.info(
                            crate::app::StatusKind::Info,
                            "The server result is saved; the open draft has unsaved changes and was not reloaded",
                        );
                    } else if open {
                        self.opening = Some(id);
                        self.store.send(crate::app::store_thread::Request::Open(id));
                    }
                }
            }
        }
    }
}
