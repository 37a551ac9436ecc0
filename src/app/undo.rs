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
/// A budget for the memory the steps take (see [`Change`]: small edits cost little).
const MAX_BYTES: usize = 256 * 1024 * 1024;

/// A step below the top of a stack: its schema text as the change from the step above it
/// (the text the two share at the start and at the end is not kept twice), so typing in a
/// 1.5 MiB schema costs each step about what was typed, not another copy of the schema.
#[derive(Debug)]
struct Change {
    type_name: String,
    authenticators: BTreeSet<AuthenticatorType>,
    /// Bytes at the start of the text shared with the step above.
    prefix: usize,
    /// Bytes at the end of the text shared with the step above.
    suffix: usize,
    /// The text between them.
    middle: String,
}

impl Change {
    /// `parts` as the change from `above` (the text of the step that goes on top of it).
    fn from(parts: Parts, above: &str) -> Change {
        let text = parts.schema_text.as_str();
        let (prefix, suffix) = shared_ends(text, above);
        Change {
            middle: text[prefix..text.len() - suffix].to_owned(),
            type_name: parts.type_name,
            authenticators: parts.authenticators,
            prefix,
            suffix,
        }
    }

    /// The whole parts again, given the text of the step above.
    fn apply(self, above: &str) -> Parts {
        let mut schema_text = String::with_capacity(self.prefix + self.middle.len() + self.suffix);
        schema_text.push_str(&above[..self.prefix]);
        schema_text.push_str(&self.middle);
        schema_text.push_str(&above[above.len() - self.suffix..]);
        Parts {
            type_name: self.type_name,
            schema_text,
            authenticators: self.authenticators,
        }
    }

    fn weight(&self) -> usize {
        STEP_OVERHEAD + self.type_name.len() + self.middle.len()
    }
}

/// What a step costs besides its text, for the budget.
const STEP_OVERHEAD: usize = 64;

fn weight(parts: &Parts) -> usize {
    STEP_OVERHEAD + parts.type_name.len() + parts.schema_text.len()
}

/// The bytes `a` and `b` share at the start and at the end (not overlapping, on character
/// boundaries of both). Compared a block at a time first: a large text is scanned at
/// every recorded step.
fn shared_ends(a: &str, b: &str) -> (usize, usize) {
    const BLOCK: usize = 4096;
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let shorter = x.len().min(y.len());
    let mut prefix = 0;
    while prefix + BLOCK <= shorter && x[prefix..prefix + BLOCK] == y[prefix..prefix + BLOCK] {
        prefix += BLOCK;
    }
    while prefix < shorter && x[prefix] == y[prefix] {
        prefix += 1;
    }
    while !a.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let room = shorter - prefix;
    let (xe, ye) = (x.len(), y.len());
    let mut suffix = 0;
    while suffix + BLOCK <= room
        && x[xe - suffix - BLOCK..xe - suffix] == y[ye - suffix - BLOCK..ye - suffix]
    {
        suffix += BLOCK;
    }
    while suffix < room && x[xe - suffix - 1] == y[ye - suffix - 1] {
        suffix += 1;
    }
    while !a.is_char_boundary(xe - suffix) {
        suffix -= 1;
    }
    (prefix, suffix)
}

/// An undo or redo stack: the top step whole, the others changes from the step above.
#[derive(Debug, Default)]
struct Steps {
    top: Option<Parts>,
    /// Oldest first; the last is the change from `top`.
    below: Vec<Change>,
}

impl Steps {
    fn push(&mut self, parts: Parts) {
        if let Some(previous) = self.top.take() {
            self.below.push(Change::from(previous, &parts.schema_text));
        }
        self.top = Some(parts);
    }

    fn pop(&mut self) -> Option<Parts> {
        let top = self.top.take()?;
        self.top = self.below.pop().map(|c| c.apply(&top.schema_text));
        Some(top)
    }

    fn is_empty(&self) -> bool {
        self.top.is_none()
    }

    fn len(&self) -> usize {
        usize::from(self.top.is_some()) + self.below.len()
    }

    fn weight(&self) -> usize {
        self.top.as_ref().map_or(0, weight) + self.below.iter().map(Change::weight).sum::<usize>()
    }

    /// Drops the oldest step below the top (nothing depends on it); its weight.
    fn drop_oldest(&mut self) -> usize {
        if self.below.is_empty() {
            0
        } else {
            self.below.remove(0).weight()
        }
    }

    /// The text bytes held.
    fn text_bytes(&self) -> usize {
        self.weight() - STEP_OVERHEAD * self.len()
    }
}

#[derive(Debug, Default)]
pub struct UndoStack {
    undo: Steps,
    redo: Steps,
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
        self.redo = Steps::default();
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

    /// The bytes of text the steps hold (types and schema texts), undo and redo together.
    pub fn held_bytes(&self) -> usize {
        self.undo.text_bytes() + self.redo.text_bytes()
    }

