//! Writes a changed JSON document back into its original text, touching only what changed:
//! key order, number spellings, indentation and every untouched byte stay as they were, so
//! a workspace's git diff shows the edit and nothing else.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::schema::position::{PositionIndex, escape_token};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EditError {
    #[error("the original text is not JSON: {0}")]
    NotJson(String),
    #[error("the edited text would not read back as the new document (a bug); nothing was written")]
    Mismatch,
}

/// One replacement of `text[start..end]`.
struct Splice {
    start: usize,
    end: usize,
    with: String,
}

/// The text of `original` changed to hold `new`, with every unchanged part kept byte for byte.
pub fn patch(original: &str, new: &Value) -> Result<String, EditError> {
    let old: Value =
        serde_json::from_str(original).map_err(|e| EditError::NotJson(e.to_string()))?;
    if &old == new {
        return Ok(original.to_string());
    }
    let index = PositionIndex::build(original);
    let ctx = Ctx {
        text: original,
        index: &index,
        unit: indent_unit(original),
    };
    let mut splices = Vec::new();
    ctx.diff(&old, new, "", &mut splices);
    splices.sort_by(|a, b| b.start.cmp(&a.start).then(b.end.cmp(&a.end)));
    let mut out = original.to_string();
    for s in splices {
        out.replace_range(s.start..s.end, &s.with);
    }
    match serde_json::from_str::<Value>(&out) {
        Ok(back) if &back == new => Ok(out),
        _ => Err(EditError::Mismatch),
    }
}

struct Ctx<'a> {
    text: &'a str,
    index: &'a PositionIndex,
    unit: String,
}

impl Ctx<'_> {
    fn diff(&self, old: &Value, new: &Value, ptr: &str, out: &mut Vec<Splice>) {
        if old == new {
            return;
        }
        match (old, new) {
            (Value::Object(o), Value::Object(n)) if o.keys().any(|k| n.contains_key(k)) => {
                self.diff_object(o, n, ptr, out);
            }
            (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
                for (i, (x, y)) in a.iter().zip(b).enumerate() {
                    self.diff(x, y, &format!("{ptr}/{i}"), out);
                }
            }
            _ => self.replace(ptr, new, out),
        }
    }

    fn replace(&self, ptr: &str, new: &Value, out: &mut Vec<Splice>) {
        let Some(span) = self.index.span(ptr) else {
            return;
        };
        let old_text = &self.text[span.value.offset..span.end];
        let empty_container = matches!(old_text, "{}" | "[]");
        let multi_line = old_text.contains('\n') || (empty_container && self.text.contains('\n'));
        let lead = line_lead(self.text, span.value.offset);
        out.push(Splice {
            start: span.value.offset,
            end: span.end,
            with: self.render(new, multi_line.then_some(lead.as_str())),
        });
    }

    fn diff_object(
        &self,
        o: &Map<String, Value>,
        n: &Map<String, Value>,
        ptr: &str,
        out: &mut Vec<Splice>,
    ) {
        let keys: Vec<&String> = o.keys().collect();
        let member = |k: &str| self.index.span(&format!("{ptr}/{}", escape_token(k)));
        // The last member kept (there is one: the caller checked).
        let Some(last_kept) = keys.iter().rposition(|k| n.contains_key(k.as_str())) else {
            return self.replace(ptr, &Value::Object(n.clone()), out);
        };
        for (i, k) in keys.iter().enumerate() {
            let child = format!("{ptr}/{}", escape_token(k));
            match n.get(k.as_str()) {
                Some(v) => self.diff(&o[k.as_str()], v, &child, out),
                None if i < last_kept => {
                    // From this key to the next one: the member, its comma and the gap.
                    if let (Some(here), Some(next)) = (member(k), member(keys[i + 1])) {
                        out.push(Splice {
                            start: here.key.map_or(here.value.offset, |p| p.offset),
                            end: next.key.map_or(next.value.offset, |p| p.offset),
                            with: String::new(),
                        });
                    }
                }
                None => {}
            }
        }
        // After the last kept member: the removed tail, replaced by the added members.
        let Some(kept) = member(keys[last_kept]) else {
            return;
        };
        let tail_end = keys
            .last()
            .and_then(|k| member(k))
            .map_or(kept.end, |s| s.end);
        let key_pos = kept.key.map_or(kept.value.offset, |p| p.offset);
        let indent = starts_line(self.text, key_pos).then(|| line_lead(self.text, key_pos));
        let mut added = String::new();
        for (k, v) in n.iter().filter(|(k, _)| !o.contains_key(k.as_str())) {
            added.push(',');
            match &indent {
                Some(ind) => {
                    added.push('\n');
                    added.push_str(ind);
                }
                None => added.push(' '),
            }
            added.push_str(&serde_json::to_string(k).unwrap_or_default());
            added.push_str(": ");
            added.push_str(&self.render(v, indent.as_deref()));
        }
        if tail_end > kept.end || !added.is_empty() {
            out.push(Splice {
                start: kept.end,
                end: tail_end,
                with: added,
            });
        }
    }

    /// A value as text: pretty with the document's indent unit, continued lines shifted to
    /// `indent`; compact when the surroundings are on one line.
    fn render(&self, value: &Value, indent: Option<&str>) -> String {
        let Some(indent) = indent else {
            return serde_json::to_string(value).unwrap_or_default();
        };
        let mut buf = Vec::new();
        let formatter = serde_json::ser::PrettyFormatter::with_indent(self.unit.as_bytes());
        let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
        if value.serialize(&mut ser).is_err() {
            return serde_json::to_string(value).unwrap_or_default();
        }
        let pretty = String::from_utf8(buf).unwrap_or_default();
        pretty.replace('\n', &format!("\n{indent}"))
    }
}

