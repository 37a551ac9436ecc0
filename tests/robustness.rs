//! Faults lose nothing: a process killed in the middle of saves leaves a store that opens
//! and holds every revision that was reported saved.
#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use schemadesk::store::Store;

#[test]
fn kill_9_during_saves_loses_no_reported_revision() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let file = dir.path().join("s.json");
    let mut reported: Vec<u32> = Vec::new();
    let mut n = 0u32;
    for round in 0..12u64 {
        // A shell loop of imports, each a new revision; killed at a different moment each round.
        let script = format!(
            "i={start}; while true; do printf '{{\"title\": \"t%d\"}}' $i > '{file}'; \
             '{bin}' import '{file}' --type victim --db '{db}' || exit 1; i=$((i+1)); done",
            start = n,
            file = file.display(),
            bin = env!("CARGO_BIN_EXE_schemadesk"),
            db = db.display(),
        );
        let mut child = Command::new("sh")
            .args(["-c", &script])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let deadline = Instant::now() + Duration::from_millis(150 + round * 37);
        let reader = std::thread::spawn(move || {
            let mut lines = Vec::new();
            for line in BufReader::new(stdout).lines() {
                match line {
                    Ok(l) => lines.push(l),
                    Err(_) => break,
                }
            }
            lines
        });
        while Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        // SIGKILL the whole process group: the shell and the import in flight.
        let pgid = child.id() as i32;
        kill_group(pgid);
        let _ = child.wait();
        for line in reader.join().unwrap() {
            if let Some(rest) = line.strip_prefix("saved \"victim\" revision ") {
                reported.push(rest.trim().parse().unwrap());
            }
        }
        n += 1000;
        // Between rounds the store must open and hold everything reported so far.
        let store = Store::open(&db).expect("store opens after kill -9");
        if let Some(s) = store.find_by_type("victim").unwrap() {
            let history = store.history(s.id).unwrap();
            for r in &reported {
                assert!(
                    history.iter().any(|h| h.number == *r),
                    "revision {r} was reported saved but is missing"
                );
            }
            // Numbers stay dense: no gap, no duplicate.
            let mut numbers: Vec<u32> = history.iter().map(|h| h.number).collect();
            numbers.sort_unstable();
            assert_eq!(numbers, (1..=numbers.len() as u32).collect::<Vec<_>>());
        }
    }
    assert!(
        reported.len() >= 5,
        "too few saves happened: {}",
        reported.len()
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}

fn kill_group(pgid: i32) {
    // `kill -s KILL -- -PGID` (the process group) keeps this test free of unsafe code.
    let status = Command::new("kill")
        .args(["-s", "KILL", "--", &format!("-{pgid}")])
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -9 of group {pgid} failed");
}
