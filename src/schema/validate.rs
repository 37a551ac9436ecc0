//! The one validation engine: the editor's live errors, `schemadesk validate`, the import
//! check and the check before a push all call [`validate`] and print the same messages.

use std::collections::{BTreeSet, HashSet};
use std::fmt;
use std::sync::OnceLock;

use jsonschema::{Draft, Registry, Resource, Validator};
use serde::Serialize;
use serde_json::{Value, json};

use super::authenticator::AuthenticatorType;
use super::draft::{SourceKind, UserSchemaDraft, ZITADEL_META_SCHEMA};
use super::permission::{PERMISSION_KEYWORD, check_permissions};
use super::position::{Pos, PositionIndex};
use super::type_name::TypeName;

/// Which rule a diagnostic comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// The text is not JSON.
    Syntax,
    /// The schema (or the request body) is not a JSON object.
    NotObject,
    /// JSON Schema draft 2020-12's meta-schema refuses the schema.
    MetaSchema,
    /// The schema passes the meta-schema but cannot be compiled (a bad regex, an unresolvable `$ref`).
    Compile,
    /// A misuse of `urn:zitadel:schema:permission`.
    Permission,
    /// The `type` is missing, empty or too long.
    Type,
    /// An authenticator is unknown, UNSPECIFIED or listed twice.
    Authenticator,
    /// A request body has a member of the wrong shape.
    Body,
    /// Sample user data does not satisfy the schema.
    Instance,
    /// A rule of ZITADEL nextgen's user-schema dialect that no meta-schema states.
    Dialect,
}

/// One problem, located by JSON pointer and by line:column in the source text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub pointer: String,
    pub line: usize,
    pub column: usize,
    pub rule: Rule,
    pub message: String,
}

impl Diagnostic {
    pub(crate) fn at(
        pos: Pos,
        pointer: impl Into<String>,
        rule: Rule,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            pointer: pointer.into(),
            line: pos.line,
            column: pos.column,
            rule,
            message: message.into(),
        }
    }

    /// The pointer as printed: the root is shown as `/` rather than an empty string.
    pub fn pointer_display(&self) -> &str {
        if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.line,
            self.column,
            self.pointer_display(),
            self.message
        )
    }
}

/// What to validate.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// A file's text: a bare JSON Schema or a full request body `{type, schema, possibleAuthenticators}`.
    File(&'a str),
    /// The editor's three parts: the type, the schema text and the ticked authenticators.
    Parts {
        type_name: &'a str,
        schema_text: &'a str,
        authenticators: &'a BTreeSet<AuthenticatorType>,
    },
}

/// The outcome of [`validate`]: every problem found, and what could be read.
#[derive(Debug, Clone, Default)]
pub struct Validation {
    pub diagnostics: Vec<Diagnostic>,
    /// Present when the text was JSON of the right shape (even if the schema has errors).
    pub parsed: Option<Parsed>,
}

/// The parts read from a source.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub kind: SourceKind,
    pub type_name: Option<String>,
    pub schema: Value,
    pub authenticators: BTreeSet<AuthenticatorType>,
}

impl Validation {
    pub fn is_valid(&self) -> bool {
        self.diagnostics.is_empty()
    }

    /// The draft, when everything is valid and a type is known (from the source or `fallback_type`).
    pub fn into_draft(self, fallback_type: Option<&str>) -> Option<UserSchemaDraft> {
        if !self.diagnostics.is_empty() {
            return None;
        }
        let parsed = self.parsed?;
        let type_name = parsed
            .type_name
            .or_else(|| fallback_type.map(str::to_string))?;
        TypeName::parse(&type_name).ok()?;
        Some(UserSchemaDraft {
            type_name,
            schema: parsed.schema,
            possible_authenticators: parsed.authenticators,
        })
    }
}

/// Validates a source and reports every problem at once, sorted by position.
pub fn validate(source: Source<'_>) -> Validation {
    let mut out = Vec::new();
    let parsed = match source {
        Source::File(text) => validate_file(text, &mut out),
        Source::Parts {
            type_name,
            schema_text,
            authenticators,
        } => {
            check_type(type_name, &mut out);
            parse_json(schema_text, &mut out).and_then(|value| {
                check_schema(&value, "", &mut out);
                value.is_object().then(|| Parsed {
                    kind: SourceKind::BareSchema,
                    type_name: Some(type_name.to_string()),
                    schema: value,
                    authenticators: authenticators.clone(),
                })
            })
        }
    };
    let text = match source {
        Source::File(text) => text,
        Source::Parts { schema_text, .. } => schema_text,
    };
    resolve_positions(text, &mut out);
    out.sort_by_key(|d| (d.line, d.column));
    Validation {
        diagnostics: out,
        parsed,
    }
}

