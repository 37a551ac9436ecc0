//! The application without its window: [`AppState`], the [`Command`]s the UI emits, and the
//! one place that runs them ([`Controller::run_command`]) after the UI pass. Imports neither
//! `ui` nor `gui`: the window (`gui`) calls the UI and hands its commands here.
//!
//! Work that touches the disk or takes time runs on background tasks ([`tasks`]): the store
//! thread ([`store_thread`]), live validation ([`validator`]), the designer's checks
//! ([`designer_checks`]), the kept drafts ([`drafts`]), the chrome's settings file and About
//! facts ([`chrome`]) and server sync's store reads ([`remote`]); their answers are taken in
//! at the start of each frame.

pub mod chrome;
pub mod convert;
pub mod designer;
pub mod designer_checks;
pub mod dialogs;
pub mod drafts;
pub mod failure;
pub mod import;
pub mod interchange;
pub mod nextgen_server;
pub mod remote;
pub mod store_thread;
pub mod tasks;
pub mod undo;
pub mod validator;
pub mod window_state;
pub mod workspace;
pub mod writers;

use std::collections::BTreeSet;
use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers, ViewportCommand};

pub use dialogs::{FileDialogs, NativeDialogs};
pub use import::ExportFormat;
pub use undo::{EditKind, Parts};
pub use window_state::{DiffMode, WindowState};

use crate::schema::TypeName;
use crate::schema::diff::{DiffLine, LineTag, side_by_side};
use crate::schema::validate::{Diagnostic, Rule};
use crate::schema::{AuthenticatorType, pretty};
use crate::store::{ListFilter, Revision, SchemaId, SchemaSummary};
use store_thread::{Change, HistoryRow, OpenReason, Reply, Request, StoreThread};
use undo::UndoStack;
use validator::{Job, Validator};

pub const SAVE_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
pub const UNDO_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
pub const REDO_SHORTCUT: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
const REDO_SHORTCUT_Y: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);

/// Texts at least this long are validated after a longer pause in typing.
const LARGE_TEXT: usize = 128 * 1024;

/// Something the user asked for. Collected during the UI pass, run afterwards.
#[must_use]
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    SelectSchema(SchemaId),
    NewSchema,
    DuplicateSchema(SchemaId),
    StartRename(SchemaId),
    Rename {
        id: SchemaId,
        new_type: String,
    },
    SetArchived(SchemaId, bool),
    AskDelete(SchemaId),
    Delete(SchemaId),
    Undelete(SchemaId),
    AskPurge(SchemaId),
    Purge(SchemaId),
    SetFilter {
        archived: bool,
        deleted: bool,
    },
    /// The UI changed the type or the JSON text in place.
    Edited(EditKind),
    SetAuthenticator(AuthenticatorType, bool),
    Format,
    Save,
    Undo,
    Redo,
    /// Put the JSON editor's cursor at this line and column (1-based) and scroll there.
    JumpTo {
        line: usize,
        column: usize,
    },
    SetCompare {
        old: Option<u32>,
        new: Option<u32>,
    },
    Compare {
        old: u32,
        new: u32,
    },
    SetDiffMode(DiffMode),
    Restore(u32),
    ImportDialog,
    Import(PathBuf),
    /// Save a conversion the administrator confirmed: its request body file, by the ordinary import.
    ImportConverted(PathBuf),
    /// Write the open schema's review sheet.
    ExportReviewDialog,
    /// The Keycloak/Ory import window's buttons.
    Interchange(interchange::InterchangeCommand),
    Export(ExportFormat),
    SetTheme(crate::settings::Theme),
    SetTab(Tab),
    ToggleHistory,
    /// The answer to the unsaved-changes question.
    Unsaved(UnsavedAnswer),
    CloseModal,
    DismissStatus,
    /// Server sync: servers, push, pull, conflicts.
    Sync(remote::SyncCommand),
    /// Something the visual designer or the form preview asked for.
    Designer(designer::DesignerOp),
    /// Converting the open schema to the other target.
    Convert(convert::ConvertCommand),
    /// An open ZITADEL nextgen workspace folder.
    Workspace(workspace::WorkspaceCommand),
    /// The open nextgen schema's revisions on a nextgen server (experimental).
    NextgenServer(nextgen_server::NextgenServerCommand),
    /// About, Settings, the shortcut list, recent files.
    Chrome(chrome::ChromeCommand),
    /// The dialog of a save (or push) that met another writer's revision.
    Merge(writers::MergeCommand),
    /// The answer to "restore the unsaved draft kept from last time?".
    Draft(drafts::DraftAnswer),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnsavedAnswer {
    Save,
    Discard,
    Cancel,
}

/// What waits for the unsaved-changes question to be answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Pending {
    Select(SchemaId),
    New,
    Restore(u32),
    Close,
}

/// The central area's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Editor,
    Diff,
}

