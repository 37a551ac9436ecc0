//! Numbers as written (issue 17, item 6): `1e3` stays `1e3` from the file through every
//! revision, designer edit and export.
//!
//! The crate builds serde_json with `arbitrary_precision`, so a [`serde_json::Number`] holds the
//! literal's text instead of an `f64` (`1000.0`, `2.50` and `-0` survive). Its parser still
//! spells every exponent as `e+3`/`e-3`, though; [`from_str`] puts back the exponent as the
//! text had it. Values stay numerically what serde_json read: a literal is put back only when
//! it differs from serde_json's text in that spelling alone.

use serde_json::{Number, Value};

use super::json_lexer::{Lexer, TokenKind};

/// Parses JSON like `serde_json::from_str`, keeping every number's text as written.
pub fn from_str(text: &str) -> serde_json::Result<Value> {
    let mut value: Value = serde_json::from_str(text)?;
    restore_literals(text, &mut value);
    Ok(value)
}

/// A number typed alone (a designer box), as written; `None` when it is not one JSON number.
pub fn number(text: &str) -> Option<Number> {
    match from_str(text.trim()) {
        Ok(Value::Number(n)) => Some(n),
        _ => None,
    }
}

/// serde_json's spelling of a literal: `E` becomes `e`, an unsigned exponent gets a `+`.
fn normalized(literal: &str) -> String {
    let mut out = String::with_capacity(literal.len() + 1);
    let mut chars = literal.chars().peekable();
    while let Some(c) = chars.next() {
        if c == 'e' || c == 'E' {
            out.push('e');
            if chars.peek().is_some_and(char::is_ascii_digit) {
                out.push('+');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The number literals of JSON text, in order: the shared lexer's number tokens.
fn literals(text: &str) -> Vec<&str> {
    Lexer::new(text)
        .filter(|t| t.kind == TokenKind::Number)
        .map(|t| &text[t.span])
        .collect()
}

fn numbers_mut<'a>(value: &'a mut Value, out: &mut Vec<&'a mut Number>) {
    match value {
        Value::Number(n) => out.push(n),
        Value::Array(a) => a.iter_mut().for_each(|v| numbers_mut(v, out)),
        Value::Object(m) => m.values_mut().for_each(|v| numbers_mut(v, out)),
        _ => {}
    }
}

/// Puts each literal's own exponent spelling back. When the text and the value do not line up
/// one to one (a duplicate key dropped a value), nothing is changed.
fn restore_literals(text: &str, value: &mut Value) {
    let lits = literals(text);
    if !lits.iter().any(|l| l.contains(['e', 'E'])) {
        return;
    }
    let mut nums = Vec::new();
    numbers_mut(value, &mut nums);
    if nums.len() != lits.len()
        || nums
            .iter()
            .zip(&lits)
            .any(|(n, l)| n.as_str() != normalized(l))
    {
        return;
    }
    for (n, lit) in nums.into_iter().zip(lits) {
        if n.as_str() != lit {
            // The only way to give a Number a text serde_json's parser would respell; the
            // value is the same number (checked above).
            *n = Number::from_string_unchecked(lit.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_keep_their_text() {
        let text =
            r#"{"a": 1e3, "b": [1E-2, 2.50, -0, 1000.0, 7], "s": "1e3 \"2E3\"", "c": 1.5e+2}"#;
        let v = from_str(text).unwrap();
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"a":1e3,"b":[1E-2,2.50,-0,1000.0,7],"s":"1e3 \"2E3\"","c":1.5e+2}"#
        );
        assert_eq!(v["a"].as_f64(), Some(1000.0));
        assert_eq!(v["b"][0].as_f64(), Some(0.01));
        assert_eq!(v["b"][4].as_u64(), Some(7));
    }

    #[test]
    fn duplicate_keys_fall_back_to_serde_json() {
        let v = from_str(r#"{"a": "x", "b": 1e3, "a": 2e1}"#).unwrap();
        assert_eq!(v["b"].as_f64(), Some(1000.0));
        assert_eq!(v["a"].as_f64(), Some(20.0));
    }

    #[test]
    fn validation_reads_numbers_as_written() {
        let schema = from_str(r#"{"maximum": 1e3, "minimum": -1E1, "multipleOf": 0.5}"#).unwrap();
        let v = jsonschema::validator_for(&schema).unwrap();
        for ok in ["1000", "1e3", "999.5", "-10", "0"] {
            assert!(v.is_valid(&from_str(ok).unwrap()), "{ok}");
        }
        for bad in ["1000.5", "1e4", "0.25", "-10.5"] {
            assert!(!v.is_valid(&from_str(bad).unwrap()), "{bad}");
        }
    }

    #[test]
    fn typed_numbers() {
        assert_eq!(number(" 1e3 ").map(|n| n.to_string()), Some("1e3".into()));
        assert_eq!(number("x"), None);
        assert_eq!(number("[1]"), None);
    }
}
