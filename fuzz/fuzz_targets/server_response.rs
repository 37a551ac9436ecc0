//! Server-response parsing: any status and body, through the same functions the client
//! reads answers with (success body, error mapping, create, get and list answers of both
//! API generations), and the remote schema as a local draft.
#![no_main]

use libfuzzer_sys::fuzz_target;
use schemadesk::sync::{
    Details, Generation, parse_created, parse_page, parse_response, parse_schema, remote_hash,
};

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let status = u16::from_le_bytes([data[0], data[1]]) % 700;
    let body = String::from_utf8_lossy(&data[2..]);
    match parse_response(status, &body) {
        Ok(v) => {
            for generation in [Generation::V1, Generation::V2] {
                let _ = parse_created(generation, &v).map(|c| c.details.to_json());
                if let Ok(schema) = parse_schema(generation, &v) {
                    let _ = remote_hash(&schema.draft());
                    let _ = schema.details.to_json();
                }
                if let Ok(page) = parse_page(generation, &v) {
                    for item in &page.items {
                        let _ = remote_hash(&item.draft());
                    }
                }
            }
            let _ = Details::from_value(v.get("details")).to_json();
        }
        Err(e) => {
            let text = e.to_string();
            assert!(!text.is_empty());
            let _ = e.status();
        }
    }
});