/// The white space that starts the line holding `offset`.
fn line_lead(text: &str, offset: usize) -> String {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    text[start..offset]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

/// Whether only white space precedes `offset` on its line (and the text has lines at all).
fn starts_line(text: &str, offset: usize) -> bool {
    match text[..offset].rfind('\n') {
        Some(nl) => text[nl + 1..offset].chars().all(|c| c == ' ' || c == '\t'),
        None => false,
    }
}

/// The indent step of the text: the first indented line's leading white space (two spaces
/// when none is).
fn indent_unit(text: &str) -> String {
    text.lines()
        .map(|l| {
            l.chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect::<String>()
        })
        .find(|lead| !lead.is_empty())
        .unwrap_or_else(|| "  ".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn edit(text: &str, f: impl FnOnce(&mut Value)) -> String {
        let mut v: Value = serde_json::from_str(text).unwrap();
        f(&mut v);
        patch(text, &v).unwrap()
    }

    const DOC: &str =
        "{\n    \"b\": 1.50,\n    \"a\": {\"x\": 1e3, \"y\": [1, 2]},\n    \"c\": \"s\"\n}\n";

    #[test]
    fn unchanged_text_is_returned_as_is() {
        assert_eq!(edit(DOC, |_| {}), DOC);
    }

    #[test]
    fn a_changed_scalar_changes_only_itself() {
        let out = edit(DOC, |v| v["c"] = json!("t"));
        assert_eq!(out, DOC.replace("\"s\"", "\"t\""));
    }

    #[test]
    fn added_and_removed_members_keep_the_rest() {
        let out = edit(DOC, |v| {
            v.as_object_mut().unwrap().shift_remove("b");
            v["d"] = json!({"k": true});
        });
        assert_eq!(
            out,
            "{\n    \"a\": {\"x\": 1e3, \"y\": [1, 2]},\n    \"c\": \"s\",\n    \"d\": {\n        \"k\": true\n    }\n}\n"
        );
        let out = edit(DOC, |v| {
            v.as_object_mut().unwrap().shift_remove("c");
        });
        assert_eq!(
            out,
            "{\n    \"b\": 1.50,\n    \"a\": {\"x\": 1e3, \"y\": [1, 2]}\n}\n"
        );
        let out = edit(DOC, |v| v["a"]["z"] = json!(null));
        assert_eq!(out, DOC.replace("[1, 2]}", "[1, 2], \"z\": null}"));
    }

    #[test]
    fn removing_runs_and_the_tail_at_once() {
        let text = "{\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": 3,\n  \"d\": 4,\n  \"e\": 5\n}";
        let out = edit(text, |v| {
            let m = v.as_object_mut().unwrap();
            m.shift_remove("a");
            m.shift_remove("b");
            m.shift_remove("d");
            m.shift_remove("e");
            m.insert("f".into(), json!(6));
        });
        assert_eq!(out, "{\n  \"c\": 3,\n  \"f\": 6\n}");
    }
}
