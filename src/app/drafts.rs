//! Crash recovery of the open draft. A few seconds after the last edit, the unsaved draft is
//! kept in the store (not as a revision; see [`crate::store::KeptDraft`]); it is dropped once
//! saved or discarded. On the next start a kept draft is offered back: restore or discard.
//!
//! The store work runs on a thread of its own (its own connection), in the order asked, so a
//! "keep" and the "drop" after a save never overtake each other; the frame never waits.

use std::path::{Path, PathBuf};

use super::failure::Failure;
use super::tasks::{self, Queue};
use super::undo::{EditKind, Parts};
use super::{Command, Controller, StatusKind};
use crate::store::{KeptDraft, SchemaId, Store};

/// Seconds after the last edit at which the draft is kept.
pub const KEEP_AFTER: f64 = 2.0;

/// A kept draft found at start-up, waiting for the user's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftOffer {
    pub draft: KeptDraft,
    /// The schema's newest revision now (another may have been saved since the draft's base).
    pub latest_revision: u32,
}

/// The answer to the restore question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftAnswer {
    Restore,
    Discard,
}

enum Job {
    Keep(KeptDraft),
    Drop(SchemaId),
    Load,
}

enum Done {
    Loaded(Vec<DraftOffer>),
    Kept,
    Dropped,
    Failed(Failure),
}

/// The handle the app keeps.
pub struct DraftKeeper {
    queue: Queue<Job, Done>,
    pending: usize,
    /// What the last frame saw: the open schema and its edit generation.
    seen: Option<(SchemaId, u64)>,
    /// When (egui time) the draft is due to be kept; `None` when nothing waits.
    due: Option<f64>,
    /// When the first edit not yet kept happened (bounds the delay while typing on).
    first_unkept: Option<f64>,
    /// The schema whose draft this session has kept (so that it is dropped once saved).
    kept: Option<SchemaId>,
    /// Drafts found at start-up, the first one asked about.
    pub offers: Vec<DraftOffer>,
    /// A draft the user chose to restore, applied once its schema is open.
    restoring: Option<KeptDraft>,
    /// Whether a failure was already shown (one message per session is enough).
    warned: bool,
}

impl DraftKeeper {
    /// Starts the thread over the store at `db` and asks it for drafts left from last time.
    pub fn spawn(db: PathBuf, ctx: &egui::Context) -> Self {
        let queue = Queue::spawn(
            "schemadesk-drafts",
            tasks::repaint(ctx),
            move |jobs, done| {
                let mut store = None;
                for job in jobs {
                    if !done.send(run(&db, &mut store, job)) {
                        return;
                    }
                }
            },
        );
        let mut keeper = DraftKeeper {
            queue,
            pending: 0,
            seen: None,
            due: None,
            first_unkept: None,
            kept: None,
            offers: Vec::new(),
            restoring: None,
            warned: false,
        };
        keeper.send(Job::Load);
        keeper
    }

    fn send(&mut self, job: Job) {
        if self.queue.send(job) {
            self.pending += 1;
        }
    }

    /// True when the thread has answered everything asked.
    pub fn is_idle(&self) -> bool {
        self.pending == 0
    }

    /// The draft offered back, if any (the UI shows it).
    pub fn offer(&self) -> Option<&DraftOffer> {
        self.offers.first()
    }
}

impl Drop for DraftKeeper {
    /// Lets the thread finish what it was asked (a last "drop" after a save on closing).
    fn drop(&mut self) {
        self.queue.finish();
    }
}

fn run(db: &Path, store: &mut Option<Store>, job: Job) -> Done {
    if store.is_none() {
        match Store::open(db) {
            Ok(s) => *store = Some(s),
            Err(e) => return Done::Failed(Failure::caused_by(e.message_at(db), e)),
        }
    }
    let Some(store) = store.as_mut() else {
        return Done::Failed(Failure::new("the store is not open"));
    };
    let result = match job {
        Job::Keep(draft) => store.keep_draft(&draft).map(|()| Done::Kept),
        Job::Drop(id) => store.drop_draft(id).map(|()| Done::Dropped),
        Job::Load => load(store).map(Done::Loaded),
    };
    result.unwrap_or_else(|e| Done::Failed(Failure::caused_by(e.message_at(db), e)))
}

/// The drafts worth offering: those that differ from their schema's newest revision (a draft
/// equal to it was saved just before a crash, and is dropped).
fn load(store: &mut Store) -> crate::store::Result<Vec<DraftOffer>> {
    let mut offers = Vec::new();
    for draft in store.kept_drafts()? {
        let latest = store.latest_revision(draft.schema_id)?;
        let same = latest.draft.type_name == draft.type_name
            && latest.schema_text() == draft.schema_text
            && latest.draft.possible_authenticators == draft.authenticators;
        if same {
            if !store.is_read_only() {
                store.drop_draft(draft.schema_id)?;
            }
        } else {
            offers.push(DraftOffer {
                draft,
                latest_revision: latest.number,
            });
        }
    }
    Ok(offers)
}