/// A dialog on top of everything.
#[derive(Debug, Clone, PartialEq)]
pub enum Modal {
    Unsaved(Pending),
    Rename {
        id: SchemaId,
        new_type: String,
    },
    Delete(SchemaId),
    Purge(SchemaId),
    ImportProblems {
        path: PathBuf,
        diagnostics: Vec<Diagnostic>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Info,
    Success,
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub kind: StatusKind,
    pub text: String,
}

/// Live validation of the open draft.
#[derive(Debug, Clone, Default)]
pub struct LiveValidation {
    /// Bumped on every edit; results of older generations are dropped.
    pub generation: u64,
    /// The generation the shown diagnostics belong to.
    pub checked: u64,
    /// When (egui time, seconds) the next job is due; `None` when nothing waits.
    pub due: Option<f64>,
    /// Diagnostics of the JSON text (the type's own problems are shown at the type field).
    pub diagnostics: Vec<Diagnostic>,
    /// 1-based lines with a problem.
    pub error_lines: BTreeSet<usize>,
}

impl LiveValidation {
    pub fn is_pending(&self) -> bool {
        self.due.is_some() || self.checked != self.generation
    }
}

/// The open schema: what is being edited, and what is saved.
#[derive(Debug, Clone)]
pub struct Editor {
    pub id: SchemaId,
    pub parts: Parts,
    /// The parts as last saved (or opened); `parts != saved` means unsaved changes.
    pub saved: Parts,
    /// The revision the draft started from: a save goes on top of it only while it is the
    /// latest, else the merge dialog opens.
    pub saved_revision: u32,
    pub archived: bool,
    /// The parts as of the last recorded edit (the "before" of the next undo step); `None`
    /// while they are `saved` (a large text is not held a third time until edited).
    shadow: Option<Parts>,
    pub dirty: bool,
    /// The optional message for the next revision.
    pub message: String,
    pub validation: LiveValidation,
    /// A jump the JSON editor still has to perform (line, column).
    pub jump: Option<(usize, usize)>,
    /// Whether the last save was refused (its diagnostics are in `validation`).
    pub save_rejected: bool,
}

impl Editor {
    /// The editor of `rev`, whose schema text (pretty-printed by the store thread) is `text`.
    fn from_revision(summary: &SchemaSummary, rev: &Revision, text: String) -> Self {
        let parts = Parts {
            type_name: rev.draft.type_name.clone(),
            schema_text: text,
            authenticators: rev.draft.possible_authenticators.clone(),
        };
        Editor {
            id: rev.schema_id,
            saved: parts.clone(),
            shadow: None,
            parts,
            saved_revision: rev.number,
            archived: summary.archived,
            dirty: false,
            message: String::new(),
            validation: LiveValidation::default(),
            jump: None,
            save_rejected: false,
        }
    }

    /// The type's own problem, checked as you type.
    pub fn type_error(&self) -> Option<String> {
        TypeName::parse(&self.parts.type_name)
            .err()
            .map(|e| e.to_string())
    }

    /// Authenticators the saved revision allows and the draft no longer does.
    pub fn removed_authenticators(&self) -> Vec<AuthenticatorType> {
        self.saved
            .authenticators
            .difference(&self.parts.authenticators)
            .copied()
            .collect()
    }

    fn refresh_dirty(&mut self) {
        self.dirty = self.parts != self.saved;
    }

    /// Replaces the saved parts; a shadow that stood for the old ones keeps them.
    fn set_saved(&mut self, saved: Parts) {
        let old = std::mem::replace(&mut self.saved, saved);
        let shadow = self.shadow.take().unwrap_or(old);
        self.shadow = (shadow != self.saved).then_some(shadow);
    }

    /// Sets the shadow to the parts now in the editor.
    fn shadow_parts(&mut self) {
        self.shadow = (self.parts != self.saved).then(|| self.parts.clone());
    }
}

/// A computed diff between two revisions.
#[derive(Debug, Clone)]
pub struct DiffView {
    pub schema: SchemaId,
    pub old: u32,
    pub new: u32,
    pub lines: Vec<DiffLine>,
    pub added: usize,
    pub removed: usize,
    /// Rows for the side-by-side view: (old line, new line), aligned.
    pub pairs: Vec<(Option<usize>, Option<usize>)>,
}

impl DiffView {
    fn new(schema: SchemaId, old: u32, new: u32, lines: Vec<DiffLine>) -> Self {
        let added = lines.iter().filter(|l| l.tag == LineTag::Inserted).count();
        let removed = lines.iter().filter(|l| l.tag == LineTag::Removed).count();
        let pairs = side_by_side(&lines);
        DiffView {
            schema,
            old,
            new,
            lines,
            added,
            removed,
            pairs,
        }
    }
}

/// Everything the UI reads. The UI edits text buffers in place and emits [`Command`]s for
/// everything else.
#[derive(Debug)]
pub struct AppState {
    /// What eframe remembers between runs (not the preferences: those are `prefs`).
    pub window: WindowState,
    pub db_path: PathBuf,
    /// What the Keycloak/Ory import and review-sheet export window shows (ui/interchange.rs).
    pub interchange: interchange::Panel,
    pub schemas: Vec<SchemaSummary>,
    /// The target of each schema (absent: v3alpha), answered by the store thread with every list.
    pub targets: std::collections::HashMap<SchemaId, crate::nextgen::Target>,
    pub search: String,
    pub selected: Option<SchemaId>,
    pub editor: Option<Editor>,
    pub history: Vec<HistoryRow>,
    pub compare: (Option<u32>, Option<u32>),
    pub diff: Option<DiffView>,
    pub tab: Tab,
    pub modal: Option<Modal>,
    pub status: Option<Status>,
    /// A store problem that makes the app unusable (e.g. the file is not a store).
    pub store_error: Option<String>,
    pub busy: bool,
    pub can_undo: bool,
    pub can_redo: bool,
    /// Server sync windows and dialogs.
    pub sync: remote::SyncState,
    /// The visual designer and the form preview.
    pub designer: designer::DesignerState,
    /// The settings file's contents: the one home of the user's preferences.
    pub prefs: crate::settings::Settings,
    /// Where `prefs` are written; `None` writes nothing (tests, or a file that did not parse).
    pub prefs_path: Option<PathBuf>,
    /// About, Settings and the shortcut list.
    pub chrome: chrome::ChromeState,
    /// The dialog of a save or push that met another writer's revision.
    pub merge: Option<writers::MergeView>,
    /// The window converting the open schema to the other target.
    pub convert: convert::ConvertState,
    /// The open nextgen workspace folder.
    pub workspace: workspace::WorkspaceState,
    /// The open nextgen schema's revisions on a nextgen server.
    pub nextgen_server: nextgen_server::NextgenServerState,
}

impl AppState {
    pub fn selected_summary(&self) -> Option<&SchemaSummary> {
        let id = self.selected?;
        self.schemas.iter().find(|s| s.id == id)
    }

