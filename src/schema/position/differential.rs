//! Differential test: the position index on the lexer's tokens against the scanner it
//! replaced ([`super::legacy`]), on generated documents, valid and broken. Runs 64 cases
//! by default; `PROPTEST_CASES=20000` for a thorough run. Remove it with the old scanner.

use std::collections::HashMap;

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::Value;

use super::properties::{broken, cases, document};
use super::{PositionIndex, Span, explain_unclosed, legacy};

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
            // The old scanner, skipping a subtree, did not count a line break escaped in a
            // string (`\` then a raw line break): its positions after one were a line short.
            if let Some(o) = old_some.get(p).filter(|_| !doc.contains("\\\n")) {
                prop_assert_eq!((span.key, span.value), (o.key, o.value), "{} in {:?}", p, doc);
            }
        }
    }
}
