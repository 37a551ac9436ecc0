//! An app-level undo stack of draft snapshots, across the type, the JSON text and the
//! authenticators. Typing bursts in one field coalesce into one step.

use std::collections::BTreeSet;

use crate::schema::AuthenticatorType;

/// The three editable parts of a draft, as the editor holds them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Parts {
    pub type_name: String,
    pub schema_text: String,
    pub authenticators: BTreeSet<AuthenticatorType>,
}

impl Parts {
    fn weight(&self) -> usize {
        self.type_name.len() + self.schema_text.len() + 64
    }
}

/// What kind of edit happened; consecutive edits of a typing kind coalesce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditKind {
    Type,
    Json,
    Authenticator,
    Format,
    Replace,
}

impl EditKind {
    fn coalesces(self) -> bool {
        matches!(self, EditKind::Type | EditKind::Json)
    }
}

/// Seconds of pause that end a typing burst.
const BURST_GAP: f64 = 1.0;
const MAX_STEPS: usize = 200;
/// A budget for the memory the snapshots take (large schemas are 1–2 MiB each).
const MAX_BYTES: usize = 256 * 1024 * 1024;

#[derive(Debug, Default)]
pub struct UndoStack {
    undo: Vec<Parts>,
    redo: Vec<Parts>,
    burst: Option<(EditKind, f64)>,
}

impl UndoStack {
    /// Records that the draft changed from `before` by an edit of `kind` at time `now` (seconds).
    pub fn record(&mut self, before: Parts, kind: EditKind, now: f64) {
        let coalesce = matches!(self.burst, Some((k, t)) if k == kind && kind.coalesces() && now - t < BURST_GAP);
        if !coalesce {
            self.undo.push(before);
            self.trim();
        }
        self.redo.clear();
        self.burst = Some((kind, now));
    }

    /// Ends the current typing burst, so the next edit starts a new step.
    pub fn break_burst(&mut self) {
        self.burst = None;
    }

    pub fn undo(&mut self, current: Parts) -> Option<Parts> {
        let previous = self.undo.pop()?;
        self.redo.push(current);
        self.burst = None;
        Some(previous)
    }

    pub fn redo(&mut self, current: Parts) -> Option<Parts> {
        let next = self.redo.pop()?;
        self.undo.push(current);
        self.burst = None;
        Some(next)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn clear(&mut self) {
        *self = UndoStack::default();
    }

    fn trim(&mut self) {
        let mut bytes: usize = self.undo.iter().map(Parts::weight).sum();
        while self.undo.len() > 1 && (self.undo.len() > MAX_STEPS || bytes > MAX_BYTES) {
            bytes -= self.undo.remove(0).weight();
        }
    }
}

/// Where the caret belongs after an undo or redo turned `before` into `after`: the byte
/// offset in `after` just past the part that changed (so the next keystroke continues there,
/// not at the caret's old index inside other text). `None` when nothing changed.
pub fn caret_after(before: &str, after: &str) -> Option<usize> {
    if before == after {
        return None;
    }
    let prefix: usize = before
        .chars()
        .zip(after.chars())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    let suffix: usize = before[prefix..]
        .chars()
        .rev()
        .zip(after[prefix..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    Some(after.len() - suffix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(t: &str) -> Parts {
        Parts {
            type_name: t.into(),
            ..Parts::default()
        }
    }

    #[test]
    fn the_caret_goes_to_the_end_of_the_change() {
        // Undoing "    " typed before "required": the caret lands where the spaces were.
        let after = "{\"required\": []}";
        let before = "{\"    required\": []}";
        assert_eq!(caret_after(before, after), Some(2));
        // Redo: just past the re-inserted text.
        assert_eq!(caret_after(after, before), Some(6));
        assert_eq!(caret_after("é", "é"), None);
        assert_eq!(caret_after("aé", "aéé"), Some(5));
    }

    #[test]
    fn typing_bursts_coalesce_and_redo_works() {
        let mut u = UndoStack::default();
        u.record(parts(""), EditKind::Type, 0.0);
        u.record(parts("a"), EditKind::Type, 0.2);
        u.record(parts("ab"), EditKind::Type, 3.0);
        assert_eq!(u.undo(parts("abc")), Some(parts("ab")));
        assert_eq!(u.undo(parts("ab")), Some(parts("")));
        assert_eq!(u.undo(parts("")), None);
        assert_eq!(u.redo(parts("")), Some(parts("ab")));
        assert!(u.can_redo());
    }
}