    /// The target of a schema; one the store thread has not told of yet is v3alpha.
    pub fn target_of(&self, id: SchemaId) -> crate::nextgen::Target {
        self.targets.get(&id).copied().unwrap_or_default()
    }

    pub fn summary(&self, id: SchemaId) -> Option<&SchemaSummary> {
        self.schemas.iter().find(|s| s.id == id)
    }

    /// The name to show for a schema (its listed type, or the editor's).
    pub fn type_of(&self, id: SchemaId) -> String {
        self.summary(id)
            .map(|s| s.type_name.clone())
            .or_else(|| {
                self.editor
                    .as_ref()
                    .filter(|e| e.id == id)
                    .map(|e| e.saved.type_name.clone())
            })
            .unwrap_or_else(|| format!("schema {}", id.0))
    }

    pub fn is_dirty(&self) -> bool {
        self.editor.as_ref().is_some_and(|e| e.dirty)
    }

    /// The window title: "• type — schemadesk" with unsaved changes.
    pub fn title(&self) -> String {
        match &self.editor {
            Some(e) if e.dirty => format!("• {} — schemadesk", e.parts.type_name),
            Some(e) => format!("{} — schemadesk", e.parts.type_name),
            None => "schemadesk".to_string(),
        }
    }

    /// Selects the newest revision and the one before it for comparing (history is newest first).
    fn compare_latest_two(&mut self) {
        let mut numbers = self.history.iter().map(|h| h.summary.number);
        let newest = numbers.next();
        self.compare = (numbers.next(), newest);
    }

    /// Shows `text` in the status bar.
    pub fn info(&mut self, kind: StatusKind, text: impl Into<String>) {
        self.status = Some(Status {
            kind,
            text: text.into(),
        });
    }
}

/// The application without its window: [`AppState`], the background tasks that serve it,
/// and [`Controller::run_command`]. The window around it is `gui::SchemaDeskApp`.
pub struct Controller {
    pub state: AppState,
    /// The store, on its own thread.
    store: StoreThread,
    validator: Validator,
    dialogs: Box<dyn FileDialogs>,
    undo: UndoStack,
    /// Set after the user agreed to close with (or without) saving.
    allow_close: bool,
    /// What to do once the save in flight succeeds.
    after_save: Option<Pending>,
    /// What waited for a save that met a newer revision: done once the conflict is saved,
    /// or named as not done when the user cancels (app/writers.rs).
    after_conflict: Option<Pending>,
    /// Which schema an `Open` request is on its way for.
    opening: Option<SchemaId>,
    /// The schema value the store thread parsed for the editor just opened, with the
    /// validation generation whose text it is: the first validation uses it instead of
    /// parsing the text again.
    opened_value: Option<(SchemaId, u64, std::sync::Arc<serde_json::Value>)>,
    next_generation: u64,
    sync: remote::SyncRunner,
    /// Keeps the unsaved draft for crash recovery.
    drafts: drafts::DraftKeeper,
    /// Writes the settings file and reads the About dialog's facts.
    chrome: chrome::ChromeTasks,
    /// Reads the designer's tree and checks its samples.
    designer_checks: designer_checks::DesignerChecks,
    /// Keycloak/Ory conversions, review-sheet exports and the removal of cancelled previews.
    interchange: interchange::InterchangeJobs,
    /// When the process started, until the start-up times are logged.
    startup: Option<Startup>,
}

/// Start-up timing: logged once for the first frame and once when the schema list is shown.
struct Startup {
    at: std::time::Instant,
    first_frame_logged: bool,
}

impl Controller {
    /// Creates the app with explicit settings (tests use this).
    pub fn with_settings(
        ctx: &egui::Context,
        db: PathBuf,
        dialogs: Box<dyn FileDialogs>,
        settings: WindowState,
    ) -> Self {
        let wake = tasks::repaint(ctx);
        let mut store = StoreThread::spawn(db.clone(), wake.clone());
        let validator = Validator::spawn(wake.clone());
        let chrome = chrome::ChromeTasks::spawn(wake.clone());
        let designer_checks = designer_checks::DesignerChecks::spawn(wake.clone());
        let interchange = tasks::Jobs::new(wake);
        let sync_runner = remote::SyncRunner::new(db.clone(), ctx);
        let drafts = drafts::DraftKeeper::spawn(db.clone(), ctx);
        store.send(Request::SetFilter(ListFilter {
            include_archived: settings.show_archived,
            include_deleted: settings.show_deleted,
        }));
        let mut opening = None;
        if let Some(id) = settings.last_schema {
            store.send(Request::Open(SchemaId(id)));
            opening = Some(SchemaId(id));
        }
        let state = AppState {
            selected: opening,
            window: settings,
            db_path: db,
            interchange: Default::default(),
            schemas: Vec::new(),
            targets: Default::default(),
            search: String::new(),
            editor: None,
            history: Vec::new(),
            compare: (None, None),
            diff: None,
            tab: Tab::Editor,
            modal: None,
            status: None,
            store_error: None,
            busy: true,
            can_undo: false,
            can_redo: false,
            sync: remote::SyncState::default(),
            designer: designer::DesignerState::default(),
            prefs: crate::settings::Settings::default(),
            prefs_path: None,
            chrome: chrome::ChromeState::default(),
            merge: None,
            convert: Default::default(),
            workspace: Default::default(),
            nextgen_server: Default::default(),
        };
        Controller {
            state,
            store,
            validator,
            dialogs,
            undo: UndoStack::default(),
            allow_close: false,
            after_save: None,
            after_conflict: None,
            opening,
            opened_value: None,
            next_generation: 1,
            sync: sync_runner,
            drafts,
            chrome,
            designer_checks,
            interchange,
            startup: None,
        }
    }

