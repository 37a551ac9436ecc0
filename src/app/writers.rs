//! Other writers of the same store (another window, the CLI, the sync worker): the editor
//! hears of their commits, moves a clean draft to the new latest revision, and never saves
//! a draft over a revision it has not seen. A save whose base is no longer the latest stops
//! in a dialog: see what changed (base, theirs, mine), merge field by field, save mine anyway
//! (saying what that reverts), or cancel. The same merge serves the server conflict.

use egui::Context;

use super::store_thread::{HistoryRow, Reply, Request};
use super::undo::Parts;
use super::{Controller, EditKind, Pending, StatusKind, remote::SyncCommand};
use crate::schema::UserSchemaDraft;
use crate::schema::merge::{DraftMerge, Pick, Picks, merge_drafts, reverted_by};
use crate::store::{Revision, SchemaId, SchemaSummary, Store, StoreError};

/// The most pointers a revision message lists before "and N more".
const MAX_NAMED: usize = 4;

/// Whether another connection committed since `seen` (which is updated). The first call
/// only records the version.
pub(super) fn changed_elsewhere(store: &Store, seen: &mut Option<i64>) -> bool {
    let Ok(now) = store.data_version() else {
        return false;
    };
    let changed = seen.is_some_and(|v| v != now);
    *seen = Some(now);
    changed
}

/// A save refused because `theirs` was saved after the draft's `base`.
#[derive(Debug, Clone)]
pub struct SaveConflict {
    pub id: SchemaId,
    /// The draft as the editor holds it.
    pub parts: Parts,
    pub message: String,
    pub mine: UserSchemaDraft,
    pub base: Revision,
    pub theirs: Revision,
}

/// Reads both revisions of a refused save (on the store thread).
pub(super) fn save_conflict(
    store: &Store,
    id: SchemaId,
    base: u32,
    parts: Parts,
    mine: UserSchemaDraft,
    message: &str,
) -> Reply {
    let read = || -> Result<(Revision, Revision), StoreError> {
        Ok((store.revision(id, base)?, store.latest_revision(id)?))
    };
    match read() {
        Ok((base, theirs)) => Reply::SaveConflict(Box::new(SaveConflict {
            id,
            parts,
            message: message.to_string(),
            mine,
            base,
            theirs,
        })),
        Err(e) => Reply::Failed {
            context: "saving".into(),
            error: super::failure::Failure::caused_by(e.message_at(store.path()), e),
        },
    }
}

/// What the merge dialog is for.
#[derive(Debug, Clone, PartialEq)]
pub enum MergeOrigin {
    /// A save of the open draft met a newer revision in the store.
    Save {
        id: SchemaId,
        /// The newer revision's number and message.
        theirs: u32,
        theirs_message: String,
        /// The message typed for the save.
        message: String,
    },
    /// A push met a server copy that moved; merging saves a local revision and pushes it.
    Server {
        schema: SchemaId,
        server: String,
        /// The local revision that was pushed.
        local_revision: u32,
    },
}

/// Which part of the dialog shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MergeMode {
    /// The choices (save conflicts only).
    #[default]
    Choose,
    /// The three columns: base, theirs, mine.
    Compare,
    /// The conflicts with their picks, and the merged result.
    Merge,
}

/// The merge dialog.
#[derive(Debug, Clone)]
pub struct MergeView {
    pub title: String,
    /// What happened, in one or two sentences.
    pub intro: String,
    /// Column headings: base, theirs, mine.
    pub labels: [String; 3],
    /// The three request bodies, pretty-printed: base, theirs, mine.
    pub texts: [String; 3],
    pub base: UserSchemaDraft,
    pub theirs: UserSchemaDraft,
    pub mine: UserSchemaDraft,
    pub picks: Picks,
    /// The merge with the current picks, or why it cannot form a draft.
    pub merged: Result<DraftMerge, String>,
    /// The merged request body, pretty-printed (empty when the merge failed).
    pub merged_text: String,
    /// What saving mine over theirs would revert (pointers into the request body).
    pub reverts: Vec<String>,
    pub mode: MergeMode,
    pub origin: MergeOrigin,
}

