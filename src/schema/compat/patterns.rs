//! `pattern` and `patternProperties` keys as regular languages, so that a changed pattern
//! is decided rather than guessed: a lazy DFA per pattern (regex-automata), and a
//! breadth-first walk over their product that finds the shortest string in one language
//! and not in another, or proves there is none.
//!
//! Only the regex subset that ECMA-262 (what the JSON Schema spec names) and Rust's `regex`
//! (what the validator runs) read the same way is accepted: literals, escaped meta
//! characters, `\n \t \r \f \v \xHH \uHHHH`, bracketed classes of literals and ranges
//! (negated too), groups, alternation, every repetition, and `^`/`$`. Anything else
//! (`.`, `\d`, `\w`, `\b`, flags, look-around, back-references, Unicode classes) gives
//! `None`, and the caller says "cannot tell".

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};

use regex_automata::hybrid::LazyStateID;
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::util::start;
use regex_automata::{Anchored, MatchKind};
use regex_syntax::ast::{self, Ast, ClassSet, ClassSetItem, GroupKind, LiteralKind};

/// At most this many product states are explored before giving up.
const BUDGET: usize = 20_000;
/// Lazy DFA cache per pattern; states are never evicted below this size, so the ids
/// kept in the search stay valid (the search checks, and gives up if they would not).
const CACHE_BYTES: usize = 8 << 20;

/// One pattern's language: the strings in which it finds a match (JSON Schema patterns
/// are not anchored).
pub struct Lang {
    dfa: DFA,
    /// The pattern as written: the key of the search memo.
    source: String,
}

impl Lang {
    /// The language of `pattern`, or `None` when it is outside the shared subset or too big.
    pub fn new(pattern: &str) -> Option<Lang> {
        let ast = ast::parse::Parser::new().parse(pattern).ok()?;
        if !shared(&ast) {
            return None;
        }
        let whole = format!("(?s:.)*(?:{pattern})(?s:.)*");
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(MatchKind::All)
                    .cache_capacity(CACHE_BYTES)
                    .skip_cache_capacity_check(true),
            )
            .build(&whole)
            .ok()?;
        Some(Lang {
            dfa,
            source: pattern.to_string(),
        })
    }

    /// Whether `text` contains a match (the validator's reading of `pattern`).
    pub fn matches(&self, text: &str) -> Option<bool> {
        let mut cache = self.dfa.create_cache();
        let mut s = self.start(&mut cache)?;
        for &b in text.as_bytes() {
            s = self.dfa.next_state(&mut cache, s, b).ok()?;
        }
        Some(self.dfa.next_eoi_state(&mut cache, s).ok()?.is_match())
    }

    fn start(&self, cache: &mut Cache) -> Option<LazyStateID> {
        self.dfa
            .start_state(cache, &start::Config::new().anchored(Anchored::Yes))
            .ok()
    }
}

/// The outcome of a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Search {
    /// The shortest string found (ties broken towards `0`, then `a`).
    Found(String),
    /// Proved: no such string exists.
    Empty,
    /// The search ran out of budget or met a length it does not model.
    GaveUp,
}

/// Finds a string that every language in `all` contains, no language in `none` does, and
/// whose length in characters lies in `min_chars..=max_chars`.
pub fn search(all: &[&Lang], none: &[&Lang], min_chars: u64, max_chars: Option<u64>) -> Search {
    // A schema often repeats a pattern over many fields: each question is answered once.
    type Key = (Vec<String>, Vec<String>, u64, Option<u64>);
    thread_local! {
        static MEMO: RefCell<HashMap<Key, Search>> = RefCell::new(HashMap::new());
    }
    let sources = |ls: &[&Lang]| ls.iter().map(|l| l.source.clone()).collect::<Vec<_>>();
    let key = (sources(all), sources(none), min_chars, max_chars);
    if let Some(found) = MEMO.with(|m| m.borrow().get(&key).cloned()) {
        return found;
    }
    let found = search_product(all, none, min_chars, max_chars);
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() > 4096 {
            m.clear();
        }
        m.insert(key, found.clone());
    });
    found
}