    /// Logs (at info) how long after `started` the first frame was built and the schema list
    /// shown; `started` is taken first thing in `main`.
    pub fn with_start(mut self, started: std::time::Instant) -> Self {
        self.startup = Some(Startup {
            at: started,
            first_frame_logged: false,
        });
        self
    }

    /// True when no store request and no validation is outstanding (tests wait for this).
    pub fn is_idle(&self) -> bool {
        self.store.pending() == 0
            && self.interchange.running() == 0
            && self
                .state
                .editor
                .as_ref()
                .is_none_or(|e| !e.validation.is_pending())
            && self.sync.is_idle()
            && self.drafts.is_idle()
            && self.chrome.is_idle()
            && self.designer_checks.is_idle()
            && self.state.convert.is_idle()
            && self.state.workspace.is_idle()
            && self.state.nextgen_server.is_idle()
    }

    /// How many schema texts live validation had to parse itself (tests read it: a schema
    /// just opened is checked with the value the store thread parsed).
    pub fn validator_parsed_texts(&self) -> usize {
        self.validator.parsed_texts()
    }

    /// The start of a frame, before the UI pass: takes in what the background tasks answered,
    /// then the global shortcuts, dropped files and a close request, as [`Command`]s.
    pub fn begin_frame(&mut self, ctx: &egui::Context) -> Vec<Command> {
        self.poll(ctx);
        self.poll_sync(ctx);
        self.poll_chrome();
        self.poll_convert(ctx);
        self.poll_workspace(ctx);
        self.poll_nextgen_server();
        self.poll_interchange(ctx);
        self.global_input(ctx)
    }

    /// The end of a frame, after its commands ran: hands due work to the background tasks
    /// and updates what the UI reads about them.
    pub fn end_frame(&mut self, ctx: &egui::Context) {
        let ctx = ctx.clone();
        self.drafts_frame(&ctx);
        self.schedule_validation(&ctx);
        self.designer_frame();
        if let Some(s) = self.startup.as_mut().filter(|s| !s.first_frame_logged) {
            s.first_frame_logged = true;
            tracing::info!(
                "first frame built {} ms after start",
                s.at.elapsed().as_millis()
            );
        }
        self.state.busy = self.store.pending() > 0;
        self.state.can_undo = self.undo.can_undo();
        self.state.can_redo = self.undo.can_redo();
    }

    fn global_input(&mut self, ctx: &egui::Context) -> Vec<Command> {
        let mut commands = Vec::new();
        // Taken before any widget runs, so a focused TextEdit does not apply its own undo.
        ctx.input_mut(|i| {
            if i.consume_shortcut(&REDO_SHORTCUT) || i.consume_shortcut(&REDO_SHORTCUT_Y) {
                commands.push(Command::Redo);
            } else if i.consume_shortcut(&UNDO_SHORTCUT) {
                commands.push(Command::Undo);
            }
            if i.consume_shortcut(&SAVE_SHORTCUT) {
                commands.push(Command::Save);
            }
            self.chrome_shortcuts(i, &mut commands);
        });
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        for path in dropped {
            let is_json = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"));
            if is_json {
                commands.push(Command::Import(path));
            } else {
                self.state.info(
                    StatusKind::Error,
                    format!(
                        "{} is not a .json file; nothing was imported",
                        path.display()
                    ),
                );
            }
        }
        if ctx.input(|i| i.viewport().close_requested())
            && !self.allow_close
            && self.state.is_dirty()
        {
            ctx.send_viewport_cmd(ViewportCommand::CancelClose);
            self.state.modal = Some(Modal::Unsaved(Pending::Close));
        }
        commands
    }

    fn poll(&mut self, ctx: &egui::Context) {
        for reply in self.store.poll() {
            self.on_reply(reply, ctx);
        }
        for checked in self.validator.poll() {
            if let Some(editor) = &mut self.state.editor
                && checked.generation == editor.validation.generation
            {
                let v = &mut editor.validation;
                v.checked = checked.generation;
                v.diagnostics = checked
                    .diagnostics
                    .into_iter()
                    .filter(|d| d.rule != Rule::Type)
                    .collect();
                v.error_lines = v.diagnostics.iter().map(|d| d.line).collect();
                if v.diagnostics.is_empty() {
                    editor.save_rejected = false;
                }
            }
        }
    }

