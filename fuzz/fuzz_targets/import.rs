//! The JSON import: `validate(Source::File(..))` on arbitrary UTF-8 text, plus the position
//! index (full and targeted) that locates diagnostics in that text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use schemadesk::schema::position::{PositionIndex, pos_at};
use schemadesk::schema::{Source, validate};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let validation = validate(Source::File(text));
    let pointers: Vec<&str> = validation
        .diagnostics
        .iter()
        .map(|d| d.pointer.as_str())
        .collect();
    let index = PositionIndex::for_pointers(text, pointers.iter().copied());
    let full = PositionIndex::build(text);
    for p in &pointers {
        let pos = index.locate(p);
        let _ = full.locate_key(p);
        assert!(pos.offset <= text.len());
        let _ = pos_at(text, pos.offset);
    }
    // Every diagnostic names a real position (or the start) and a printable message.
    for d in &validation.diagnostics {
        let _ = d.to_string();
    }
    // An import that validates gives a draft whose request body round-trips.
    if let Some(draft) = validation.into_draft(Some("fuzz")) {
        let body = draft.request_body_pretty();
        let again = validate(Source::File(&body));
        assert!(
            again.is_valid(),
            "a valid draft's body re-validates: {body}"
        );
    }
});
