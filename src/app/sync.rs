//! Server sync in the GUI: the state the Servers, Push, Conflict and Server-schemas windows
//! read ([`SyncState`], inside `AppState`), the [`SyncCommand`]s they emit, and the runner
//! ([`SyncRunner`]) that carries them out. Server calls run on [`crate::sync::Worker`]
//! threads; store reads and keyring calls run on short-lived threads of their own. Nothing
//! here blocks a frame.
//!
//! A token typed into the token field lives in a [`SecretText`] (its `Debug` hides it), goes
//! straight to the keyring on a background thread and is wiped from memory right after.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use super::tasks::{self, Jobs};

use crate::schema::UserSchemaDraft;
use crate::schema::compat::{self, Report, SampleInput, SampleOutcome};
use crate::schema::diff::{DiffLine, diff_lines};
use crate::store::{BindingUpdate, SchemaId, Server, Store, StoreError};
use crate::sync::{
    ClientOptions, Generation, Job, JobOutput, JobRequest, PushKind, PushReport, RemoteRow,
    StateAction, SyncError, TOKEN_ENV, Token, TokenSource, Worker, WorkerMessage, check_url,
    remote_hash,
};

/// Text typed into a password field. Never printed: `Debug` shows `***`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretText(pub String);

impl fmt::Debug for SecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretText(***)")
    }
}

impl SecretText {
    /// Overwrites the text and empties it.
    pub fn wipe(&mut self) {
        // Overwrite in place before clearing, so the secret does not linger in the buffer.
        let len = self.0.len();
        self.0.clear();
        self.0.extend(std::iter::repeat_n('\0', len));
        self.0.clear();
    }
}

/// Where a server's token comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenStatus {
    Env,
    Keyring,
    /// Given to the app directly (tests).
    Given,
    Missing(String),
}

impl TokenStatus {
    pub fn label(&self) -> String {
        match self {
            TokenStatus::Env => format!("{TOKEN_ENV} (environment)"),
            TokenStatus::Keyring => "keyring".into(),
            TokenStatus::Given => "given to the app".into(),
            TokenStatus::Missing(why) if why.is_empty() => "missing".into(),
            TokenStatus::Missing(why) => format!("missing{why}"),
        }
    }

    pub fn is_missing(&self) -> bool {
        matches!(self, TokenStatus::Missing(_))
    }
}

/// One server as the Servers window shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerRow {
    pub server: Server,
    pub token: TokenStatus,
}

impl ServerRow {
    pub fn generation_label(&self) -> String {
        match self.server.generation.and_then(Generation::from_number) {
            Some(g) => g.to_string(),
            None => "not probed yet".into(),
        }
    }
}

/// Which API generation a new server uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GenerationChoice {
    #[default]
    Probe,
    V1,
    V2,
}

/// The "Add a server" form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AddServerForm {
    pub name: String,
    pub url: String,
    pub generation: GenerationChoice,
}

impl AddServerForm {
    /// The URL's problem, checked as you type (`None` when empty or fine).
    pub fn url_problem(&self) -> Option<String> {
        if self.url.trim().is_empty() {
            return None;
        }
        check_url(&self.url).err().map(|e| e.to_string())
    }

    pub fn name_problem(&self, servers: &[ServerRow]) -> Option<String> {
        let name = self.name.trim();
        if name.is_empty() {
            None
        } else if name.contains("://") {
            Some("a name must not look like a URL".into())
        } else if servers.iter().any(|s| s.server.name == name) {
            Some(format!("a server named \"{name}\" exists already"))
        } else {
            None
        }
    }

    pub fn is_ready(&self, servers: &[ServerRow]) -> bool {
        !self.name.trim().is_empty()
            && !self.url.trim().is_empty()
            && self.url_problem().is_none()
            && self.name_problem(servers).is_none()
    }
}