    fn schedule_validation(&mut self, ctx: &egui::Context) {
        let now = ctx.input(|i| i.time);
        let target = self
            .state
            .editor
            .as_ref()
            .map(|e| self.state.target_of(e.id))
            .unwrap_or_default();
        let metas = self
            .state
            .editor
            .as_ref()
            .and_then(|e| self.state.workspace.metas_of(e.id));
        let Some(editor) = &mut self.state.editor else {
            self.opened_value = None;
            return;
        };
        let Some(due) = editor.validation.due else {
            return;
        };
        if now >= due {
            editor.validation.due = None;
            let current = (editor.id, editor.validation.generation);
            let parsed = self
                .opened_value
                .take()
                .filter(|(id, generation, _)| (*id, *generation) == current)
                .map(|(_, _, value)| value);
            let submitted = self.validator.submit(Job {
                generation: editor.validation.generation,
                type_name: editor.parts.type_name.clone(),
                schema_text: editor.parts.schema_text.clone(),
                authenticators: editor.parts.authenticators.clone(),
                target,
                metas,
                parsed,
            });
            if !submitted {
                editor.validation.checked = editor.validation.generation;
                self.state
                    .info(StatusKind::Error, "live validation is unavailable");
            }
        } else {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(due - now));
        }
    }

    /// Marks the draft changed: bumps the validation generation and sets the debounce.
    fn invalidate(&mut self, ctx: &egui::Context) {
        let now = ctx.input(|i| i.time);
        let generation = self.next_generation;
        self.next_generation += 1;
        if let Some(editor) = &mut self.state.editor {
            let delay = if editor.parts.schema_text.len() >= LARGE_TEXT {
                0.35
            } else {
                0.08
            };
            editor.validation.generation = generation;
            editor.validation.due = Some(now + delay);
            editor.refresh_dirty();
        }
        ctx.request_repaint();
    }

    fn record_edit(&mut self, kind: EditKind, ctx: &egui::Context) {
        let now = ctx.input(|i| i.time);
        let Some(editor) = &mut self.state.editor else {
            return;
        };
        if editor.parts == *editor.shadow.as_ref().unwrap_or(&editor.saved) {
            return;
        }
        let before = match editor.shadow.replace(editor.parts.clone()) {
            Some(shadow) => shadow,
            None => editor.saved.clone(),
        };
        self.undo.record(before, kind, now);
        self.invalidate(ctx);
    }

    /// Opens `revision` in the editor; `text` is its schema text and `parsed` (when given)
    /// its schema, for the first validation.
    fn open_editor(
        &mut self,
        summary: &SchemaSummary,
        revision: &Revision,
        text: String,
        parsed: Option<serde_json::Value>,
        ctx: &egui::Context,
    ) {
        let mut editor = Editor::from_revision(summary, revision, text);
        // Reloading the same content (after a push, or an import of the same text) is not a
        // new document: the undo history and the typed message stay.
        let reload = self
            .state
            .editor
            .as_ref()
            .filter(|e| e.id == summary.id && e.parts == editor.parts);
        if let Some(old) = reload {
            editor.message = old.message.clone();
        } else {
            self.undo.clear();
        }
        self.state.editor = Some(editor);
        self.state.selected = Some(summary.id);
        self.state.window.last_schema = Some(summary.id.0);
        self.invalidate(ctx);
        self.opened_value = parsed.and_then(|value| {
            let generation = self.state.editor.as_ref()?.validation.generation;
            Some((summary.id, generation, std::sync::Arc::new(value)))
        });
    }