/// The diagnostics [`validate`] gives for [`Source::Parts`], for a caller that has parsed the
/// text already: `schema` must be what `schema_text` parses to (the text is still needed for
/// the positions). A large schema's value is several times its text, so it is parsed once
/// (by the store thread that read it) rather than again here.
pub fn validate_parsed_parts(
    type_name: &str,
    schema_text: &str,
    schema: &Value,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    check_type(type_name, &mut out);
    check_schema(schema, "", &mut out);
    resolve_positions(schema_text, &mut out);
    out.sort_by_key(|d| (d.line, d.column));
    out
}

fn check_type(type_name: &str, out: &mut Vec<Diagnostic>) {
    if let Err(e) = TypeName::parse(type_name) {
        out.push(Diagnostic::at(
            Pos::START,
            "/type",
            Rule::Type,
            e.to_string(),
        ));
    }
}

fn validate_file(text: &str, out: &mut Vec<Diagnostic>) -> Option<Parsed> {
    let value = parse_json(text, out)?;
    match SourceKind::detect(&value) {
        SourceKind::BareSchema => {
            check_schema(&value, "", out);
            value.is_object().then(|| Parsed {
                kind: SourceKind::BareSchema,
                type_name: None,
                schema: value,
                authenticators: BTreeSet::new(),
            })
        }
        SourceKind::RequestBody => {
            let Value::Object(mut body) = value else {
                return None;
            };
            let type_name = match body.get("type") {
                Some(Value::String(t)) => {
                    if let Err(e) = TypeName::parse(t) {
                        out.push(Diagnostic::at(
                            Pos::UNRESOLVED,
                            "/type",
                            Rule::Type,
                            e.to_string(),
                        ));
                    }
                    Some(t.clone())
                }
                Some(other) => {
                    out.push(Diagnostic::at(
                        Pos::UNRESOLVED,
                        "/type",
                        Rule::Type,
                        format!("the type must be a string, not {other}"),
                    ));
                    None
                }
                None => {
                    out.push(Diagnostic::at(
                        Pos::START,
                        "",
                        Rule::Type,
                        "the request body has no \"type\"; it is required on create",
                    ));
                    None
                }
            };
            let authenticators = match body.get("possibleAuthenticators") {
                None => BTreeSet::new(),
                Some(list) => check_authenticators(list, out),
            };
            let schema = body.shift_remove("schema").unwrap_or(Value::Null);
            check_schema(&schema, "/schema", out);
            schema.is_object().then_some(Parsed {
                kind: SourceKind::RequestBody,
                type_name,
                schema,
                authenticators,
            })
        }
    }
}

fn check_authenticators(list: &Value, out: &mut Vec<Diagnostic>) -> BTreeSet<AuthenticatorType> {
    let mut set = BTreeSet::new();
    let Value::Array(items) = list else {
        out.push(Diagnostic::at(
            Pos::UNRESOLVED,
            "/possibleAuthenticators",
            Rule::Body,
            "possibleAuthenticators must be an array of authenticator types",
        ));
        return set;
    };
    for (i, item) in items.iter().enumerate() {
        let pointer = format!("/possibleAuthenticators/{i}");
        let text = match item {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            other => {
                out.push(Diagnostic::at(
                    Pos::UNRESOLVED,
                    pointer,
                    Rule::Authenticator,
                    format!("an authenticator type must be a string, not {other}"),
                ));
                continue;
            }
        };
        match AuthenticatorType::parse(&text) {
            Ok(a) => {
                if !set.insert(a) {
                    out.push(Diagnostic::at(
                        Pos::UNRESOLVED,
                        pointer,
                        Rule::Authenticator,
                        format!("{} is listed twice", a.wire_name()),
                    ));
                }
            }
            Err(e) => {
                let message = if text.to_ascii_uppercase().ends_with("UNSPECIFIED") || text == "0" {
                    "AUTHENTICATOR_TYPE_UNSPECIFIED is never valid; choose a defined authenticator type".to_string()
                } else {
                    e.to_string()
                };
                out.push(Diagnostic::at(
                    Pos::UNRESOLVED,
                    pointer,
                    Rule::Authenticator,
                    message,
                ));
            }
        }
    }
    set
}

/// Parses JSON, reporting a syntax error with the line and column serde_json found it at.
fn parse_json(text: &str, out: &mut Vec<Diagnostic>) -> Option<Value> {
    match super::numbers::from_str(text) {
        Ok(v) => Some(v),
        Err(e) => {
            let mut d = syntax_diagnostic(&e);
            // The parser stops where it noticed, often far from the cause (the end of the
            // text, or the line after an unclosed string): name what is open and where.
            let far = e.classify() == serde_json::error::Category::Eof
                || d.message.contains("control character")
                || d.message.contains("trailing characters");
            if far && let Some(u) = super::position::explain_unclosed(text) {
                d.message = format!(
                    "invalid JSON: {} (the parser stopped at {}:{}: {})",
                    u.message,
                    d.line,
                    d.column,
                    first_word_error(&d.message)
                );
                d.line = u.pos.line;
                d.column = u.pos.column;
            }
            out.push(d);
            None
        }
    }
}

