//! Differential test: the position index on the lexer's tokens against the scanner it
//! replaced ([`super::legacy`]), on generated documents, valid and broken. Runs 64 cases
//! by default; `PROPTEST_CASES=20000` for a thorough run. Remove it with the old scanner.

use std::collections::HashMap;

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Map, Number, Value};

use super::{PositionIndex, Span, explain_unclosed, legacy};

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
    let splice = "([{}\\[\\]:,\"\\\\ \n\t0-9eE.+-]|true|nul|x|é|\u{1F600}){1,3}";
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

fn pointers_of(spans: &HashMap<String, Span>, picks: &[Index]) -> Vec<String> {
    let mut all: Vec<&String> = spans.keys().collect();
    all.sort();
    let mut out: Vec<String> = if all.is_empty() {
        Vec::new()
    } else {
        picks
            .iter()
            .map(|i| all[i.index(all.len())].clone())
            .collect()
    };
    // Pointers that name nothing, or a missing member of something that exists.
    out.push("/nothing/here".into());
    if let Some(p) = all.first() {
        out.push(format!("{p}/missing"));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    /// On valid JSON the two agree exactly: every span, full or filtered, and no unclosed
    /// bracket.
    #[test]
    fn valid_documents_index_the_same(doc in document(), picks in prop::collection::vec(any::<Index>(), 0..6)) {
        prop_assert!(serde_json::from_str::<Value>(&doc).is_ok(), "{:?}", doc);
        let old = legacy::build(&doc);
        let new = PositionIndex::build(&doc);
        prop_assert_eq!(&new.spans, &old, "{:?}", doc);
        let wanted = pointers_of(&old, &picks);
        let wanted = || wanted.iter().map(String::as_str);
        let new_some = PositionIndex::for_pointers(&doc, wanted());
        prop_assert_eq!(&new_some.spans, &legacy::for_pointers(&doc, wanted()), "{:?}", doc);
        for p in wanted() {
            prop_assert_eq!(new_some.locate(p), new.locate(p));
            prop_assert_eq!(new_some.locate_key(p), new.locate_key(p));
        }
        prop_assert_eq!(explain_unclosed(&doc), None);
        prop_assert_eq!(legacy::explain_unclosed(&doc), None);
    }

    /// On broken JSON: the same explanation of what is left open, and where both index a
    /// value they put it, and its key, at the same line:column.
    #[test]
    fn broken_documents_agree_where_both_read(doc in broken(), picks in prop::collection::vec(any::<Index>(), 0..6)) {
        prop_assert_eq!(explain_unclosed(&doc), legacy::explain_unclosed(&doc), "{:?}", doc);
        let old = legacy::build(&doc);
        let new = PositionIndex::build(&doc);
        for (p, span) in &new.spans {
            if let Some(o) = old.get(p) {
                prop_assert_eq!((span.key, span.value), (o.key, o.value), "{} in {:?}", p, doc);
            }
        }
        // The filtered index (which skips subtrees by their brackets alone, so it may read
        // on where the full one stopped) puts what both read at the same place.
        let wanted = pointers_of(&new.spans, &picks);
        let wanted = || wanted.iter().map(String::as_str);
        let some = PositionIndex::for_pointers(&doc, wanted());
        let old_some = legacy::for_pointers(&doc, wanted());
        for (p, span) in &some.spans {
            if let Some(full) = new.span(p) {
                prop_assert_eq!((span.key, span.value), (full.key, full.value), "{} in {:?}", p, doc);
            }
            if let Some(o) = old_some.get(p) {
                prop_assert_eq!((span.key, span.value), (o.key, o.value), "{} in {:?}", p, doc);
            }
        }
    }
}