    fn on_reply(&mut self, reply: Reply, ctx: &egui::Context) {
        match reply {
            Reply::List(schemas) => {
                self.state.store_error = None;
                self.state.schemas = schemas;
                if let Some(s) = self.startup.take() {
                    tracing::info!(
                        "schema list ({} schemas) shown {} ms after start",
                        self.state.schemas.len(),
                        s.at.elapsed().as_millis()
                    );
                }
            }
            Reply::Targets(targets) => self.state.targets = targets,
            Reply::Opened {
                summary,
                mut revision,
                text,
                history,
                reason,
            } => {
                let is_current = self
                    .state
                    .editor
                    .as_ref()
                    .is_some_and(|e| e.id == summary.id);
                let wanted = self.opening == Some(summary.id) || is_current;
                if !wanted {
                    return;
                }
                self.opening = None;
                let parsed = std::mem::take(&mut revision.draft.schema);
                self.open_editor(&summary, &revision, text, Some(parsed), ctx);
                self.state.history = history;
                if reason == OpenReason::Open
                    || self
                        .state
                        .diff
                        .as_ref()
                        .is_some_and(|d| d.schema != summary.id)
                {
                    self.state.diff = None;
                    self.state.tab = Tab::Editor;
                }
                self.state.compare_latest_two();
                // A diff on show follows the new pair, so its header never names an old one.
                if reason != OpenReason::Open
                    && self.state.diff.is_some()
                    && let (Some(old), Some(new)) = self.state.compare
                {
                    self.store.send(Request::Diff {
                        id: summary.id,
                        old,
                        new,
                    });
                }
                match reason {
                    OpenReason::Open => {}
                    OpenReason::Restored(n) => self.state.info(
                        StatusKind::Success,
                        format!("Restored revision {n} as revision {}", revision.number),
                    ),
                    OpenReason::Renamed => self.state.info(
                        StatusKind::Success,
                        format!("Renamed to \"{}\"", revision.draft.type_name),
                    ),
                }
            }
            Reply::Created(id) => {
                self.opening = Some(id);
                self.state.selected = Some(id);
                self.store.send(Request::Open(id));
            }
            Reply::Saved {
                id,
                parts,
                revision,
                created,
                history,
            } => {
                if let Some(editor) = &mut self.state.editor
                    && editor.id == id
                {
                    editor.set_saved(parts);
                    editor.saved_revision = revision.number;
                    editor.save_rejected = false;
                    if created {
                        editor.message.clear();
                    }
                    editor.refresh_dirty();
                    self.state.history = history;
                    self.state.compare_latest_two();
                }
                self.undo.break_burst();
                if created {
                    self.state.info(
                        StatusKind::Success,
                        format!(
                            "Saved \"{}\" as revision {}",
                            revision.draft.type_name, revision.number
                        ),
                    );
                } else {
                    self.state.info(
                        StatusKind::Info,
                        format!(
                            "No changes: revision {} already holds this content",
                            revision.number
                        ),
                    );
                }
                if let Some(pending) = self.after_save.take() {
                    self.proceed(pending, ctx);
                }
            }
            Reply::SaveConflict(conflict) => self.on_save_conflict(*conflict),
            Reply::StoreChanged(schemas) => self.on_store_changed(schemas),
            Reply::Refreshed {
                summary,
                revision,
                text,
                history,
            } => self.on_refreshed(summary, *revision, text, history, ctx),
            Reply::SaveRejected { id, diagnostics } => {
                tracing::info!(r#type = ?self.state.type_of(id), problems = diagnostics.len(), outcome = "refused", "save");
                self.after_save = None;
                if let Some(editor) = &mut self.state.editor
                    && editor.id == id
                {
                    editor.save_rejected = true;
                }
                let count = diagnostics.len();
                let first = diagnostics
                    .first()
                    .map(|d| format!(": {}", d.message))
                    .unwrap_or_default();
                self.state.info(
                    StatusKind::Error,
                    format!("Not saved: {count} problem(s){first}"),
                );
            }
            Reply::Changed { id, what } => {
                let name = self.state.type_of(id);
                let text = match what {
                    Change::Archived(true) => format!("Archived \"{name}\""),
                    Change::Archived(false) => format!("Unarchived \"{name}\""),
                    Change::Deleted => {
                        format!("Deleted \"{name}\"; its revisions are kept until you purge it")
                    }
                    Change::Undeleted => format!("Brought back \"{name}\""),
                    Change::Purged => format!("Purged \"{name}\" and all its revisions"),
                };
                self.state.info(StatusKind::Success, text);
                let is_open = self.state.editor.as_ref().is_some_and(|e| e.id == id);
                match what {
                    Change::Deleted | Change::Purged if is_open => {
                        self.state.editor = None;
                        self.state.history.clear();
                        self.state.diff = None;
                        self.state.selected = None;
                        self.state.window.last_schema = None;
                        self.undo.clear();
                    }
                    Change::Archived(a) => {
                        if let Some(editor) = &mut self.state.editor
                            && editor.id == id
                        {
                            editor.archived = a;
                        }
                    }
                    _ => {}
                }
            }
            Reply::Diff {
                id,
                old,
                new,
                lines,
            } => {
                if self.state.editor.as_ref().is_some_and(|e| e.id == id) {
                    self.state.diff = Some(DiffView::new(id, old, new, lines));
                    self.state.tab = Tab::Diff;
                }
            }
            Reply::Imported {
                id,
                type_name,
                number,
                created,
            } => {
                let text = if created {
                    format!("Imported \"{type_name}\" as revision {number}")
                } else {
                    format!("\"{type_name}\" is unchanged: revision {number} already holds it")
                };
                self.state.info(StatusKind::Success, text);
                let is_open = self.state.editor.as_ref().is_some_and(|e| e.id == id);
                if is_open && self.state.is_dirty() {
                    self.state.info(
                        StatusKind::Info,
                        format!(
                            "Imported \"{type_name}\" as revision {number}; the open draft has unsaved changes and was not reloaded"
                        ),
                    );
                } else if is_open {
                    self.opening = Some(id);
                    self.store.send(Request::Open(id));
                } else {
                    self.run_command(Command::SelectSchema(id), ctx);
                }
            }
            Reply::ImportRejected(err) => match err {
                import::ImportError::Invalid { path, diagnostics } => {
                    self.state.info(
                        StatusKind::Error,
                        format!(
                            "{} was not imported: {} problem(s)",
                            path.display(),
                            diagnostics.len()
                        ),
                    );
                    self.state.modal = Some(Modal::ImportProblems { path, diagnostics });
                }
                import::ImportError::Failed(error) => {
                    tracing::info!(error = %error, cause = %error.chain(), "import failed");
                    self.state.info(StatusKind::Error, error.to_string());
                }
            },
            Reply::Samples(reply) => self.on_samples(reply),
            Reply::Exported(path) => {
                self.remember_file(&path);
                self.state.info(
                    StatusKind::Success,
                    format!("Exported to {}", path.display()),
                );
            }
            Reply::Failed { context, error } => {
                let message = error.to_string();
                tracing::info!(context = %context, outcome = "failed", error = %message, cause = %error.chain(), "store request");
                if context == "store" {
                    self.state.store_error = Some(message.clone());
                }
                self.after_save = None;
                self.opening = None;
                self.state
                    .info(StatusKind::Error, format!("{context}: {message}"));
            }
        }
    }

    /// Runs what waited for the unsaved-changes question.
    fn proceed(&mut self, pending: Pending, ctx: &egui::Context) {
        match pending {
            Pending::Select(id) => {
                self.opening = Some(id);
                self.state.selected = Some(id);
                self.store.send(Request::Open(id));
            }
            Pending::New => {
                let request = self.new_schema_request();
                self.store.send(request);
            }
            Pending::Restore(number) => {
                if let Some(editor) = &self.state.editor {
                    let id = editor.id;
                    self.opening = Some(id);
                    self.store.send(Request::Restore { id, number });
                }
            }
            Pending::Close => {
                self.allow_close = true;
                ctx.send_viewport_cmd(ViewportCommand::Close);
            }
        }
    }

    /// Runs `pending` now, or asks first when the draft has unsaved changes.
    fn guard(&mut self, pending: Pending, ctx: &egui::Context) {
        if self.state.is_dirty() {
            self.state.modal = Some(Modal::Unsaved(pending));
        } else {
            self.proceed(pending, ctx);
        }
    }

    fn discard_changes(&mut self, ctx: &egui::Context) {
        if let Some(editor) = &mut self.state.editor {
            editor.parts = editor.saved.clone();
            editor.shadow = None;
            editor.save_rejected = false;
        }
        self.undo.clear();
        self.invalidate(ctx);
    }

    fn send_save(&mut self) -> bool {
        let Some(editor) = &self.state.editor else {
            return false;
        };
        let request = Request::Save {
            id: editor.id,
            parts: editor.parts.clone(),
            message: editor.message.trim().to_string(),
            base: editor.saved_revision,
            metas: self.state.workspace.metas_of(editor.id),
        };
        self.store.send(request)
    }

    /// The one place a [`Command`] is carried out.
    pub fn run_command(&mut self, command: Command, ctx: &egui::Context) {
        match command {
            Command::SelectSchema(id) => {
                if self.state.editor.as_ref().is_some_and(|e| e.id == id) {
                    self.state.selected = Some(id);
                    return;
                }
                self.guard(Pending::Select(id), ctx);
            }
            Command::NewSchema => {
                self.forget_template();
                self.guard(Pending::New, ctx);
            }
            Command::DuplicateSchema(id) => {
                self.store.send(Request::Duplicate(id));
            }
            Command::StartRename(id) => {
                let new_type = self.state.type_of(id);
                self.state.modal = Some(Modal::Rename { id, new_type });
            }
            Command::Rename { id, new_type } => {
                if let Err(m) = TypeName::parse(&new_type) {
                    self.state
                        .info(StatusKind::Error, format!("Cannot rename: {m}"));
                    return;
                }
                self.state.modal = None;
                if self.state.editor.as_ref().is_some_and(|e| e.id == id) {
                    self.opening = Some(id);
                }
                self.store.send(Request::Rename { id, new_type });
            }
            Command::SetArchived(id, archived) => {
                self.store.send(Request::SetArchived(id, archived));
            }
            Command::AskDelete(id) => self.state.modal = Some(Modal::Delete(id)),
            Command::Delete(id) => {
                self.state.modal = None;
                self.store.send(Request::MarkDeleted(id));
            }
            Command::Undelete(id) => {
                self.store.send(Request::Undelete(id));
            }
            Command::AskPurge(id) => self.state.modal = Some(Modal::Purge(id)),
            Command::Purge(id) => {
                self.state.modal = None;
                self.store.send(Request::Purge(id));
            }
            Command::SetFilter { archived, deleted } => {
                self.state.window.show_archived = archived;
                self.state.window.show_deleted = deleted;
                self.store.send(Request::SetFilter(ListFilter {
                    include_archived: archived,
                    include_deleted: deleted,
                }));
            }
            Command::Edited(kind) => self.record_edit(kind, ctx),
            Command::SetAuthenticator(a, on) => {
                if let Some(editor) = &mut self.state.editor {
                    if on {
                        editor.parts.authenticators.insert(a);
                    } else {
                        editor.parts.authenticators.remove(&a);
                    }
                }
                self.record_edit(EditKind::Authenticator, ctx);
            }
            Command::Format => {
                let Some(editor) = &mut self.state.editor else {
                    return;
                };
                match crate::schema::numbers::from_str(&editor.parts.schema_text) {
                    Ok(value) => {
                        editor.parts.schema_text = pretty(&value);
                        self.record_edit(EditKind::Format, ctx);
                    }
                    Err(e) => self.state.info(
                        StatusKind::Error,
                        format!("Cannot format: the text is not JSON ({e})"),
                    ),
                }
            }
            Command::Save => {
                if self.send_save() {
                    self.undo.break_burst();
                } else if self.state.editor.is_none() {
                    self.state
                        .info(StatusKind::Info, "Nothing to save: no schema is open");
                }
            }
            Command::Undo | Command::Redo => {
                let Some(editor) = &mut self.state.editor else {
                    return;
                };
                let current = editor.parts.clone();
                let restored = if command == Command::Undo {
                    self.undo.undo(current)
                } else {
                    self.undo.redo(current)
                };
                if let Some(parts) = restored {
                    // The JSON editor's caret goes to the change, not its old index.
                    let caret = undo::caret_after(&editor.parts.schema_text, &parts.schema_text)
                        .filter(|_| self.state.designer.view == designer::View::Json);
                    editor.parts = parts;
                    editor.shadow_parts();
                    if let Some(at) = caret {
                        let p = crate::schema::position::pos_at(&editor.parts.schema_text, at);
                        editor.jump = Some((p.line, p.column));
                    }
                    self.invalidate(ctx);
                }
            }
            Command::JumpTo { line, column } => {
                if let Some(editor) = &mut self.state.editor {
                    editor.jump = Some((line, column));
                    self.state.tab = Tab::Editor;
                }
            }
            Command::SetCompare { old, new } => self.state.compare = (old, new),
            Command::Compare { old, new } => {
                if let Some(editor) = &self.state.editor {
                    let id = editor.id;
                    self.store.send(Request::Diff { id, old, new });
                    self.sync.compare_revisions(id, old, new);
                }
            }
            Command::SetDiffMode(mode) => self.state.window.diff_mode = mode,
            Command::Restore(number) => self.guard(Pending::Restore(number), ctx),
            Command::ImportDialog => {
                if let Some(path) = self.dialogs.pick_open() {
                    self.run_command(Command::Import(path), ctx);
                }
            }
            Command::Import(path) => {
                self.remember_file(&path);
                // A Keycloak profile or an Ory schema shows its report first; anything else
                // comes back as `ImportConverted(path)` and is imported as before.
                self.start_interchange_import(path);
            }
            Command::ImportConverted(path) => {
                self.store.send(Request::Import(path));
            }
            Command::Interchange(command) => self.run_interchange(command),
            Command::ExportReviewDialog => {
                if let Some(editor) = &self.state.editor {
                    let name = format!(
                        "{}-review.html",
                        crate::files::file_stem_for(&editor.saved.type_name)
                    );
                    if let Some(path) = self.dialogs.pick_save(&name) {
                        let id = editor.id;
                        self.start_review_export(id, path);
                    }
                }
            }
            Command::Export(format) => {
                let Some(editor) = &self.state.editor else {
                    self.state
                        .info(StatusKind::Info, "Open a schema to export it");
                    return;
                };
                let id = editor.id;
                let dirty = editor.dirty;
                let name = import::suggested_file_name(&editor.saved.type_name);
                if let Some(path) = self.dialogs.pick_save(&name) {
                    self.store.send(Request::Export { id, path, format });
                    if dirty {
                        self.state.info(
                            StatusKind::Info,
                            "Exporting the last saved revision (unsaved changes are not included)",
                        );
                    }
                }
            }
            Command::SetTheme(theme) => self.set_theme(theme),
            Command::SetTab(tab) => self.state.tab = tab,
            Command::ToggleHistory => {
                self.state.window.show_history = !self.state.window.show_history;
            }
            Command::Unsaved(answer) => {
                let Some(Modal::Unsaved(pending)) = self.state.modal.take() else {
                    return;
                };
                match answer {
                    UnsavedAnswer::Save => {
                        if self.send_save() {
                            self.after_save = Some(pending);
                        }
                    }
                    UnsavedAnswer::Discard => {
                        self.discard_changes(ctx);
                        self.proceed(pending, ctx);
                    }
                    UnsavedAnswer::Cancel => {}
                }
            }
            Command::CloseModal => self.state.modal = None,
            Command::DismissStatus => self.state.status = None,
            Command::Sync(c) => self.run_sync(c, ctx),
            Command::Designer(op) => self.run_designer(op, ctx),
            Command::Chrome(c) => self.run_chrome(c, ctx),
            Command::Merge(c) => self.run_merge(c, ctx),
            Command::Draft(answer) => self.drafts_answer(answer, ctx),
            Command::Convert(c) => self.run_convert(c, ctx),
            Command::Workspace(c) => self.run_workspace(c, ctx),
            Command::NextgenServer(c) => self.run_nextgen_server(c, ctx),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::UserSchemaDraft;

    fn editor(text: &str) -> Editor {
        let summary = SchemaSummary {
            id: SchemaId(1),
            type_name: "person".into(),
            created_at: String::new(),
            updated_at: String::new(),
            archived: false,
            deleted_at: None,
            latest_revision: 1,
        };
        let revision = Revision {
            id: 1,
            schema_id: SchemaId(1),
            number: 1,
            draft: UserSchemaDraft::new("person", serde_json::json!({}), []),
            content_hash: String::new(),
            created_at: String::new(),
            message: String::new(),
            restored_from: None,
        };
        Editor::from_revision(&summary, &revision, text.into())
    }

    /// An opened schema's text is held twice (draft and saved), not three times: the undo
    /// shadow stands for the saved parts until the first edit (issue 14, memory).
    #[test]
    fn the_shadow_is_the_saved_text_until_an_edit_and_keeps_it_after_a_save() {
        let mut e = editor("{}\n");
        assert_eq!(e.shadow, None);
        // A save of other parts: the shadow keeps what it stood for.
        let mut newer = e.saved.clone();
        newer.schema_text = "{\"a\": 1}\n".into();
        e.set_saved(newer.clone());
        assert_eq!(
            e.shadow.as_ref().map(|p| p.schema_text.as_str()),
            Some("{}\n")
        );
        // Back to parts equal to the saved ones: shared again.
        e.parts = newer;
        e.shadow_parts();
        assert_eq!(e.shadow, None);
        e.set_saved(e.parts.clone());
        assert_eq!(e.shadow, None);
    }
}
