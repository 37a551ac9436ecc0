//! Times as people read them: the store keeps RFC 3339 in UTC; the window shows them in the
//! machine's local time.
//!
//! The local offset is read once, at start, before any thread exists: `time` refuses to read
//! it later on Unix (reading the time zone while another thread may change the environment is
//! unsound). Where it was not read (tests, or a platform that will not say), times are shown in
//! UTC and say so.

use std::sync::OnceLock;

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

static LOCAL: OnceLock<UtcOffset> = OnceLock::new();

/// Reads the local offset; call first thing in `main`, while the process has one thread.
pub fn init_local_offset() {
    if let Ok(offset) = UtcOffset::current_local_offset() {
        let _ = LOCAL.set(offset);
    }
}

/// "2026-11-27T02:40:00Z" → "2026-11-27 03:40" (local, here UTC+1), or "2026-11-27 02:40 UTC"
/// when the local offset is unknown. Text that is not RFC 3339 is returned as it is.
pub fn local(rfc3339: &str) -> String {
    shown(rfc3339, LOCAL.get().copied())
}

fn shown(rfc3339: &str, offset: Option<UtcOffset>) -> String {
    let Ok(at) = OffsetDateTime::parse(rfc3339, &Rfc3339) else {
        return rfc3339.to_string();
    };
    let minutes = format_description!("[year]-[month]-[day] [hour]:[minute]");
    let (at, suffix) = match offset {
        Some(offset) => (at.to_offset(offset), ""),
        None => (at.to_offset(UtcOffset::UTC), " UTC"),
    };
    match at.format(&minutes) {
        Ok(text) => format!("{text}{suffix}"),
        Err(_) => rfc3339.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_in_the_given_offset_or_in_utc_said_so() {
        let plus_one = UtcOffset::from_hms(1, 0, 0).ok();
        assert_eq!(shown("2026-11-27T02:40:59Z", plus_one), "2026-11-27 03:40");
        assert_eq!(shown("2026-11-27T23:30:00Z", plus_one), "2026-11-28 00:30");
        assert_eq!(shown("2026-11-27T02:40:00Z", None), "2026-11-27 02:40 UTC");
        assert_eq!(
            shown("2026-11-27T02:40:00+02:00", None),
            "2026-11-27 00:40 UTC"
        );
    }

    #[test]
    fn text_that_is_no_time_is_kept() {
        assert_eq!(shown("yesterday", None), "yesterday");
        assert_eq!(shown("", None), "");
    }
}