fn search_product(all: &[&Lang], none: &[&Lang], min_chars: u64, max_chars: Option<u64>) -> Search {
    // Lengths beyond this are not tracked exactly (the search still proves emptiness
    // for a wider set, which is enough when nothing is found).
    let min_cap = min_chars.min(64);
    let langs: Vec<&Lang> = all.iter().chain(none.iter()).copied().collect();
    let mut caches: Vec<Cache> = langs.iter().map(|l| l.dfa.create_cache()).collect();
    let mut first = Vec::with_capacity(langs.len());
    for (l, c) in langs.iter().zip(caches.iter_mut()) {
        match l.start(c) {
            Some(s) => first.push(s),
            None => return Search::GaveUp,
        }
    }
    let order = byte_order();
    // (states, capped chars) -> (parent index, byte, exact chars)
    let mut seen: HashMap<(Vec<LazyStateID>, u64), usize> = HashMap::new();
    let mut nodes: Vec<(Option<usize>, u8, u64, Vec<LazyStateID>)> = Vec::new();
    let mut queue = VecDeque::new();
    seen.insert((first.clone(), 0), 0);
    nodes.push((None, 0, 0, first));
    queue.push_back(0usize);
    let mut out_of_range = false;
    while let Some(i) = queue.pop_front() {
        if nodes.len() > BUDGET {
            return Search::GaveUp;
        }
        let (chars, states) = (nodes[i].2, nodes[i].3.clone());
        // Accepting here?
        let mut ok = true;
        for (k, (l, c)) in langs.iter().zip(caches.iter_mut()).enumerate() {
            let Ok(e) = l.dfa.next_eoi_state(c, states[k]) else {
                return Search::GaveUp;
            };
            if e.is_match() != (k < all.len()) {
                ok = false;
                break;
            }
        }
        if ok {
            let too_long = max_chars.is_some_and(|m| chars > m);
            if chars >= min_chars && !too_long {
                return Search::Found(rebuild(&nodes, i));
            }
            // Longer strings of this state are not told apart from this one.
            if too_long || chars >= min_cap {
                out_of_range = true;
            }
        }
        for &b in &order {
            let mut next = Vec::with_capacity(states.len());
            let mut dead = false;
            for (k, (l, c)) in langs.iter().zip(caches.iter_mut()).enumerate() {
                let Ok(s) = l.dfa.next_state(c, states[k], b) else {
                    return Search::GaveUp;
                };
                if c.clear_count() > 0 {
                    return Search::GaveUp;
                }
                // A language that must match and can no longer: prune.
                if k < all.len() && s.is_dead() {
                    dead = true;
                    break;
                }
                next.push(s);
            }
            if dead {
                continue;
            }
            let chars = chars + u64::from(b & 0xC0 != 0x80);
            let key = (next.clone(), chars.min(min_cap));
            if seen.contains_key(&key) {
                continue;
            }
            seen.insert(key, nodes.len());
            nodes.push((Some(i), b, chars, next));
            queue.push_back(nodes.len() - 1);
        }
    }
    if out_of_range {
        Search::GaveUp
    } else {
        Search::Empty
    }
}

