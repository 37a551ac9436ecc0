//! The import report: everything of the source that has no ZITADEL equivalent, or that was
//! converted with a difference worth knowing, listed attribute by attribute.

use std::fmt::Write as _;

use serde::Serialize;

use super::Format;
use crate::schema::AuthenticatorType;

/// What happened to one piece of the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Nothing in the ZITADEL schema holds it: it is dropped, and said so here.
    NotMapped,
    /// Converted, but not one to one: read the message.
    Adjusted,
    /// A choice the import made that the source does not state (check it).
    Note,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Outcome::NotMapped => "not mapped",
            Outcome::Adjusted => "adjusted",
            Outcome::Note => "note",
        }
    }
}

/// Which rule produced an entry (stable names for tests, JSON and the docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Topic {
    // Keycloak
    /// An attribute annotation (`inputType`, `inputHelperTextBefore`, …).
    Annotation,
    /// A group of the profile (`groups[]`).
    Group,
    /// An attribute's `group`.
    AttributeGroup,
    /// `required` with scopes: not required in ZITADEL.
    RequiredScopes,
    /// `required` for one role only: ZITADEL requires it for everybody.
    RequiredRoles,
    /// `selector {scopes}`: the attribute only exists for some scopes.
    Selector,
    /// `person-name-prohibited-characters`, `username-prohibited-characters`.
    ProhibitedCharacters,
    /// A validator with no equivalent keyword.
    UnknownValidator,
    /// A validator option with no equivalent (`error-message`, `trim-on-validate`, …).
    ValidatorOption,
    /// `unmanagedAttributePolicy`.
    UnmanagedAttributePolicy,
    /// Keycloak's built-in `username`, `email`, `firstName`, `lastName`.
    BuiltInAttribute,
    /// A `${message.key}` display name kept as the key.
    MessageKey,
    /// A pattern anchored (Keycloak matches the whole value).
    PatternAnchored,
    /// A pattern ZITADEL cannot compile (Java-only syntax): left out.
    PatternInvalid,
    /// A number validator: Keycloak keeps text, ZITADEL a JSON number.
    NumberFromText,
    /// An attribute without permissions: hidden from both.
    NoPermissions,
    /// A role other than `admin` and `user` in `permissions` or `required`.
    UnknownRole,
    /// The authenticators chosen for a source that does not name them.
    Authenticators,
    /// A member the import does not know.
    UnknownKey,
    // Ory
    /// A credential of `ory.sh/kratos` mapped to authenticators.
    Credential,
    /// A credential with no ZITADEL authenticator.
    UnknownCredential,
    /// `ory.sh/kratos.verification`.
    Verification,
    /// `ory.sh/kratos.recovery`.
    Recovery,
    /// Another `ory.sh/kratos` member.
    UnknownExtension,
    /// `$id`.
    Id,
    /// `$schema` (draft-07 becomes the ZITADEL meta-schema, 2020-12).
    SchemaDialect,
    /// `definitions` moved to `$defs`, references rewritten.
    Definitions,
    /// A draft-07 keyword rewritten for 2020-12 (`items` as an array, `dependencies`).
    KeywordConverted,
    /// A `$ref` that cannot be resolved inside the schema.
    Reference,
    /// A root property other than `traits`.
    OtherProperty,
    /// A `format` only Kratos knows (`tel`).
    KratosFormat,
    /// Kratos has no per-trait permissions.
    Permissions,
    /// The Kratos schema's title and description moved to the new root.
    Title,
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The Keycloak attribute's name or the Ory trait's path (`name.first`); empty for the
    /// document as a whole.
    pub subject: String,
    /// Where in the imported file, as a JSON pointer.
    pub source: String,
    /// Where in the ZITADEL schema the converted piece is, when something was written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    pub outcome: Outcome,
    pub topic: Topic,
    pub message: String,
}

/// The whole report of one import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub format: Format,
    /// Whether the format was detected rather than named with `--from`.
    pub detected: bool,
    pub entries: Vec<Entry>,
}

impl ImportReport {
    pub(crate) fn new(format: Format, detected: bool) -> Self {
        ImportReport {
            format,
            detected,
            entries: Vec::new(),
        }
    }

    pub(crate) fn push(
        &mut self,
        subject: &str,
        source: impl Into<String>,
        target: Option<String>,
        outcome: Outcome,
        topic: Topic,
        message: impl Into<String>,
    ) {
        self.entries.push(Entry {
            subject: subject.to_string(),
            source: source.into(),
            target,
            outcome,
            topic,
            message: message.into(),
        });
    }

    pub fn not_mapped(&self) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .filter(|e| e.outcome == Outcome::NotMapped)
    }

    /// The entries about one attribute or trait (`""` for the whole document).
    pub fn about<'a>(&'a self, subject: &'a str) -> impl Iterator<Item = &'a Entry> + 'a {
        self.entries.iter().filter(move |e| e.subject == subject)
    }

    /// Whether an entry of this topic exists for the subject.
    pub fn has(&self, subject: &str, topic: Topic) -> bool {
        self.about(subject).any(|e| e.topic == topic)
    }

    pub fn count(&self, outcome: Outcome) -> usize {
        self.entries.iter().filter(|e| e.outcome == outcome).count()
    }

    /// The report as text, grouped by subject in the order they first appear.
    pub fn to_text(&self, fields: usize, authenticators: &[AuthenticatorType]) -> String {
        let mut out = String::new();
        let auths = if authenticators.is_empty() {
            "none".to_string()
        } else {
            authenticators
                .iter()
                .map(|a| a.short_name())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            out,
            "{} → {fields} field(s); authenticators: {auths}; {} not mapped, {} adjusted, {} note(s)",
            self.format.label(),
            self.count(Outcome::NotMapped),
            self.count(Outcome::Adjusted),
            self.count(Outcome::Note),
        );
        let mut subjects: Vec<&str> = Vec::new();
        for e in &self.entries {
            if !subjects.contains(&e.subject.as_str()) {
                subjects.push(&e.subject);
            }
        }
        for subject in subjects {
            let heading = if subject.is_empty() {
                "(the whole document)"
            } else {
                subject
            };
            let _ = writeln!(out, "  {heading}:");
            for e in self.about(subject) {
                let _ = writeln!(
                    out,
                    "    {:<10} {}: {}",
                    e.outcome.label(),
                    if e.source.is_empty() { "/" } else { &e.source },
                    e.message
                );
            }
        }
        out
    }
}