impl MergeView {
    pub fn new(
        title: String,
        intro: String,
        labels: [String; 3],
        drafts: [UserSchemaDraft; 3],
        origin: MergeOrigin,
    ) -> MergeView {
        let [base, theirs, mine] = drafts;
        let reverts = reverted_by(
            &base.request_body(),
            &theirs.request_body(),
            &mine.request_body(),
        );
        let mut view = MergeView {
            title,
            intro,
            labels,
            texts: [
                base.request_body_pretty(),
                theirs.request_body_pretty(),
                mine.request_body_pretty(),
            ],
            base,
            theirs,
            mine,
            picks: Picks::new(),
            merged: Err(String::new()),
            merged_text: String::new(),
            reverts,
            mode: MergeMode::Choose,
            origin,
        };
        view.remerge();
        view
    }

    fn save(conflict: &SaveConflict, type_name: &str) -> MergeView {
        let (b, t) = (&conflict.base, &conflict.theirs);
        let said = if t.message.is_empty() {
            String::new()
        } else {
            format!(": \"{}\"", t.message)
        };
        MergeView::new(
            "Saved elsewhere meanwhile".into(),
            format!(
                "Revision {} of \"{type_name}\" was saved at {} by another writer{said}. \
                 Your draft started from revision {}; nothing has been saved yet.",
                t.number, t.created_at, b.number
            ),
            [
                format!("Base: revision {}", b.number),
                format!("Theirs: revision {}", t.number),
                "Mine: your draft".into(),
            ],
            [b.draft.clone(), t.draft.clone(), conflict.mine.clone()],
            MergeOrigin::Save {
                id: conflict.id,
                theirs: t.number,
                theirs_message: t.message.clone(),
                message: conflict.message.clone(),
            },
        )
    }

    /// Merges again with the current picks.
    pub fn remerge(&mut self) {
        self.merged = merge_drafts(&self.base, &self.theirs, &self.mine, &self.picks)
            .map_err(|e| e.to_string());
        self.merged_text = match &self.merged {
            Ok(m) => m.draft.request_body_pretty(),
            Err(_) => String::new(),
        };
    }

    /// The merged draft, when it formed.
    pub fn merged_draft(&self) -> Option<&UserSchemaDraft> {
        self.merged.as_ref().ok().map(|m| &m.draft)
    }

    /// The message of a revision that saves mine over theirs: what it reverts.
    pub fn revert_message(&self, message: &str, theirs: u32, theirs_message: &str) -> String {
        let lead = if message.trim().is_empty() {
            format!("Saved over revision {theirs}")
        } else {
            message.trim().to_string()
        };
        if self.reverts.is_empty() {
            return lead;
        }
        let said = if theirs_message.is_empty() {
            String::new()
        } else {
            format!(" (\"{theirs_message}\")")
        };
        let mut named = self
            .reverts
            .iter()
            .take(MAX_NAMED)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if self.reverts.len() > MAX_NAMED {
            named.push_str(&format!(" and {} more", self.reverts.len() - MAX_NAMED));
        }
        format!("{lead}; reverts revision {theirs}{said} at {named}")
    }
}

/// What the merge dialog asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum MergeCommand {
    Show(MergeMode),
    Pick(String, Pick),
    /// Saves the merged result (a save conflict), or saves it and pushes it (a server one).
    SaveMerged,
    /// Puts the merged result in the editor, unsaved, on top of the newer revision.
    EditMerged,
    /// Saves the draft as it is as a new revision on top of the newer one.
    SaveMineAnyway,
    /// Closes the dialog; the draft stays as it is, unsaved.
    Cancel,
}

fn parts_of(draft: &UserSchemaDraft) -> Parts {
    Parts {
        type_name: draft.type_name.clone(),
        schema_text: draft.schema_pretty(),
        authenticators: draft.possible_authenticators.clone(),
    }
}

