//! Times the grouping of a JSON Lines file of `{"id","text"}` (as written by
//! `tests/bench/analyse_duplicates.py --keep FILE`), without the rest of the binary:
//!
//!     cargo run --release -p analysis --example group_jsonl -- FILE
//!
//! Prints one JSON line: inputs, groups, and the seconds spent parsing and grouping.

use std::io::Write;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("give a JSON Lines file")?;
    let text = std::fs::read_to_string(&path)?;
    let started = Instant::now();
    let inputs: Vec<analysis::Input> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    let parsed = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let groups = analysis::duplicates::group(&inputs, &Default::default());
    let grouped = started.elapsed().as_secs_f64();
    writeln!(
        std::io::stdout().lock(),
        "{}",
        serde_json::json!({
            "inputs": inputs.len(),
            "groups": groups.len(),
            "parse_seconds": (parsed * 100.0).round() / 100.0,
            "group_seconds": (grouped * 100.0).round() / 100.0,
        })
    )?;
    Ok(())
}
