//! Who looks at the preview's user form, and how each field appears to them.

use crate::schema::permission::{Access, Permission};

/// Who looks at the user form in the preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Viewer {
    /// An administrator (the permission's `owner`).
    #[default]
    Administrator,
    /// The user themself (the permission's `self`).
    User,
}

impl Viewer {
    pub const ALL: [Viewer; 2] = [Viewer::Administrator, Viewer::User];

    pub fn label(self) -> &'static str {
        match self {
            Viewer::Administrator => "as administrator",
            Viewer::User => "as the user",
        }
    }

    /// What this viewer may do with a field of permission `p`.
    pub fn access(self, p: Permission) -> Access {
        match self {
            Viewer::Administrator => p.owner,
            Viewer::User => p.user,
        }
    }
}

/// How a field appears in the user form for one viewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormAccess {
    /// Not in the form at all.
    Absent,
    /// Shown, but cannot be changed.
    ReadOnly,
    /// Shown and editable.
    Editable,
}

/// A field's place in the form: hidden fields are absent, read-only fields disabled, and a
/// field the viewer may only write is shown (and editable) so it can be filled in.
pub fn form_access(viewer: Viewer, p: Permission) -> FormAccess {
    match viewer.access(p) {
        Access::Hidden => FormAccess::Absent,
        Access::Read => FormAccess::ReadOnly,
        Access::Write | Access::ReadWrite => FormAccess::Editable,
    }
}