fn rebuild(nodes: &[(Option<usize>, u8, u64, Vec<LazyStateID>)], mut i: usize) -> String {
    let mut bytes = Vec::new();
    while let Some(parent) = nodes[i].0 {
        bytes.push(nodes[i].1);
        i = parent;
    }
    bytes.reverse();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Digits, then letters, then the rest of printable ASCII, then everything else: the
/// strings found read well in a report.
fn byte_order() -> Vec<u8> {
    let mut v: Vec<u8> = (b'0'..=b'9')
        .chain(b'a'..=b'z')
        .chain(b'A'..=b'Z')
        .collect();
    v.extend((0x20u8..0x7f).filter(|b| !b.is_ascii_alphanumeric()));
    v.extend((0x80u8..=0xff).chain(0..0x20).chain([0x7f]));
    v
}

/// Whether the pattern stays inside the subset both dialects read alike.
fn shared(ast: &Ast) -> bool {
    match ast {
        Ast::Empty(_) => true,
        Ast::Literal(l) => literal_ok(&l.kind),
        Ast::Assertion(a) => matches!(
            a.kind,
            ast::AssertionKind::StartLine | ast::AssertionKind::EndLine
        ),
        Ast::ClassBracketed(c) => class_ok(&c.kind),
        Ast::Repetition(r) => shared(&r.ast),
        Ast::Group(g) => {
            let kind_ok = match &g.kind {
                GroupKind::CaptureIndex(_) => true,
                GroupKind::CaptureName { starts_with_p, .. } => !starts_with_p,
                GroupKind::NonCapturing(flags) => flags.items.is_empty(),
            };
            kind_ok && shared(&g.ast)
        }
        Ast::Alternation(a) => a.asts.iter().all(shared),
        Ast::Concat(c) => c.asts.iter().all(shared),
        Ast::Flags(_) | Ast::Dot(_) | Ast::ClassUnicode(_) | Ast::ClassPerl(_) => false,
    }
}

fn literal_ok(kind: &LiteralKind) -> bool {
    use ast::{HexLiteralKind, SpecialLiteralKind as S};
    match kind {
        LiteralKind::Verbatim | LiteralKind::Meta | LiteralKind::Superfluous => true,
        LiteralKind::HexFixed(HexLiteralKind::X | HexLiteralKind::UnicodeShort) => true,
        LiteralKind::Special(s) => matches!(
            s,
            S::LineFeed | S::Tab | S::CarriageReturn | S::FormFeed | S::VerticalTab
        ),
        _ => false,
    }
}

fn class_ok(set: &ClassSet) -> bool {
    match set {
        ClassSet::Item(item) => item_ok(item),
        ClassSet::BinaryOp(_) => false,
    }
}

fn item_ok(item: &ClassSetItem) -> bool {
    match item {
        ClassSetItem::Empty(_) => true,
        ClassSetItem::Literal(l) => literal_ok(&l.kind),
        ClassSetItem::Range(r) => literal_ok(&r.start.kind) && literal_ok(&r.end.kind),
        ClassSetItem::Union(u) => u.items.iter().all(item_ok),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(p: &str) -> Lang {
        Lang::new(p).expect("in the subset")
    }

    #[test]
    fn the_shared_subset() {
        for p in [
            "^[A-Z]+$",
            "a|b",
            "^(?:ab){2,3}$",
            "[^@]+@[^@]+",
            r"^\+[0-9]{7,15}$",
            "x*?",
        ] {
            assert!(Lang::new(p).is_some(), "{p}");
        }
        for p in [
            ".",
            r"\d",
            r"\w+",
            r"\bx",
            "(?i)a",
            r"\pL",
            "[[:alpha:]]",
            "a(?=b)",
        ] {
            assert!(Lang::new(p).is_none(), "{p}");
        }
    }

    #[test]
    fn matching_is_a_search_not_a_full_match() {
        let l = lang("b");
        assert_eq!(l.matches("abc"), Some(true));
        assert_eq!(l.matches("ac"), Some(false));
        let l = lang("^b$");
        assert_eq!(l.matches("abc"), Some(false));
        assert_eq!(l.matches("b"), Some(true));
    }

    #[test]
    fn narrowing_finds_a_string_widening_proves_none() {
        let (a, b) = (lang("^[A-Z0-9]+$"), lang("^[A-Z]+$"));
        assert_eq!(search(&[&a], &[&b], 0, None), Search::Found("0".into()));
        assert_eq!(search(&[&b], &[&a], 0, None), Search::Empty);
        let long = lang("^x+$");
        assert_eq!(search(&[&long], &[], 3, None), Search::Found("xxx".into()));
        assert_eq!(search(&[&long], &[], 3, Some(2)), Search::GaveUp);
    }
}