/// A server job in flight: what it is, and its last progress text.
#[derive(Debug, Clone, PartialEq)]
pub struct JobView {
    pub title: String,
    pub progress: String,
}

/// The compatibility report between two drafts, with the saved samples checked.
#[derive(Debug, Clone, PartialEq)]
pub struct CompatView {
    pub schema: SchemaId,
    /// What the old side is ("revision 2", "the server's copy (server revision 3)").
    pub old_label: String,
    pub new_label: String,
    pub old: Option<u32>,
    pub new: Option<u32>,
    pub report: Report,
    pub samples: Vec<SampleOutcome>,
}

impl CompatView {
    fn build(
        schema: SchemaId,
        old_label: String,
        new_label: String,
        old: &UserSchemaDraft,
        new: &UserSchemaDraft,
        samples: &[SampleInput],
    ) -> CompatView {
        CompatView {
            schema,
            old_label,
            new_label,
            old: None,
            new: None,
            report: compat::compare(old, new),
            samples: compat::check_samples(&old.schema, &new.schema, samples),
        }
    }
}

/// Where the push dialog is.
#[derive(Debug, Clone, PartialEq)]
pub enum PushPhase {
    /// Pick a server.
    ChooseServer,
    /// Reading the store and the server's copy.
    Preparing,
    /// The compat report is shown; Push is one click away.
    Review,
    Pushing,
    Done(PushOutcome),
    Failed(String),
}

/// What a finished push shows.
#[derive(Debug, Clone, PartialEq)]
pub struct PushOutcome {
    pub kind: PushKind,
    pub remote_id: String,
    pub local_revision: u32,
    pub remote_revision: Option<u32>,
    pub change_date: Option<String>,
    pub notes: Vec<String>,
}

impl From<&PushReport> for PushOutcome {
    fn from(r: &PushReport) -> Self {
        PushOutcome {
            kind: r.kind,
            remote_id: r.remote_id.clone(),
            local_revision: r.local_revision,
            remote_revision: r.remote_revision,
            change_date: r.details.change_date.clone(),
            notes: r.notes.clone(),
        }
    }
}

/// The push dialog.
#[derive(Debug, Clone, PartialEq)]
pub struct PushDialog {
    pub schema: SchemaId,
    pub type_name: String,
    pub server: Option<String>,
    /// The local revision that will be pushed (the latest saved one).
    pub revision: Option<u32>,
    /// Whether the open draft has unsaved changes (they are not pushed).
    pub unsaved: bool,
    /// The compat report against the server's copy or the last pushed revision; `None` for a
    /// first push.
    pub compat: Option<CompatView>,
    /// A note about what the report compares with (or why it could not).
    pub base_note: String,
    pub phase: PushPhase,
}

/// Both sides of a conflict, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictView {
    pub schema: SchemaId,
    pub server: String,
    pub type_name: String,
    pub remote_id: String,
    pub local_revision: u32,
    pub remote_revision: Option<u32>,
    pub known_remote_revision: Option<u32>,
    /// From the server's copy (old) to the local revision (new).
    pub lines: Vec<DiffLine>,
    pub running: bool,
    /// Both sides, and the revision both started from (the content last pushed to or pulled
    /// from this server) once the store has been read: what a merge needs.
    pub local: UserSchemaDraft,
    pub remote: UserSchemaDraft,
    pub base: Option<(u32, UserSchemaDraft)>,
}

/// The "Server schemas" window.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RemoteView {
    pub server: Option<String>,
    pub rows: Vec<RemoteRow>,
    pub loading: bool,
    pub error: Option<String>,
}

/// A state change waiting for confirmation.
#[derive(Debug, Clone, PartialEq)]
pub struct StateConfirm {
    pub server: String,
    pub schema: SchemaId,
    pub type_name: String,
    pub action: StateAction,
}

