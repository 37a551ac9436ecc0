//! Properties of the position index on generated documents: on valid JSON every value is
//! indexed at the text that parses to it; on any text every position read agrees with
//! [`pos_at`] and the filtered index agrees with the full one. 64 cases by default,
//! `PROPTEST_CASES` for more.

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Map, Number, Value};

use super::{PositionIndex, escape_token, explain_unclosed, pos_at};

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(64)
}

/// Strings with what makes JSON scanning hard: escapes, pointer characters, non-ASCII.
fn text() -> impl Strategy<Value = String> {
    "([a-z]|é|日|\u{1F600}|\"|\\\\|/|~|\n|\t|\u{1}| |:|,|\\{|\\}|\\[|\\]){0,6}"
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| Value::Number(n.into())),
        any::<f64>().prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 48, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((text(), inner), 0..5)
                .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A valid document in one of four layouts.
fn document() -> impl Strategy<Value = String> {
    (value(), 0..4u8).prop_map(|(v, layout)| {
        let pretty = serde_json::to_string_pretty(&v).unwrap_or_default();
        match layout {
            0 => serde_json::to_string(&v).unwrap_or_default(),
            1 => pretty,
            // Raw line breaks only stand between tokens (those in strings are escaped).
            2 => pretty.replace('\n', "\r\n"),
            _ => {
                let mut out = b"\n\t ".to_vec();
                let tabs = serde_json::ser::PrettyFormatter::with_indent(b"\t");
                let mut ser = serde_json::Serializer::with_formatter(&mut out, tabs);
                let _ = serde::Serialize::serialize(&v, &mut ser);
                out.push(b'\n');
                String::from_utf8(out).unwrap_or_default()
            }
        }
    })
}

/// A valid document broken by cutting it short, or by splicing in or deleting characters.
fn broken() -> impl Strategy<Value = String> {
    let splice = "([{}\\[\\]:,\"\\\\ \n\t0-9eE.+-]|\\\\\n|true|nul|x|é|\u{1F600}){1,3}";
    (document(), 0..3u8, any::<Index>(), any::<Index>(), splice).prop_map(
        |(doc, how, at, len, piece)| {
            let bounds: Vec<usize> = doc
                .char_indices()
                .map(|(i, _)| i)
                .chain([doc.len()])
                .collect();
            let cut = bounds[at.index(bounds.len())];
            match how {
                0 => doc[..cut].to_string(),
                1 => format!("{}{piece}{}", &doc[..cut], &doc[cut..]),
                _ => {
                    let to =
                        bounds[(at.index(bounds.len()) + 1 + len.index(4)).min(bounds.len() - 1)];
                    format!("{}{}", &doc[..cut], &doc[to.max(cut)..])
                }
            }
        },
    )
}

/// Every pointer of a value, `""` for the root.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                pointers(child, format!("{at}/{}", escape_token(k)), out);
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    /// Each value of a valid document is indexed where its own text starts and ends, its
    /// key where the key's text starts, and a filtered index holds the same spans.
    #[test]
    fn valid_documents_index_every_value_at_its_text(doc in document(), picks in prop::collection::vec(any::<Index>(), 0..6)) {
        let parsed: Value = serde_json::from_str(&doc).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut all = Vec::new();
        pointers(&parsed, String::new(), &mut all);
        let idx = PositionIndex::build(&doc);
        prop_assert_eq!(idx.len(), all.len(), "{:?}", doc);
        for p in &all {
            let span = idx.span(p).ok_or_else(|| TestCaseError::fail(format!("{p} not indexed in {doc:?}")))?;
            prop_assert_eq!(span.value, pos_at(&doc, span.value.offset));
            let own: Value = serde_json::from_str(&doc[span.value.offset..span.end]).map_err(|e| TestCaseError::fail(format!("{p}: {e}")))?;
            prop_assert_eq!(Some(&own), parsed.pointer(p), "{} in {:?}", p, doc);
            match (span.key, p.rfind('/')) {
                (Some(key), Some(cut)) => {
                    prop_assert_eq!(key, pos_at(&doc, key.offset));
                    let rest = &doc[key.offset..];
                    let name: String = serde_json::Deserializer::from_str(rest).into_iter().next()
                        .and_then(Result::ok).unwrap_or_default();
                    prop_assert_eq!(escape_token(&name), &p[cut + 1..], "{:?}", doc);
                }
                (None, cut) => prop_assert!(cut.is_none() || parsed.pointer(&p[..cut.unwrap_or(0)]).is_some_and(Value::is_array)),
                (Some(_), None) => prop_assert!(false, "the root has a key in {:?}", doc),
            }
        }
        let wanted: Vec<&str> = if all.is_empty() { Vec::new() } else { picks.iter().map(|i| all[i.index(all.len())].as_str()).collect() };
        let some = PositionIndex::for_pointers(&doc, wanted.iter().copied().chain(["/no/such"]));
        for p in &wanted {
            prop_assert_eq!(some.span(p), idx.span(p), "{} in {:?}", p, doc);
        }
        prop_assert_eq!(some.locate("/no/such"), idx.locate("/no/such"));
        prop_assert_eq!(explain_unclosed(&doc), None);
    }

    /// On broken text, whatever is read sits at the line:column of its offset, and the
    /// filtered index, reading by the same rules, stops at the same fault as the full one and
    /// holds the same span for every pointer it was asked for.
    #[test]
    fn broken_documents_are_read_at_true_positions(doc in broken(), picks in prop::collection::vec(any::<Index>(), 0..6)) {
        let idx = PositionIndex::build(&doc);
        let mut all: Vec<&String> = idx.spans.keys().collect();
        all.sort();
        let wanted: Vec<&str> = if all.is_empty() { Vec::new() } else { picks.iter().map(|i| all[i.index(all.len())].as_str()).collect() };
        let some = PositionIndex::for_pointers(&doc, wanted.iter().copied().chain(["/no/such"]));
        for index in [&idx, &some] {
            for (p, span) in &index.spans {
                prop_assert_eq!(span.value, pos_at(&doc, span.value.offset), "{} in {:?}", p, doc);
                prop_assert!(span.value.offset < span.end && span.end <= doc.len());
                if let Some(key) = span.key {
                    prop_assert_eq!(key, pos_at(&doc, key.offset), "{} in {:?}", p, doc);
                }
            }
        }
        for p in wanted.iter().copied().chain(["", "/no"]) {
            prop_assert_eq!(some.span(p), idx.span(p), "{} in {:?}", p, doc);
        }
        if let Some(u) = explain_unclosed(&doc) {
            prop_assert_eq!(u.pos, pos_at(&doc, u.pos.offset));
        }
    }
}
