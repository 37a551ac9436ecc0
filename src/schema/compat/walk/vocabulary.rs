//! Which keywords there are, and which of them never change what is valid.

use serde_json::Value;

/// Keywords that never change which data is valid.
pub(super) const TEXT_KEYWORDS: &[&str] = &[
    "title",
    "description",
    "examples",
    "default",
    "$comment",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// The reference keywords.
pub(super) const REFS: &[&str] = &["$ref", "$dynamicRef", "$recursiveRef"];

/// Every keyword of the 2020-12 vocabularies; a keyword outside them is an annotation
/// that validators ignore.
pub(super) const VOCABULARY: &[&str] = &[
    "$id",
    "$schema",
    "$ref",
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "$vocabulary",
    "$comment",
    "$defs",
    "definitions",
    "$recursiveRef",
    "$recursiveAnchor",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "prefixItems",
    "items",
    "contains",
    "properties",
    "patternProperties",
    "additionalProperties",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "type",
    "const",
    "enum",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxContains",
    "minContains",
    "maxProperties",
    "minProperties",
    "required",
    "dependentRequired",
    "dependencies",
    "additionalItems",
    "format",
    "contentEncoding",
    "contentMediaType",
    "contentSchema",
    "title",
    "description",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "examples",
];

/// Meta-schema ids that describe the same vocabulary (schemadesk's and the server's).
pub(super) const SAME_DIALECT: &[&str] = &[
    "urn:zitadel:schema:v1",
    "https://json-schema.org/draft/2020-12/schema",
];

/// Whether a schema accepts every value (absent, `true`, or only annotations).
pub(super) fn is_open(v: &Value) -> bool {
    is_trivial(v)
}

pub(super) fn is_trivial(v: &Value) -> bool {
    match v {
        Value::Bool(true) => true,
        Value::Object(m) => m.keys().all(|k| {
            let k = k.as_str();
            TEXT_KEYWORDS.contains(&k) || !VOCABULARY.contains(&k)
        }),
        _ => false,
    }
}
