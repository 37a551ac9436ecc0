//! A compatibility report ready to draw: between two drafts, with the saved samples checked.

use super::*;

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
    pub(super) fn build(
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
