//! The visual designer's model: a tree of fields read from a schema's `properties`, and
//! operations (add, rename, reorder, nest, remove, set an attribute) applied directly to the
//! schema's [`Value`](serde_json::Value).
//!
//! The JSON stays the single source of truth: every operation edits only the keywords it is
//! about, so keywords the designer does not understand are kept untouched and in place (the
//! crate builds serde_json with `preserve_order`), and a field whose subschema holds such
//! keywords reports [`Field::has_extra_keywords`]. Reading the tree again after an operation
//! gives the designer's new state; reading it from the same JSON always gives the same tree.
//!
//! Fields are addressed by their path of names from the root: `["address", "city"]`. The
//! children of an array field are the properties of its `items`.

mod edit;
mod input;
mod sample;
mod tree;
mod viewer;

pub use edit::*;
pub use input::*;
pub use sample::*;
pub use tree::*;
pub use viewer::*;

/// What can go wrong with a designer operation. The schema is left unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error("the schema must be a JSON object")]
    NotAnObject,
    #[error(
        "invalid JSON at line {line}, column {column}: {message}; the fields were left as they were"
    )]
    InvalidJson {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("there is no field \"{0}\"")]
    NoSuchField(String),
    /// The path (dot-joined; empty for the root) of what cannot hold fields.
    #[error("{} cannot hold fields: only objects and arrays of objects can", where_(.0))]
    NotAContainer(String),
    #[error("a field named \"{name}\" already exists in {parent}")]
    Duplicate { name: String, parent: String },
    #[error("a field needs a name")]
    EmptyName,
    #[error("a field cannot be moved into itself or into one of its own fields")]
    IntoItself,
    #[error("position {index} is out of range: there are {len} fields")]
    OutOfRange { index: usize, len: usize },
    #[error(
        "\"{keyword}\" of the field \"{field}\" is not in a form the designer can edit; change it in the JSON"
    )]
    NotEditable { field: String, keyword: String },
    #[error(
        "on the schema's root each party may have exactly one letter (\"r\" or \"w\"), or the root has no permission at all: read and write together cannot be expressed there"
    )]
    RootPermission,
}

fn where_(path: &str) -> String {
    if path.is_empty() {
        "the schema's root".into()
    } else {
        format!("the field \"{path}\"")
    }
}

/// The field types the designer offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldType {
    String,
    Number,
    Integer,
    Boolean,
    Object,
    Array,
}

impl FieldType {
    pub const ALL: [FieldType; 6] = [
        FieldType::String,
        FieldType::Number,
        FieldType::Integer,
        FieldType::Boolean,
        FieldType::Object,
        FieldType::Array,
    ];

    /// The JSON Schema name.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Number => "number",
            FieldType::Integer => "integer",
            FieldType::Boolean => "boolean",
            FieldType::Object => "object",
            FieldType::Array => "array",
        }
    }

    pub fn parse(name: &str) -> Option<FieldType> {
        FieldType::ALL.into_iter().find(|t| t.as_str() == name)
    }

    /// A label for the designer.
    pub fn label(self) -> &'static str {
        match self {
            FieldType::String => "Text",
            FieldType::Number => "Number",
            FieldType::Integer => "Whole number",
            FieldType::Boolean => "Yes/no",
            FieldType::Object => "Group of fields",
            FieldType::Array => "List",
        }
    }
}

/// Formats the designer suggests (any string may be set).
pub const COMMON_FORMATS: &[&str] = &[
    "email",
    "uri",
    "date",
    "date-time",
    "time",
    "hostname",
    "ipv4",
    "ipv6",
    "uuid",
    "idn-email",
];

#[cfg(test)]
mod tests;
