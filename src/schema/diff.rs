//! Line diffs between two revisions' texts, for the CLI's `diff` and the history view.
//!
//! The diff is Myers' algorithm, which takes time proportional to the lines times the
//! differences: quadratic on two large revisions with little in common (20,000 properties
//! took 39 s). So it runs against a deadline: once [`DEADLINE`] has passed, what is left is
//! shown as removed and inserted as a whole — still a correct diff, only a coarser one.

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
}