impl Controller {
    /// Another connection committed: take the new list, and read the open schema again.
    pub(super) fn on_store_changed(&mut self, schemas: Vec<SchemaSummary>) {
        self.state.schemas = schemas;
        // A schema deleted (or archived out of the list) elsewhere stays open as it is.
        if let Some(editor) = &self.state.editor
            && self.state.schemas.iter().any(|s| s.id == editor.id)
        {
            self.store.send(Request::Refresh(editor.id));
        }
    }

    /// The open schema as the store holds it now. A clean draft moves to a newer latest
    /// revision; a draft with changes keeps them (its save will offer the merge).
    pub(super) fn on_refreshed(
        &mut self,
        summary: SchemaSummary,
        mut revision: Revision,
        text: String,
        history: Vec<HistoryRow>,
        ctx: &Context,
    ) {
        let Some((saved_revision, dirty, message)) = self
            .state
            .editor
            .as_ref()
            .filter(|e| e.id == summary.id)
            .map(|e| (e.saved_revision, e.dirty, e.message.clone()))
        else {
            return;
        };
        let newest_before = self.state.history.first().map(|h| h.summary.number);
        self.state.history = history;
        if newest_before != Some(revision.number) {
            self.state.compare_latest_two();
        }
        if revision.number == saved_revision {
            return;
        }
        let said = if revision.message.is_empty() {
            String::new()
        } else {
            format!(": \"{}\"", revision.message)
        };
        if dirty {
            // Said once per new revision, not at every later commit (pushes, samples).
            if newest_before == Some(revision.number) {
                return;
            }
            let base = saved_revision;
            self.state.info(
                StatusKind::Info,
                format!(
                    "Revision {} of \"{}\" was saved elsewhere{said}. Your draft started from revision {base}: saving will show what changed and offer a merge",
                    revision.number, revision.draft.type_name
                ),
            );
            return;
        }
        let parsed = std::mem::take(&mut revision.draft.schema);
        self.open_editor(&summary, &revision, text, Some(parsed), ctx);
        if let Some(editor) = &mut self.state.editor {
            editor.message = message;
        }
        self.state.info(
            StatusKind::Info,
            format!(
                "\"{}\" moved to revision {}, saved elsewhere{said}",
                revision.draft.type_name, revision.number
            ),
        );
    }

    /// A save met a newer revision: open the dialog.
    pub(super) fn on_save_conflict(&mut self, conflict: SaveConflict) {
        // A switch that waited for this save waits for the conflict instead.
        self.after_conflict = self.after_save.take();
        let open = self
            .state
            .editor
            .as_ref()
            .is_some_and(|e| e.id == conflict.id);
        if !open {
            self.after_conflict = None;
            return;
        }
        let type_name = conflict.theirs.draft.type_name.clone();
        self.state.info(
            StatusKind::Info,
            format!(
                "Not saved yet: revision {} was saved elsewhere after your draft's revision {}",
                conflict.theirs.number, conflict.base.number
            ),
        );
        self.state.merge = Some(MergeView::save(&conflict, &type_name));
    }

    /// What was not done because a save did not happen, for the status line.
    fn not_done(&self, pending: &Pending) -> String {
        match pending {
            Pending::Select(id) => format!("\"{}\" was not opened", self.state.type_of(*id)),
            Pending::New => "no new schema was made".into(),
            Pending::Restore(n) => format!("revision {n} was not restored"),
            Pending::Close => "the window stays open".into(),
        }
    }

