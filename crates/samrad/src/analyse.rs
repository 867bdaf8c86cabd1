//! `samrad analyse`: the analyses of the `analysis` crate on files, for checks from
//! outside. Inputs come as JSON Lines, one `{"id":"…","text":"…"}` a line; this
//! module reads and writes, the crate computes.

use anyhow::{Context, bail};
use clap::Subcommand;
use serde_json::json;
use std::collections::HashSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum AnalyseCommand {
    /// Group near-copies and campaign letters among inputs in a JSON Lines file of
    /// {"id":"…","text":"…"}; prints the groups of two or more.
    Duplicates {
        file: PathBuf,
        /// Print JSON: {"groups":[["id1","id7",…],…]}.
        #[arg(long)]
        json: bool,
        /// Also print each group's shared sentences and each member's differences.
        #[arg(long)]
        details: bool,
    },
    /// Flag personal data in the text read from standard input, with character offsets.
    PersonalData {
        /// Print JSON: {"findings":[{"kind","start","end","text"},…]}.
        #[arg(long)]
        json: bool,
    },
    /// Suggest themes for the inputs in a JSON Lines file.
    Themes {
        file: PathBuf,
        /// Print JSON: {"themes":[{"name","terms","members","accepted"},…]}.
        #[arg(long)]
        json: bool,
        /// A JSON file of accepted themes, [{"name":"…","terms":[…],"members":[…]},…],
        /// kept with their names and members.
        #[arg(long, value_name = "FILE")]
        accepted: Option<PathBuf>,
        /// At most this many new themes.
        #[arg(long, default_value_t = 8)]
        max_themes: usize,
    },
    /// Summarise the inputs in a JSON Lines file by sentences taken from them.
    Summary {
        file: PathBuf,
        /// Print JSON: {"sentences":[{"text","source","start","end","shared_by"},…]}.
        #[arg(long)]
        json: bool,
        /// How many sentences.
        #[arg(long, default_value_t = 5)]
        sentences: usize,
    },
}

pub fn run(command: AnalyseCommand) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match command {
        AnalyseCommand::Duplicates {
            file,
            json,
            details,
        } => {
            let inputs = read_inputs(&file)?;
            let groups = analysis::duplicates::group(&inputs, &Default::default());
            let ids: Vec<Vec<&str>> = groups
                .iter()
                .map(|g| g.iter().map(|i| inputs[*i].id.as_str()).collect())
                .collect();
            let described: Vec<analysis::duplicates::GroupDetails> = if details {
                groups
                    .iter()
                    .map(|g| analysis::duplicates::details(&inputs, g))
                    .collect()
            } else {
                Vec::new()
            };
            if json {
                let mut answer = json!({ "groups": ids });
                if details {
                    answer["details"] = serde_json::to_value(&described)?;
                }
                writeln!(out, "{}", serde_json::to_string(&answer)?)?;
            } else {
                for (n, group) in ids.iter().enumerate() {
                    writeln!(
                        out,
                        "{}. {} inputs: {}",
                        n + 1,
                        group.len(),
                        group.join(", ")
                    )?;
                    if let Some(d) = described.get(n) {
                        for s in &d.shared {
                            writeln!(out, "   = {s}")?;
                        }
                        for m in &d.members {
                            for s in &m.added {
                                writeln!(out, "   + {}: {s}", m.id)?;
                            }
                            for s in &m.missing {
                                writeln!(out, "   - {}: {s}", m.id)?;
                            }
                        }
                    }
                }
                writeln!(
                    out,
                    "{} groups of near-copies among {} inputs",
                    ids.len(),
                    inputs.len()
                )?;
            }
        }
        AnalyseCommand::PersonalData { json } => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("cannot read standard input as UTF-8 text")?;
            let findings = analysis::personal_data::find(&text);
            if json {
                let findings: Vec<_> = findings
                    .iter()
                    .map(|f| {
                        json!({
                            "kind": f.kind.as_str(),
                            "start": f.start,
                            "end": f.end,
                            "text": f.text,
                        })
                    })
                    .collect();
                writeln!(
                    out,
                    "{}",
                    serde_json::to_string(&json!({ "findings": findings }))?
                )?;
            } else {
                for f in &findings {
                    writeln!(
                        out,
                        "{}..{} {}{}: {}",
                        f.start,
                        f.end,
                        f.kind.as_str(),
                        f.category
                            .as_deref()
                            .map(|c| format!(" ({c})"))
                            .unwrap_or_default(),
                        f.text.replace('\n', " ")
                    )?;
                }
            }
        }
        AnalyseCommand::Themes {
            file,
            json,
            accepted,
            max_themes,
        } => {
            let inputs = read_inputs(&file)?;
            let accepted: Vec<analysis::themes::AcceptedTheme> = match accepted {
                None => Vec::new(),
                Some(path) => {
                    let text = std::fs::read_to_string(&path)
                        .with_context(|| format!("cannot read {}", path.display()))?;
                    serde_json::from_str(&text).map_err(|e| {
                        anyhow::anyhow!(
                            "{}: expected a list of {{\"name\",\"terms\",\"members\"}}: {e}",
                            path.display()
                        )
                    })?
                }
            };
            let options = analysis::themes::Options {
                max_themes,
                ..Default::default()
            };
            let themes = analysis::themes::suggest(&inputs, &accepted, &options);
            if json {
                writeln!(
                    out,
                    "{}",
                    serde_json::to_string(&json!({ "themes": themes }))?
                )?;
            } else {
                for t in &themes {
                    let state = if t.accepted { "accepted" } else { "suggested" };
                    writeln!(
                        out,
                        "{} ({state}, {} inputs): {}",
                        t.name,
                        t.members.len(),
                        t.members.join(", ")
                    )?;
                }
            }
        }
        AnalyseCommand::Summary {
            file,
            json,
            sentences,
        } => {
            let inputs = read_inputs(&file)?;
            let options = analysis::summary::Options {
                sentences,
                ..Default::default()
            };
            let summary = analysis::summary::summarise(&inputs, &options);
            if json {
                let sentences: Vec<_> = summary
                    .iter()
                    .map(|s| {
                        json!({
                            "text": s.text,
                            "source": s.source,
                            "start": s.start,
                            "end": s.end,
                            "shared_by": s.shared_by,
                        })
                    })
                    .collect();
                writeln!(
                    out,
                    "{}",
                    serde_json::to_string(&json!({ "sentences": sentences }))?
                )?;
            } else {
                for s in &summary {
                    writeln!(
                        out,
                        "- {} [{}, shared by {}]",
                        s.text.replace('\n', " "),
                        s.source,
                        s.shared_by
                    )?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The inputs of a JSON Lines file; a bad line is named by its number.
fn read_inputs(file: &Path) -> anyhow::Result<Vec<analysis::Input>> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let mut inputs = Vec::new();
    let mut ids = HashSet::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let input: analysis::Input = serde_json::from_str(line).map_err(|e| {
            anyhow::anyhow!(
                "{} line {}: expected {{\"id\":\"…\",\"text\":\"…\"}} ({e})",
                file.display(),
                n + 1
            )
        })?;
        if !ids.insert(input.id.clone()) {
            bail!(
                "{} line {}: the id {:?} is used twice",
                file.display(),
                n + 1,
                input.id
            );
        }
        inputs.push(input);
    }
    Ok(inputs)
}