/// serde's words for the error, for after the explanation ("EOF while parsing an object").
fn first_word_error(message: &str) -> &str {
    message.strip_prefix("invalid JSON: ").unwrap_or(message)
}

pub(crate) fn syntax_diagnostic(e: &serde_json::Error) -> Diagnostic {
    let full = e.to_string();
    let message = full
        .rfind(" at line ")
        .map_or(full.as_str(), |cut| &full[..cut])
        .to_string();
    Diagnostic {
        pointer: String::new(),
        line: e.line().max(1),
        column: e.column().max(1),
        rule: Rule::Syntax,
        message: format!("invalid JSON: {message}"),
    }
}

/// Fills in the line and column of every diagnostic located by pointer only, with one
/// pass over `text` that records just those pointers: a valid 1 MiB schema pays nothing,
/// and an invalid one only for the paths to its errors.
fn resolve_positions(text: &str, diagnostics: &mut [Diagnostic]) {
    let unresolved = || diagnostics.iter().filter(|d| d.line == 0);
    if unresolved().next().is_none() {
        return;
    }
    let index = PositionIndex::for_pointers(text, unresolved().map(|d| d.pointer.as_str()));
    for d in diagnostics.iter_mut().filter(|d| d.line == 0) {
        let pos = index.locate(&d.pointer);
        d.line = pos.line;
        d.column = pos.column;
    }
}

/// Checks a schema value found at `prefix` in the indexed text.
fn check_schema(schema: &Value, prefix: &str, out: &mut Vec<Diagnostic>) {
    if !schema.is_object() {
        out.push(Diagnostic::at(
            Pos::UNRESOLVED,
            prefix,
            Rule::NotObject,
            format!(
                "the schema must be a JSON object, not {}",
                json_kind(schema)
            ),
        ));
        return;
    }
    let before = out.len();
    for problem in check_permissions(schema) {
        let pointer = format!("{prefix}{}", problem.pointer);
        out.push(Diagnostic::at(
            Pos::UNRESOLVED,
            pointer,
            Rule::Permission,
            problem.message,
        ));
    }
    let meta = jsonschema::draft202012::meta::validator();
    for error in meta.iter_errors(schema) {
        let inner = error.instance_path().as_str();
        // The permission check above words these better.
        if inner.contains(PERMISSION_KEYWORD) {
            continue;
        }
        let pointer = format!("{prefix}{inner}");
        out.push(Diagnostic::at(
            Pos::UNRESOLVED,
            pointer,
            Rule::MetaSchema,
            meta_message(&error.to_string(), inner),
        ));
    }
    if out.len() == before
        && let Some((inner, message)) = compile_problem(schema)
    {
        let pointer = format!("{prefix}{inner}");
        out.push(Diagnostic::at(
            Pos::UNRESOLVED,
            pointer,
            Rule::Compile,
            format!("the schema cannot be compiled: {message}"),
        ));
    }
}

/// What the meta-schema cannot see but compiling would refuse: a regex that does not parse,
/// or a `$ref` that cannot be resolved. Compiling a whole 1 MiB schema costs tens of
/// milliseconds, so each distinct regex is compiled alone, and the whole schema only when
/// it has references.
fn compile_problem(schema: &Value) -> Option<(String, String)> {
    let mut seen = HashSet::new();
    let mut has_refs = false;
    let mut problem = None;
    let mut pointer = String::new();
    super::permission::walk_subschemas(schema, &mut pointer, &mut |node, ptr, _| {
        has_refs |= node.contains_key("$ref") || node.contains_key("$dynamicRef");
        if problem.is_some() {
            return;
        }
        let mut patterns: Vec<(String, &str)> = Vec::new();
        if let Some(Value::String(p)) = node.get("pattern") {
            patterns.push((format!("{ptr}/pattern"), p));
        }
        if let Some(Value::Object(map)) = node.get("patternProperties") {
            for key in map.keys() {
                patterns.push((
                    format!(
                        "{ptr}/patternProperties/{}",
                        super::position::escape_token(key)
                    ),
                    key,
                ));
            }
        }
        for (at, p) in patterns {
            if seen.insert(p.to_string())
                && let Err(e) = compile(&json!({ "pattern": p }))
            {
                problem = Some((at, e.to_string()));
                return;
            }
        }
    });
    if problem.is_some() || !has_refs {
        return problem;
    }
    compile(schema).err().map(|error| {
        let message = error.to_string();
        let inner = match error.schema_path().as_str() {
            "" => culprit_pointer(schema, &message).unwrap_or_default(),
            p => p.to_string(),
        };
        (inner, message)
    })
}