    fn trim(&mut self) {
        let mut bytes = self.undo.weight();
        while self.undo.len() > 1 && (self.undo.len() > MAX_STEPS || bytes > MAX_BYTES) {
            bytes -= self.undo.drop_oldest();
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
    use proptest::prelude::*;

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

    fn text(t: &str) -> Parts {
        Parts {
            type_name: "person".into(),
            schema_text: t.into(),
            ..Parts::default()
        }
    }

    /// A large schema edited a character at a time, each edit its own step: the steps hold
    /// the changes, not a copy of the whole text each (issue 14, memory), and every step
    /// still comes back.
    #[test]
    fn small_steps_of_a_large_text_hold_the_changes_not_copies() {
        let mut current = "{\"a\": \"é\"}\n".repeat(64 * 1024);
        let mut history = vec![current.clone()];
        let mut u = UndoStack::default();
        for i in 0..40 {
            let before = text(&current);
            let mut at = i * 7919 % current.len();
            while !current.is_char_boundary(at) {
                at -= 1;
            }
            current.insert_str(at, "é ");
            u.record(before, EditKind::Replace, i as f64);
            history.push(current.clone());
        }
        let held = u.held_bytes();
        assert!(
            held < 2 * current.len(),
            "40 steps of {} bytes hold {held} bytes",
            current.len()
        );
        for expected in history.iter().rev().skip(1) {
            let restored = u.undo(text(&current)).expect("a step back");
            assert_eq!(&restored.schema_text, expected);
            current = restored.schema_text;
        }
        assert_eq!(u.undo(text(&current)), None);
        for expected in history.iter().skip(1) {
            let restored = u.redo(text(&current)).expect("a step forward");
            assert_eq!(&restored.schema_text, expected);
            current = restored.schema_text;
        }
        assert!(u.held_bytes() < 2 * current.len());
    }

    /// The stack as it was before steps were kept as changes: whole snapshots.
    #[derive(Default)]
    struct Snapshots {
        undo: Vec<Parts>,
        redo: Vec<Parts>,
        burst: Option<(EditKind, f64)>,
    }

    impl Snapshots {
        fn record(&mut self, before: Parts, kind: EditKind, now: f64) {
            let coalesce = matches!(self.burst, Some((k, t)) if k == kind && kind.coalesces() && now - t < BURST_GAP);
            if !coalesce {
                self.undo.push(before);
                while self.undo.len() > MAX_STEPS {
                    self.undo.remove(0);
                }
            }
            self.redo.clear();
            self.burst = Some((kind, now));
        }

        fn undo(&mut self, current: Parts) -> Option<Parts> {
            let previous = self.undo.pop()?;
            self.redo.push(current);
            self.burst = None;
            Some(previous)
        }

        fn redo(&mut self, current: Parts) -> Option<Parts> {
            let next = self.redo.pop()?;
            self.undo.push(current);
            self.burst = None;
            Some(next)
        }
    }

    // é, è, ũ and © share first or last bytes in UTF-8: the shared ends must stop at
    // character boundaries.
    #[derive(Debug, Clone)]
    enum Op {
        /// Replace `len` characters at `at` (both taken modulo the text) with `with`.
        Edit {
            kind: EditKind,
            at: usize,
            len: usize,
            with: String,
            pause: f64,
        },
        Rename(String),
        Undo,
        Redo,
        Break,
    }

    fn op() -> impl Strategy<Value = Op> {
        let kind = prop_oneof![
            Just(EditKind::Json),
            Just(EditKind::Type),
            Just(EditKind::Format),
            Just(EditKind::Replace),
        ];
        prop_oneof![
            6 => (kind, 0..64usize, 0..4usize, "[aé\\n{}\"]{0,3}", 0.0..2.0f64).prop_map(
                |(kind, at, len, with, pause)| Op::Edit { kind, at, len, with, pause }
            ),
            1 => "[a-c]{0,2}".prop_map(Op::Rename),
            2 => Just(Op::Undo),
            2 => Just(Op::Redo),
            1 => Just(Op::Break),
        ]
    }

    fn edit(text: &str, at: usize, len: usize, with: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        let at = at % (chars.len() + 1);
        let end = (at + len).min(chars.len());
        let mut out: String = chars[..at].iter().collect();
        out.push_str(with);
        out.extend(&chars[end..]);
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(
            std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(64)
        ))]

        /// Any sequence of edits, undos and redos gives back exactly what whole snapshots did.
        #[test]
        fn steps_kept_as_changes_undo_like_whole_snapshots(
            start in "[aéèũ©{}]{0,12}",
            ops in proptest::collection::vec(op(), 0..600),
        ) {
            let mut current = text(&start);
            let (mut ours, mut model) = (UndoStack::default(), Snapshots::default());
            let mut now = 0.0;
            for op in ops {
                match op {
                    Op::Edit { kind, at, len, with, pause } => {
                        now += pause;
                        let before = current.clone();
                        current.schema_text = edit(&current.schema_text, at, len, &with);
                        ours.record(before.clone(), kind, now);
                        model.record(before, kind, now);
                    }
                    Op::Rename(name) => {
                        let before = current.clone();
                        current.type_name = name;
                        ours.record(before.clone(), EditKind::Type, now);
                        model.record(before, EditKind::Type, now);
                    }
                    Op::Undo | Op::Redo => {
                        let undo = matches!(op, Op::Undo);
                        let (a, b) = if undo {
                            (ours.undo(current.clone()), model.undo(current.clone()))
                        } else {
                            (ours.redo(current.clone()), model.redo(current.clone()))
                        };
                        prop_assert_eq!(&a, &b);
                        if let Some(p) = a {
                            current = p;
                        }
                    }
                    Op::Break => {
                        ours.break_burst();
                        model.burst = None;
                    }
                }
                prop_assert_eq!(ours.can_undo(), !model.undo.is_empty());
                prop_assert_eq!(ours.can_redo(), !model.redo.is_empty());
            }
            // Everything left comes back the same, both ways.
            while let Some(p) = model.undo(current.clone()) {
                prop_assert_eq!(ours.undo(current.clone()), Some(p.clone()));
                current = p;
            }
            prop_assert_eq!(ours.undo(current.clone()), None);
            while let Some(p) = model.redo(current.clone()) {
                prop_assert_eq!(ours.redo(current.clone()), Some(p.clone()));
                current = p;
            }
            prop_assert_eq!(ours.redo(current), None);
        }
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