/// Everything the sync windows read.
#[derive(Debug, Default)]
pub struct SyncState {
    pub servers_open: bool,
    pub servers: Vec<ServerRow>,
    pub servers_loaded: bool,
    pub add: AddServerForm,
    /// The server whose token field is open.
    pub token_for: Option<String>,
    pub token_input: SecretText,
    pub confirm_remove: Option<String>,
    pub job: Option<JobView>,
    pub push: Option<PushDialog>,
    pub conflict: Option<ConflictView>,
    pub remote: Option<RemoteView>,
    pub confirm_state: Option<StateConfirm>,
    /// Per schema: short sync badges ("active on prod", "out of date on test", "queued").
    pub badges: BTreeMap<SchemaId, Vec<Badge>>,
    /// The history view's compat report for the compared revisions.
    pub compat: Option<CompatView>,
    /// For the open schema: revision number → (server, server revision, pushed at).
    pub pushes: BTreeMap<u32, Vec<PushedTo>>,
    /// The last message of the sync windows (errors and results).
    pub message: Option<(bool, String)>,
}

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

/// What the app has to do after a sync result (the store worker belongs to the app).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Reload this schema in the editor (a new revision, or new push records).
    Reopen(SchemaId),
    /// Reload the schema list.
    RefreshList,
}

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
    PushBase(Box<PushBase>),
    Compat(Box<CompatView>),
    /// The revision a conflict's two sides started from (`None`: not found).
    ConflictBase(SchemaId, Option<(u32, UserSchemaDraft)>),
    /// A merge with the server's copy was saved as a local revision: push it.
    Merged {
        schema: SchemaId,
        server: String,
        revision: u32,
    },
    Failed(String),
}

/// What the push dialog needs from the store.
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
    worker: Option<(JobKind, Worker)>,
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

fn store_failed(store: &Store, e: StoreError) -> String {
    e.message_at(store.path())
}