    pub(super) fn run_merge(&mut self, command: MergeCommand, ctx: &Context) {
        let Some(view) = &mut self.state.merge else {
            return;
        };
        match command {
            MergeCommand::Show(mode) => view.mode = mode,
            MergeCommand::Pick(pointer, pick) => {
                view.picks.insert(pointer, pick);
                view.remerge();
            }
            MergeCommand::Cancel => {
                let saving = matches!(view.origin, MergeOrigin::Save { .. });
                self.state.merge = None;
                let not_done = self.after_conflict.take().map(|p| self.not_done(&p));
                if saving {
                    let mut text =
                        "Not saved: your draft is kept as it is, with its changes".to_string();
                    if let Some(not_done) = not_done {
                        text.push_str("; ");
                        text.push_str(&not_done);
                    }
                    self.state.info(StatusKind::Info, text);
                }
            }
            MergeCommand::SaveMineAnyway => {
                let MergeOrigin::Save {
                    id,
                    theirs,
                    theirs_message,
                    message,
                } = view.origin.clone()
                else {
                    return;
                };
                let message = view.revert_message(&message, theirs, &theirs_message);
                self.state.merge = None;
                let Some(editor) = &self.state.editor else {
                    return;
                };
                if editor.id != id {
                    return;
                }
                if self.store.send(Request::Save {
                    id,
                    parts: editor.parts.clone(),
                    message,
                    base: theirs,
                    metas: self.state.workspace.metas_of(id),
                }) {
                    self.after_save = self.after_conflict.take();
                }
            }
            MergeCommand::EditMerged | MergeCommand::SaveMerged => {
                let Some(merged) = view.merged_draft().cloned() else {
                    return;
                };
                match view.origin.clone() {
                    MergeOrigin::Save {
                        id,
                        theirs,
                        theirs_message: _,
                        message,
                    } => {
                        let theirs_parts = parts_of(&view.theirs);
                        self.state.merge = None;
                        let Some(editor) = &mut self.state.editor else {
                            return;
                        };
                        if editor.id != id {
                            return;
                        }
                        // The draft now starts from the newer revision; mine stays one undo away.
                        editor.parts = parts_of(&merged);
                        editor.set_saved(theirs_parts);
                        editor.saved_revision = theirs;
                        if message.trim().is_empty() {
                            editor.message = format!("Merged with revision {theirs}");
                        }
                        self.record_edit(EditKind::Replace, ctx);
                        if command == MergeCommand::SaveMerged {
                            let pending = self.after_conflict.take();
                            if self.send_save() {
                                self.undo.break_burst();
                                self.after_save = pending;
                            }
                        } else {
                            // Editing the merge further: what waited is not done.
                            self.after_conflict = None;
                            self.state.info(
                                StatusKind::Info,
                                format!(
                                    "The merge is in the editor, unsaved, on top of revision {theirs}"
                                ),
                            );
                        }
                    }
                    MergeOrigin::Server { .. } => {
                        if command == MergeCommand::SaveMerged {
                            self.state.merge = None;
                            self.run_sync(SyncCommand::SaveMerged(Box::new(merged)), ctx);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn view(theirs_fields: &[&str]) -> MergeView {
        let base = UserSchemaDraft::new("e", json!({"properties": {}}), []);
        let mut theirs = base.clone();
        for f in theirs_fields {
            theirs.schema["properties"][*f] = json!({"type": "string"});
        }
        let mut mine = base.clone();
        mine.schema["title"] = json!("mine");
        MergeView::new(
            String::new(),
            String::new(),
            Default::default(),
            [base, theirs, mine],
            MergeOrigin::Save {
                id: SchemaId(1),
                theirs: 2,
                theirs_message: "from the CLI".into(),
                message: String::new(),
            },
        )
    }

    #[test]
    fn the_revert_message_names_what_it_drops() {
        let v = view(&["fromCli"]);
        assert_eq!(
            v.revert_message("", 2, "from the CLI"),
            "Saved over revision 2; reverts revision 2 (\"from the CLI\") at /schema/properties/fromCli"
        );
        let v = view(&["a", "b", "c", "d", "e", "f"]);
        let m = v.revert_message("mine", 2, "");
        assert!(m.starts_with("mine; reverts revision 2 at "), "{m}");
        assert!(m.ends_with(" and 2 more"), "{m}");
        assert_eq!(view(&[]).revert_message("  x ", 2, ""), "x");
    }
}
