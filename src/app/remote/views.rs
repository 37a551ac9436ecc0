//! What the sync windows read: [`SyncState`] (inside `AppState`) and the view models of the
//! Servers, Push, Conflict and Server-schemas windows.

use super::*;

/// Text typed into a password field. Never printed: `Debug` shows `***`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretText(pub String);

impl fmt::Debug for SecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretText(***)")
    }
}

impl SecretText {
    /// Overwrites the text (its whole buffer) and empties it.
    pub fn wipe(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

impl Drop for SecretText {
    fn drop(&mut self) {
        self.wipe();
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
    /// The keyring failed (not: had no entry); the error, for the user.
    Unreadable(String),
}

impl TokenStatus {
    pub fn label(&self) -> String {
        match self {
            TokenStatus::Env => format!("{TOKEN_ENV} (environment)"),
            TokenStatus::Keyring => "keyring".into(),
            TokenStatus::Given => "given to the app".into(),
            TokenStatus::Missing(why) if why.is_empty() => "missing".into(),
            TokenStatus::Missing(why) => format!("missing{why}"),
            TokenStatus::Unreadable(why) => format!("unreadable: {why}"),
        }
    }

    pub fn is_missing(&self) -> bool {
        matches!(self, TokenStatus::Missing(_) | TokenStatus::Unreadable(_))
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
    pub message: Option<SyncMessage>,
}

/// The sync windows' last message: what happened, and whether it went well.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncMessage {
    pub outcome: MessageOutcome,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageOutcome {
    Done,
    Failed,
}

impl SyncMessage {
    pub fn done(text: String) -> Self {
        SyncMessage {
            outcome: MessageOutcome::Done,
            text,
        }
    }

    pub fn failed(text: String) -> Self {
        SyncMessage {
            outcome: MessageOutcome::Failed,
            text,
        }
    }

    pub fn is_failure(&self) -> bool {
        self.outcome == MessageOutcome::Failed
    }
}