impl SyncRunner {
    pub fn new(db: PathBuf, ctx: &egui::Context) -> SyncRunner {
        SyncRunner {
            db,
            ctx: ctx.clone(),
            worker: None,
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
        self.worker.is_none() && self.local.running() == 0
    }

    /// Runs `work` on its own thread with its own store connection.
    fn local(
        &mut self,
        work: impl FnOnce(&mut Store) -> Result<LocalReply, String> + Send + 'static,
    ) {
        let db = self.db.clone();
        self.local.spawn(
            "schemadesk-sync-store",
            move || match Store::open(&db) {
                Ok(mut store) => work(&mut store).unwrap_or_else(LocalReply::Failed),
                Err(e) => LocalReply::Failed(e.message_at(&db)),
            },
            LocalReply::Failed,
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
        if self.worker.is_some() {
            let running = state
                .job
                .as_ref()
                .map_or("another job", |j| j.title.as_str());
            state.message = Some((
                false,
                format!("{running} is still running: wait for it, or cancel it first"),
            ));
            return false;
        }
        let mut request = JobRequest::new(self.db.clone(), server, job);
        request.token = self.token.clone();
        request.options = self.options.clone();
        self.worker = Some((kind, Worker::spawn(request)));
        state.job = Some(JobView {
            title,
            progress: String::new(),
        });
        self.ctx.request_repaint();
        true
    }

    fn refresh(&mut self) {
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
                        Err(SyncError::NoToken { detail, .. }) => TokenStatus::Missing(detail),
                        Err(_) => TokenStatus::Missing(String::new()),
                    }
                };
                servers.push(ServerRow { server, token });
            }
            let badges = badges(store).map_err(|e| store_failed(store, e))?;
            Ok(LocalReply::Snapshot { servers, badges })
        });
    }

    fn load_pushes(&mut self, schema: SchemaId) {
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
    fn find_conflict_base(&mut self, schema: SchemaId, server: &str) {
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

    /// Polls the worker and the background threads; returns what the app must do.
    pub fn poll(&mut self, app: &mut super::AppState) -> Vec<Effect> {
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
        if let Some((_, worker)) = &self.worker {
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
        if let Some(result) = finished {
            if let Some((kind, _)) = self.worker.take() {
                app.sync.job = None;
                self.on_done(kind, result, app, &mut effects);
            }
        } else if self.worker.is_some() {
            // The worker's channel does not wake the UI: keep polling while it runs.
            self.ctx
                .request_repaint_after(std::time::Duration::from_millis(50));
        }
        effects
    }

    fn on_local(&mut self, reply: LocalReply, app: &mut super::AppState) {
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
                state.message = Some((true, format!("Added server \"{name}\"")));
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
                state.message = Some((true, text));
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
            LocalReply::Failed(text) => {
                if let Some(c) = &mut state.conflict {
                    c.running = false;
                }
                state.message = Some((false, text.clone()));
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
                    if !fetching
                        && let (Some(push), Some(base)) = (&mut state.push, &self.push_base)
                    {
                        review_against_last_push(
                            push,
                            base,
                            Some("another server job is running".into()),
                        );
                    }
                } else {
                    review_against_last_push(push, &base, None);
                    self.push_base = Some(*base);
                }
            }
        }
    }

    fn on_done(
        &mut self,
        kind: JobKind,
        result: Result<JobOutput, SyncError>,
        app: &mut super::AppState,
        effects: &mut Vec<Effect>,
    ) {
        let state = &mut app.sync;
        match (kind, result) {
            (_, Err(SyncError::Cancelled)) => {
                state.message = Some((false, "Cancelled; nothing local was changed".into()));
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
                state.message = Some((true, format!("{name} answers {generation}")));
                self.refresh();
            }
            (JobKind::Probe(name), Err(e)) => {
                state.message = Some((
                    false,
                    format!("{name}: the API generation could not be probed: {e}"),
                ));
            }
            (JobKind::FetchForPush, result) => {
                let Some(base) = self.push_base.as_ref() else {
                    return;
                };
                let Some(push) = &mut state.push else {
                    return;
                };
                match result {
                    Ok(JobOutput::Fetched(remote)) => {
                        let mut view = CompatView::build(
                            base.schema,
                            format!(
                                "the server's copy (server revision {})",
                                remote.revision.map_or("?".into(), |r| r.to_string())
                            ),
                            format!("revision {}", base.latest),
                            &remote.draft(),
                            &base.draft,
                            &base.samples,
                        );
                        view.new = Some(base.latest);
                        push.base_note = format!(
                            "Compared with the copy on {} now ({}).",
                            base.server,
                            remote.state.as_str()
                        );
                        push.compat = Some(view);
                        push.phase = PushPhase::Review;
                    }
                    Ok(_) => review_against_last_push(push, base, None),
                    Err(e) => review_against_last_push(push, base, Some(e.to_string())),
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
                        state.message = Some((true, push_sentence(&report, &server)));
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
                        state.message = Some((false, text.clone()));
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
                    state.message = Some((true, text));
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
                    state.message = Some((false, format!("Not imported: {e}")));
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
                        state.message = Some((
                            true,
                            format!("\"{}\" is now {} on the server", r.type_name, r.state),
                        ));
                    }
                    Ok(_) => {}
                    Err(e) => state.message = Some((false, e.to_string())),
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
                        state.message = Some((r.failed.is_empty(), text));
                        for p in &r.pushed {
                            if let Some(s) = app.schemas.iter().find(|s| s.type_name == p.type_name)
                            {
                                effects.push(Effect::Reopen(s.id));
                            }
                        }
                    }
                    Ok(_) => {}
                    Err(e) => state.message = Some((false, e.to_string())),
                }
                self.seen_open = None;
                self.refresh();
            }
            (JobKind::Probe(_), Ok(_)) => {}
        }
    }

    /// Lists the server's schemas again, if the Server schemas window is open.
    fn relist(&mut self, state: &mut SyncState) {
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

    /// Carries out one command.
    pub fn run(&mut self, command: SyncCommand, app: &mut super::AppState) {
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
                    state.message = Some((false, "Give the server a name and a valid URL".into()));
                    return;
                }
                let url = match check_url(&state.add.url) {
                    Ok(url) => url,
                    Err(e) => {
                        state.message = Some((false, e.to_string()));
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
                    // The keyring entry goes too; a missing or unavailable keyring is fine here.
                    let _ = Token::forget(&name);
                    Ok(LocalReply::Done(format!("Removed server \"{name}\"")))
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
                    Token::store_in_keyring(&name, &token).map_err(|e| e.to_string())?;
                    Ok(LocalReply::Done(format!(
                        "Saved the token of \"{name}\" in the keyring"
                    )))
                });
            }
            SyncCommand::ForgetToken(name) => {
                self.local(move |_| {
                    Token::forget(&name).map_err(|e| e.to_string())?;
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
            SyncCommand::OpenPush => {
                let Some(editor) = &app.editor else {
                    state.message = Some((false, "Open a schema to push it".into()));
                    return;
                };
                // As `schemadesk push`: the v3alpha API cannot hold a nextgen document.
                if app.targets.get(&editor.id) == Some(&crate::nextgen::Target::Nextgen) {
                    let text = "This is a ZITADEL nextgen schema; the v3alpha API cannot hold \
                                it. Register it with `schemadesk nextgen push` or the zitadel CLI.";
                    state.message = Some((false, text.into()));
                    app.info(super::StatusKind::Error, text);
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
            SyncCommand::Cancel => {
                if let Some((_, worker)) = &self.worker {
                    worker.cancel();
                    if let Some(job) = &mut state.job {
                        job.progress = "Cancelling…".into();
                    }
                }
            }
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
                    state.message = Some((
                        false,
                        "No revision is known to have been on the server before both changes: keep mine or take theirs".into(),
                    ));
                    return;
                };
                let server_rev = c.remote_revision.map_or("?".into(), |r| r.to_string());
                let mut view = super::writers::MergeView::new(
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
                    super::writers::MergeOrigin::Server {
                        schema: c.schema,
                        server: c.server.clone(),
                        local_revision: c.local_revision,
                    },
                );
                view.mode = super::writers::MergeMode::Merge;
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
                    crate::sync::check_draft(&draft)
                        .map_err(|e| format!("The merge was not saved: {e}"))?;
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
                            format!("The merge was not saved: {}", e.message_at(store.path()))
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
        }
    }
}

/// Fills the push dialog's report from the last pushed revision (or none, for a first push).
fn review_against_last_push(push: &mut PushDialog, base: &PushBase, fetch_error: Option<String>) {
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
            push.base_note = format!(
                "{why}Compared with revision {number}, the last one pushed to {}.",
                base.server
            );
            push.compat = Some(view);
        }
        None => {
            push.base_note = format!(
                "{why}\"{}\" was never pushed to {}: this push creates it there.",
                base.draft.type_name, base.server
            );
            push.compat = None;
        }
    }
    push.phase = PushPhase::Review;
}

fn push_sentence(report: &PushReport, server: &str) -> String {
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

/// Every schema's badges: its state on each server it is bound to, and queued pushes.
fn badges(store: &Store) -> Result<BTreeMap<SchemaId, Vec<Badge>>, StoreError> {
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

impl super::Controller {
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
                    self.worker.send(super::worker::Request::List);
                }
                Effect::Reopen(id) => {
                    let open = self.state.editor.as_ref().is_some_and(|e| e.id == id);
                    if open && self.state.is_dirty() {
                        self.state.info(
                            super::StatusKind::Info,
                            "The server result is saved; the open draft has unsaved changes and was not reloaded",
                        );
                    } else if open {
                        self.opening = Some(id);
                        self.worker.send(super::worker::Request::Open(id));
                    }
                }
            }
        }
    }
}