/// Where a compile error comes from when the compiler does not say: the first `$ref` or
/// `pattern` whose value the message quotes.
fn culprit_pointer(schema: &Value, message: &str) -> Option<String> {
    let mut found = None;
    let mut pointer = String::new();
    super::permission::walk_subschemas(schema, &mut pointer, &mut |node, ptr, _| {
        if found.is_some() {
            return;
        }
        for key in ["$ref", "$dynamicRef", "pattern"] {
            // The resolver quotes a local `$ref`'s fragment without its `#`.
            if let Some(Value::String(v)) = node.get(key)
                && (message.contains(v.as_str())
                    || v.strip_prefix('#')
                        .is_some_and(|f| !f.is_empty() && message.contains(&format!("'{f}'"))))
            {
                found = Some(format!("{ptr}/{}", super::position::escape_token(key)));
                return;
            }
        }
    });
    found
}

/// The meta-schema's own words, with a hint for the commonest traps.
fn meta_message(raw: &str, pointer: &str) -> String {
    if pointer.ends_with("/type") && raw.contains("anyOf") {
        format!(
            "{}: not a JSON Schema type; use one of \"string\", \"number\", \"integer\", \"boolean\", \"object\", \"array\", \"null\" (or an array of them)",
            raw.split(" is not valid").next().unwrap_or(raw)
        )
    } else if pointer.ends_with("/required") && raw.contains("is not of type \"array\"") {
        format!(
            "{raw}: in JSON Schema 2020-12 \"required\" is an array of property names on the parent object, e.g. \"required\": [\"name\"]"
        )
    } else {
        raw.to_string()
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The registry that makes `urn:zitadel:schema:v1` resolvable offline.
fn registry() -> Option<&'static Registry<'static>> {
    static REGISTRY: OnceLock<Option<Registry<'static>>> = OnceLock::new();
    REGISTRY
        .get_or_init(|| {
            Registry::new()
                .add(
                    ZITADEL_META_SCHEMA,
                    Resource::from_contents(zitadel_meta_schema()),
                )
                .ok()?
                .prepare()
                .ok()
        })
        .as_ref()
}

/// The ZITADEL meta-schema: draft 2020-12 plus the permission keyword.
pub fn zitadel_meta_schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": ZITADEL_META_SCHEMA,
        "$dynamicAnchor": "meta",
        "allOf": [{"$ref": "https://json-schema.org/draft/2020-12/schema"}],
        "properties": {
            PERMISSION_KEYWORD: {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "owner": {"type": "string", "pattern": "^[rw]$"},
                    "self": {"type": "string", "pattern": "^[rw]$"}
                }
            }
        }
    })
}

/// Compiles a schema offline (remote `$ref`s are never fetched).
pub fn compile(schema: &Value) -> Result<Validator, jsonschema::ValidationError<'static>> {
    let mut options = jsonschema::options()
        .with_draft(Draft::Draft202012)
        .should_validate_formats(true)
        .offline();
    if let Some(reg) = registry() {
        options = options.with_registry(reg);
    }
    options.build(schema)
}

/// A schema compiled once for checking many sample users against it.
pub struct SampleChecker {
    validator: Result<Validator, String>,
}

impl SampleChecker {
    pub fn new(schema: &Value) -> Self {
        SampleChecker {
            validator: compile(schema).map_err(|e| e.to_string()),
        }
    }

    /// Validates sample user data (JSON text) and reports every problem with its position.
    pub fn check(&self, instance_text: &str) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let Some(instance) = parse_json(instance_text, &mut out) else {
            return out;
        };
        match &self.validator {
            Err(e) => out.push(Diagnostic::at(
                Pos::START,
                "",
                Rule::Compile,
                format!("the schema cannot be compiled, so samples cannot be checked: {e}"),
            )),
            Ok(validator) => {
                for error in validator.iter_errors(&instance) {
                    let pointer = error.instance_path().as_str().to_string();
                    out.push(Diagnostic::at(
                        Pos::UNRESOLVED,
                        pointer,
                        Rule::Instance,
                        error.to_string(),
                    ));
                }
            }
        }
        resolve_positions(instance_text, &mut out);
        out.sort_by_key(|d| (d.line, d.column));
        out
    }
}

/// Validates sample user data against a schema (see [`SampleChecker`] to check many).
pub fn validate_instance(schema: &Value, instance_text: &str) -> Vec<Diagnostic> {
    SampleChecker::new(schema).check(instance_text)
}
