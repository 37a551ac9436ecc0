//! Generated documents in three text styles, edited at random: the patched text always reads
//! back as the new document, and every member left alone keeps its exact text. 64 cases by
//! default; set NEXTGEN_EDIT_CASES for more.

use serde::Serialize;
use serde_json::{Map, Value, json};

use schemadesk::nextgen::edit::patch;
use schemadesk::schema::position::PositionIndex;

/// xorshift64*: small, deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const KEYS: [&str; 8] = [
    "a",
    "b",
    "type",
    "x-unique",
    "properties",
    "é",
    "k/l",
    "m~n",
];

fn value(rng: &mut Rng, depth: u32) -> Value {
    match rng.below(if depth >= 3 { 4 } else { 6 }) {
        0 => json!(rng.below(1000)),
        1 => json!(format!("s{}", rng.below(50))),
        2 => json!(rng.below(2) == 0),
        3 => json!(rng.below(100) as f64 / 4.0),
        4 => Value::Array((0..rng.below(4)).map(|_| value(rng, depth + 1)).collect()),
        _ => object(rng, depth + 1),
    }
}

fn object(rng: &mut Rng, depth: u32) -> Value {
    let mut m = Map::new();
    for _ in 0..rng.below(5) {
        m.insert(KEYS[rng.below(8) as usize].to_string(), value(rng, depth));
    }
    Value::Object(m)
}

fn style(v: &Value, n: u64) -> String {
    match n {
        0 => serde_json::to_string(v).unwrap(),
        1 => serde_json::to_string_pretty(v).unwrap() + "\n",
        _ => {
            let mut buf = Vec::new();
            let f = serde_json::ser::PrettyFormatter::with_indent(b"    ");
            v.serialize(&mut serde_json::Serializer::with_formatter(&mut buf, f))
                .unwrap();
            String::from_utf8(buf).unwrap()
        }
    }
}

/// One random edit somewhere in the tree.
fn mutate(rng: &mut Rng, v: &mut Value, depth: u32) {
    match v {
        Value::Object(m) if !m.is_empty() && rng.below(3) != 0 && depth < 4 => {
            let i = rng.below(m.len() as u64) as usize;
            let key = m.keys().nth(i).cloned().unwrap_or_default();
            match rng.below(4) {
                0 => {
                    m.shift_remove(&key);
                }
                1 => {
                    let k = format!("new{}", rng.below(5));
                    let nv = value(rng, 2);
                    m.insert(k, nv);
                }
                _ => {
                    if let Some(child) = m.get_mut(&key) {
                        mutate(rng, child, depth + 1);
                    }
                }
            }
        }
        Value::Array(a) if !a.is_empty() && rng.below(2) == 0 => {
            let i = rng.below(a.len() as u64) as usize;
            mutate(rng, &mut a[i], depth + 1);
        }
        Value::Object(m) => {
            m.insert("added".into(), value(rng, 2));
        }
        other => *other = value(rng, 2),
    }
}

#[test]
fn random_edits_change_only_what_changed() {
    let cases: u64 = std::env::var("NEXTGEN_EDIT_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(64);
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    for case in 0..cases {
        let old = object(&mut rng, 0);
        let text = style(&old, case % 3);
        let mut new = old.clone();
        for _ in 0..=rng.below(3) {
            mutate(&mut rng, &mut new, 0);
        }
        let out = patch(&text, &new).unwrap_or_else(|e| panic!("case {case}: {e}\n{text}\n{new}"));
        let back: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back, new, "case {case}:\n{text}\n->\n{out}");
        // Top-level members left alone keep their exact text.
        let (Value::Object(o), Value::Object(n)) = (&old, &new) else {
            continue;
        };
        let (before, after) = (PositionIndex::build(&text), PositionIndex::build(&out));
        for (k, v) in o {
            if n.get(k) != Some(v) {
                continue;
            }
            let ptr = format!("/{}", k.replace('~', "~0").replace('/', "~1"));
            let (a, b) = (before.span(&ptr).unwrap(), after.span(&ptr).unwrap());
            assert_eq!(
                &text[a.value.offset..a.end],
                &out[b.value.offset..b.end],
                "case {case}, member {k}:\n{text}\n->\n{out}"
            );
        }
        if old == new {
            assert_eq!(out, text);
        }
    }
}