impl Controller {
    /// Once a frame: takes the thread's answers, keeps or drops the open draft when due, and
    /// applies a restored draft once its schema is open.
    pub(super) fn drafts_frame(&mut self, ctx: &egui::Context) {
        self.drafts_poll();
        self.drafts_restore(ctx);
        self.drafts_schedule(ctx);
    }

    fn drafts_poll(&mut self) {
        for done in self.drafts.queue.poll().answers {
            self.drafts.pending = self.drafts.pending.saturating_sub(1);
            match done {
                Done::Loaded(offers) => self.drafts.offers = offers,
                Done::Kept | Done::Dropped => {}
                Done::Failed(error) => {
                    let message = error.to_string();
                    tracing::warn!(cause = %error.chain(), "unsaved draft not kept: {message}");
                    if !self.drafts.warned {
                        self.drafts.warned = true;
                        self.state.info(
                            StatusKind::Error,
                            format!("The unsaved draft cannot be kept for recovery: {message}"),
                        );
                    }
                }
            }
        }
    }

    fn drafts_schedule(&mut self, ctx: &egui::Context) {
        let now = ctx.input(|i| i.time);
        let Some(editor) = &self.state.editor else {
            self.drafts.seen = None;
            self.drafts.due = None;
            return;
        };
        let now_seen = (editor.id, editor.validation.generation);
        let edited = self.drafts.seen.is_some_and(|(id, _)| id == editor.id)
            && self.drafts.seen != Some(now_seen);
        self.drafts.seen = Some(now_seen);
        // Saved, undone back to the saved state or discarded: the kept draft is obsolete.
        if !editor.dirty {
            self.drafts.due = None;
            self.drafts.first_unkept = None;
            if let Some(id) = self.drafts.kept.take() {
                self.drafts.send(Job::Drop(id));
            }
            return;
        }
        let Some(interval) = self.state.prefs.autosave_secs.interval() else {
            return;
        };
        if edited {
            let first = *self.drafts.first_unkept.get_or_insert(now);
            let latest = first + interval.as_secs_f64();
            self.drafts.due = Some((now + KEEP_AFTER.min(interval.as_secs_f64())).min(latest));
        }
        let Some(due) = self.drafts.due else {
            return;
        };
        if now < due {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(due - now));
            return;
        }
        self.drafts.due = None;
        self.drafts.first_unkept = None;
        if let Some(other) = self.drafts.kept.filter(|id| *id != editor.id) {
            self.drafts.send(Job::Drop(other));
        }
        self.drafts.kept = Some(editor.id);
        let draft = KeptDraft {
            schema_id: editor.id,
            type_name: editor.parts.type_name.clone(),
            schema_text: editor.parts.schema_text.clone(),
            authenticators: editor.parts.authenticators.clone(),
            base_revision: editor.saved_revision,
            message: editor.message.clone(),
            kept_at: String::new(),
        };
        self.drafts.send(Job::Keep(draft));
    }

    /// Applies the draft being restored once its schema is the open one.
    fn drafts_restore(&mut self, ctx: &egui::Context) {
        let Some(id) = self.drafts.restoring.as_ref().map(|d| d.schema_id) else {
            return;
        };
        let open = self.state.editor.as_ref().is_some_and(|e| e.id == id);
        if self.opening.is_some() || (!open && self.store.pending() > 0) {
            return;
        }
        let Some(draft) = self.drafts.restoring.take() else {
            return;
        };
        if !open {
            // The open failed (the schema may be gone); the draft stays kept.
            self.state.info(
                StatusKind::Error,
                format!(
                    "The unsaved draft of \"{}\" cannot be restored: its schema does not open",
                    crate::printable::printable(&draft.type_name)
                ),
            );
            return;
        }
        if let Some(editor) = &mut self.state.editor {
            editor.parts = Parts {
                type_name: draft.type_name,
                schema_text: draft.schema_text,
                authenticators: draft.authenticators,
            };
            editor.message = draft.message;
        }
        self.record_edit(EditKind::Replace, ctx);
        // The restored draft is the one this session keeps from now on.
        self.drafts.kept = Some(id);
        self.state.info(
            StatusKind::Info,
            "Restored the unsaved draft; save it to make it a revision",
        );
    }

    /// The user's answer to the restore question.
    pub(super) fn drafts_answer(&mut self, answer: DraftAnswer, ctx: &egui::Context) {
        if self.drafts.offers.is_empty() {
            return;
        }
        let offer = self.drafts.offers.remove(0);
        match answer {
            DraftAnswer::Restore => {
                let id = offer.draft.schema_id;
                self.drafts.restoring = Some(offer.draft);
                if self.state.editor.as_ref().is_none_or(|e| e.id != id) {
                    self.run_command(Command::SelectSchema(id), ctx);
                }
                self.drafts_restore(ctx);
            }
            DraftAnswer::Discard => {
                self.drafts.send(Job::Drop(offer.draft.schema_id));
                self.state
                    .info(StatusKind::Info, "Discarded the unsaved draft");
            }
        }
    }

    /// The draft offered back at start-up, if any (tests read it; the UI shows it).
    pub fn draft_offer(&self) -> Option<&DraftOffer> {
        self.drafts.offer()
    }
}
