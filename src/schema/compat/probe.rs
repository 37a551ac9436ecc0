//! What the rules hand to [`super::counterexample`]: each change found, with where in a
//! user it is and what to try there.

use serde_json::Value;

use super::Change;

/// A change and how to look for a user it breaks.
pub(super) struct Found {
    pub change: Change,
    pub probe: Option<Probe>,
}

/// Where a change is in a user, and what to try there.
#[derive(Debug, Clone)]
pub(super) struct Probe {
    /// From the root to the location, each step with the old revision's schema there.
    pub path: Vec<Frame>,
    /// Values to try at the location first.
    pub candidates: Vec<Value>,
    /// The old revision's schemas at the location (a conjunction) to generate more from.
    pub schemas: Vec<Value>,
    /// Schemas each tried in turn together with `schemas` (the old and new branches of a
    /// `oneOf` that may overlap).
    pub alts: Vec<Value>,
    /// The example leaves the property at the location out (a newly required field).
    pub omit: bool,
    /// Stays "cannot tell" even when an example is found (a field declared where any
    /// value was allowed: usually harmless, samples decide).
    pub keep_class: bool,
}

#[derive(Debug, Clone)]
pub(super) struct Frame {
    pub step: Step,
    /// The old revision's schema of the child at this step.
    pub schema: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Step {
    Key(String),
    Item,
}
