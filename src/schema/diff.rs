//! Line diffs between two revisions' texts, for the CLI's `diff` and the history view.
//!
//! The diff is Myers' algorithm, which takes time proportional to the lines times the
//! differences: quadratic on two large revisions with little in common (20,000 properties
//! took 39 s). So it runs against a deadline: once [`DEADLINE`] has passed, what is left is
//! shown as removed and inserted as a whole — still a correct diff, only a coarser one.
//!
//! The side-by-side rows ([`side_by_side`]) are paired from the flattened [`DiffLine`]s, not
//! from `similar`'s ops, on purpose: the lines are what the store thread and the remote
//! compare hand to the UI, so pairing them needs no `TextDiff` kept alive or sent along. It
//! is no more code either: each run of changed lines between equal ones is exactly one of
//! `similar`'s ops (its `Replace` hook merges every delete and insert between two equal
//! runs, the deadline's coarse rest included), so splitting a run into its removed and
//! inserted lines pairs the same rows a `Replace` op would. A property test checks that
//! against the ops.

use std::time::Duration;

use similar::{Algorithm, ChangeTag, TextDiff};

/// How long the search for the smallest diff may take before the rest is diffed coarsely.
pub const DEADLINE: Duration = Duration::from_millis(300);

/// The line diff of two texts, under [`DEADLINE`].
fn line_diff<'a>(old: &'a str, new: &'a str) -> TextDiff<'a, 'a, 'a, str> {
    TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .timeout(DEADLINE)
        .diff_lines(old, new)
}

/// One line of a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    pub tag: LineTag,
    /// 1-based line number in the old text (for equal and removed lines).
    pub old_line: Option<usize>,
    /// 1-based line number in the new text (for equal and inserted lines).
    pub new_line: Option<usize>,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineTag {
    Equal,
    Removed,
    Inserted,
}

/// Every line of both texts, in order, tagged.
pub fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    let diff = line_diff(old, new);
    diff.iter_all_changes()
        .map(|c| DiffLine {
            tag: match c.tag() {
                ChangeTag::Equal => LineTag::Equal,
                ChangeTag::Delete => LineTag::Removed,
                ChangeTag::Insert => LineTag::Inserted,
            },
            old_line: c.old_index().map(|i| i + 1),
            new_line: c.new_index().map(|i| i + 1),
            text: c.value().trim_end_matches(['\n', '\r']).to_string(),
        })
        .collect()
}

/// Aligns a line diff for two columns, as indexes into `lines`: an equal line beside itself,
/// and each run of changed lines as its removed lines beside its inserted ones, in order (the
/// rest of the longer side beside nothing).
pub fn side_by_side(lines: &[DiffLine]) -> Vec<(Option<usize>, Option<usize>)> {
    let mut out = Vec::with_capacity(lines.len());
    let mut start = 0;
    for run in lines.chunk_by(|a, b| (a.tag == LineTag::Equal) == (b.tag == LineTag::Equal)) {
        let indexes = start..start + run.len();
        start += run.len();
        if run[0].tag == LineTag::Equal {
            out.extend(indexes.map(|i| (Some(i), Some(i))));
            continue;
        }
        let of = |tag| indexes.clone().filter(move |&i| lines[i].tag == tag);
        let (removed, inserted): (Vec<_>, Vec<_>) = (
            of(LineTag::Removed).collect(),
            of(LineTag::Inserted).collect(),
        );
        for k in 0..removed.len().max(inserted.len()) {
            out.push((removed.get(k).copied(), inserted.get(k).copied()));
        }
    }
    out
}

/// A unified diff with three lines of context, or an empty string when the texts are equal.
pub fn unified(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    if old == new {
        return String::new();
    }
    line_diff(old, new)
        .unified_diff()
        .context_radius(3)
        .header(old_name, new_name)
        .to_string()
}

#[cfg(test)]
mod tests {

    #[test]
    fn side_by_side_pairs_each_changed_run_and_keeps_equal_lines_level() {
        let lines = diff_lines("a\nb\nc\nd\n", "a\nB\nC\nX\nd\ne\n");
        let pairs = side_by_side(&lines);
        let shown: Vec<(String, String)> = pairs
            .iter()
            .map(|&(l, r)| {
                let text = |i: Option<usize>| i.map_or("-".to_string(), |i| lines[i].text.clone());
                (text(l), text(r))
            })
            .collect();
        let expect = [
            ("a", "a"),
            ("b", "B"),
            ("c", "C"),
            ("-", "X"),
            ("d", "d"),
            ("-", "e"),
        ];
        assert_eq!(
            shown,
            expect.map(|(l, r)| (l.to_string(), r.to_string())).to_vec()
        );
        // Every line appears exactly once on its side.
        assert_eq!(pairs.iter().filter(|p| p.0.is_some()).count(), 4);
        assert_eq!(pairs.iter().filter(|p| p.1.is_some()).count(), 6);
    }

    use super::*;

    #[test]
    fn marks_changed_lines() {
        let lines = diff_lines("a\nb\nc\n", "a\nB\nc\n");
        let tags: Vec<_> = lines.iter().map(|l| l.tag).collect();
        assert_eq!(
            tags,
            [
                LineTag::Equal,
                LineTag::Removed,
                LineTag::Inserted,
                LineTag::Equal
            ]
        );
        assert_eq!(lines[2].new_line, Some(2));
        let u = unified("a\nb\n", "a\nc\n", "r1", "r2");
        assert!(u.contains("-b\n+c\n"), "{u}");
        assert!(unified("x", "x", "a", "b").is_empty());
    }

    /// Whatever the deadline cut short, applying the diff to the old text gives the new one.
    #[test]
    fn a_coarse_diff_is_still_correct() {
        let old: String = (0..3000).map(|i| format!("\"a{i}\": {i},\n")).collect();
        let new: String = (0..3000).map(|i| format!("\"b{i}\": {i},\n")).collect();
        let lines = diff_lines(&old, &new);
        let rebuilt_old: Vec<&str> = lines
            .iter()
            .filter(|l| l.tag != LineTag::Inserted)
            .map(|l| l.text.as_str())
            .collect();
        let rebuilt_new: Vec<&str> = lines
            .iter()
            .filter(|l| l.tag != LineTag::Removed)
            .map(|l| l.text.as_str())
            .collect();
        assert_eq!(rebuilt_old, old.lines().collect::<Vec<_>>());
        assert_eq!(rebuilt_new, new.lines().collect::<Vec<_>>());
    }

    type Row = (Option<usize>, Option<usize>);

    /// The side-by-side rows as the ops of the same diff give them.
    fn pairs_from_ops(old: &str, new: &str) -> Vec<Row> {
        let mut out = Vec::new();
        let mut k = 0;
        for op in line_diff(old, new).ops() {
            let (removed, inserted) = match *op {
                similar::DiffOp::Equal { len, .. } => {
                    out.extend((k..k + len).map(|i| (Some(i), Some(i))));
                    k += len;
                    continue;
                }
                similar::DiffOp::Delete { old_len, .. } => (old_len, 0),
                similar::DiffOp::Insert { new_len, .. } => (0, new_len),
                similar::DiffOp::Replace {
                    old_len, new_len, ..
                } => (old_len, new_len),
            };
            for j in 0..removed.max(inserted) {
                out.push((
                    (j < removed).then_some(k + j),
                    (j < inserted).then_some(k + removed + j),
                ));
            }
            k += removed + inserted;
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
            std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(64)
        ))]

        /// The rows pair exactly as `similar`'s ops do (an equal op line by line, a replace op
        /// its removed lines beside its inserted ones), every line shows once on its own side,
        /// and a row joins an equal line with itself or a removed line with an inserted one.
        #[test]
        fn side_by_side_pairs_as_the_ops_do(
            old in proptest::collection::vec("[abc]{0,2}", 0..24),
            new in proptest::collection::vec("[abc]{0,2}", 0..24),
        ) {
            let (old, new) = (old.join("\n"), new.join("\n"));
            let lines = diff_lines(&old, &new);
            let pairs = side_by_side(&lines);
            proptest::prop_assert_eq!(&pairs, &pairs_from_ops(&old, &new));
            let side = |pick: fn(&Row) -> Option<usize>| -> Vec<&str> {
                pairs.iter().filter_map(pick).map(|i| lines[i].text.as_str()).collect()
            };
            proptest::prop_assert_eq!(side(|p| p.0), old.lines().collect::<Vec<_>>());
            proptest::prop_assert_eq!(side(|p| p.1), new.lines().collect::<Vec<_>>());
            for &(l, r) in &pairs {
                let tags = (l.map(|i| lines[i].tag), r.map(|i| lines[i].tag));
                proptest::prop_assert!(match tags {
                    (Some(LineTag::Equal), Some(LineTag::Equal)) => l == r,
                    (Some(LineTag::Removed) | None, Some(LineTag::Inserted) | None) => tags != (None, None),
                    _ => false,
                }, "{:?}", tags);
            }
        }
    }
}
