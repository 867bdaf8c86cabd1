//! `samrad analyse` as checks from outside use it: the real binary, JSON on
//! standard output in the documented shapes, one-line errors and a non-zero exit.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn samrad(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_samrad"))
        .args(args)
        .env_remove("SAMRAD_DATABASE_URL")
        .env_remove("SAMRAD_CONFIG")
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("samrad runs");
    {
        let mut input = child.stdin.take().expect("stdin");
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).expect("write stdin");
        }
    }
    child.wait_with_output().expect("samrad ends")
}

fn json_of(output: &Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

fn one_line_error(output: &Output) -> String {
    assert!(!output.status.success(), "expected failure");
    assert!(output.stdout.is_empty(), "nothing printed on failure");
    let stderr = String::from_utf8_lossy(&output.stderr).trim().to_owned();
    assert_eq!(stderr.lines().count(), 1, "not one line: {stderr}");
    assert!(stderr.starts_with("samrad: "), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

fn jsonl(name: &str, lines: &[(&str, &str)]) -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "samrad-analyse-{}-{name}.jsonl",
        std::process::id()
    ));
    let text: String = lines
        .iter()
        .map(|(id, text)| serde_json::json!({"id": id, "text": text}).to_string() + "\n")
        .collect();
    std::fs::write(&path, text).expect("write the inputs");
    path
}

const LETTER: &str = "Vi seier nei til den nye vegen gjennom Fjordvik sentrum. \
    Vegen vil øydeleggje turområdet ved elva og auke trafikken forbi skulen. \
    Kommunen må heller satse på kollektivtrafikk og trygge gang- og sykkelvegar. \
    Vi ber om at planen blir send tilbake og at innbyggjarane blir høyrde.";

fn inputs() -> Vec<(&'static str, String)> {
    vec![
        ("a", LETTER.to_owned()),
        ("b", "Barnehagen på Nordheim treng fleire plassar, og ventelistene er lange. Barnehagen må byggjast ut.".to_owned()),
        ("c", format!("{}\n\nEg bur sjølv ved elva og går der kvar dag.", LETTER.replace("nye", "planlagde"))),
        ("d", "Eg ønskjer ein ny idrettshall i bygda, for ungdomen har ingen stad å vere om kvelden.".to_owned()),
        ("e", LETTER.to_uppercase().replace(". ", ".\n")),
        ("f", "Fleire barnehageplassar trengst på Nordheim, barnehagen er for liten.".to_owned()),
    ]
}

#[test]
fn duplicates_prints_the_groups_of_near_copies() {
    let owned = inputs();
    let lines: Vec<(&str, &str)> = owned.iter().map(|(i, t)| (*i, t.as_str())).collect();
    let file = jsonl("dup", &lines);
    let json = json_of(&samrad(
        &["analyse", "duplicates", file.to_str().unwrap(), "--json"],
        None,
    ));
    assert_eq!(json, serde_json::json!({"groups": [["a", "c", "e"]]}));

    let json = json_of(&samrad(
        &[
            "analyse",
            "duplicates",
            file.to_str().unwrap(),
            "--json",
            "--details",
        ],
        None,
    ));
    let details = &json["details"][0];
    assert_eq!(
        details["shared"].as_array().map(Vec::len),
        Some(4),
        "{json}"
    );
    assert_eq!(
        details["members"][1]["added"][1],
        "Eg bur sjølv ved elva og går der kvar dag."
    );
}

#[test]
fn bad_input_files_are_refused_in_one_line() {
    let file =
        std::env::temp_dir().join(format!("samrad-analyse-{}-bad.jsonl", std::process::id()));
    std::fs::write(&file, "{\"id\":\"a\",\"text\":\"Hei\"}\n\n{\"id\":\"b\"}\n").unwrap();
    let err = one_line_error(&samrad(
        &["analyse", "duplicates", file.to_str().unwrap(), "--json"],
        None,
    ));
    assert!(err.contains("line 3"), "{err}");

    std::fs::write(
        &file,
        "{\"id\":\"a\",\"text\":\"Hei\"}\n{\"id\":\"a\",\"text\":\"Hå\"}\n",
    )
    .unwrap();
    let err = one_line_error(&samrad(
        &["analyse", "themes", file.to_str().unwrap(), "--json"],
        None,
    ));
    assert!(err.contains("line 2") && err.contains("twice"), "{err}");

    std::fs::write(&file, "not json\n").unwrap();
    let err = one_line_error(&samrad(
        &["analyse", "summary", file.to_str().unwrap(), "--json"],
        None,
    ));
    assert!(err.contains("line 1"), "{err}");

    std::fs::write(&file, [0xff, 0xfe, b'\n']).unwrap();
    one_line_error(&samrad(
        &["analyse", "duplicates", file.to_str().unwrap()],
        None,
    ));

    let err = one_line_error(&samrad(
        &["analyse", "duplicates", "/no/such/file.jsonl", "--json"],
        None,
    ));
    assert!(err.contains("cannot read"), "{err}");
}

#[test]
fn personal_data_reads_standard_input_and_gives_character_offsets() {
    // Letters outside ASCII before the findings: byte and character offsets differ.
    let text = "Frå Åse på Ødegård: fødselsnummer 01019012480, ikkje 01019012481. \
        Ring 412 34 567 eller skriv til åse@døme.no. Adresse: Storgata 12B, 0150 Oslo. \
        Eg har diagnosen diabetes. Budsjettet er 12 500 000 kroner frå 2024.";
    let json = json_of(&samrad(&["analyse", "personal-data", "--json"], Some(text)));
    let chars: Vec<char> = text.chars().collect();
    let findings = json["findings"].as_array().expect("findings");
    let got: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f["kind"].as_str().unwrap(), f["text"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            ("national_id", "01019012480"),
            ("phone", "412 34 567"),
            ("email", "åse@døme.no"),
            ("address", "Storgata 12B, 0150 Oslo"),
            ("special_category", "diagnosen"),
            ("special_category", "diabetes"),
        ]
    );
    for f in findings {
        let (start, end) = (
            f["start"].as_u64().unwrap() as usize,
            f["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            chars[start..end].iter().collect::<String>(),
            f["text"].as_str().unwrap()
        );
        let keys: Vec<&String> = f.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 4, "{f}");
    }
    let empty = json_of(&samrad(
        &["analyse", "personal-data", "--json"],
        Some("Ingenting her."),
    ));
    assert_eq!(empty, serde_json::json!({"findings": []}));
}

#[test]
fn themes_and_summary_name_their_inputs() {
    let owned = inputs();
    let lines: Vec<(&str, &str)> = owned.iter().map(|(i, t)| (*i, t.as_str())).collect();
    let file = jsonl("themes", &lines);
    let json = json_of(&samrad(
        &["analyse", "themes", file.to_str().unwrap(), "--json"],
        None,
    ));
    let themes = json["themes"].as_array().expect("themes");
    assert!(!themes.is_empty(), "{json}");
    let ids: Vec<&str> = owned.iter().map(|(i, _)| *i).collect();
    for t in themes {
        assert!(t["name"].as_str().is_some_and(|n| !n.is_empty()));
        assert_eq!(t["accepted"], false);
        for m in t["members"].as_array().unwrap() {
            assert!(ids.contains(&m.as_str().unwrap()), "{m}");
        }
    }
    // The barnehage inputs are together.
    assert!(
        themes
            .iter()
            .any(|t| t["members"] == serde_json::json!(["b", "f"])),
        "{json}"
    );

    // An accepted theme keeps its name and members.
    let accepted = std::env::temp_dir().join(format!(
        "samrad-analyse-{}-accepted.json",
        std::process::id()
    ));
    std::fs::write(
        &accepted,
        r#"[{"name":"Barnehagar","terms":["barnehage"],"members":["b"]}]"#,
    )
    .unwrap();
    let json = json_of(&samrad(
        &[
            "analyse",
            "themes",
            file.to_str().unwrap(),
            "--json",
            "--accepted",
            accepted.to_str().unwrap(),
        ],
        None,
    ));
    assert_eq!(json["themes"][0]["name"], "Barnehagar");
    assert_eq!(json["themes"][0]["accepted"], true);
    assert_eq!(json["themes"][0]["members"], serde_json::json!(["b", "f"]));

    let json = json_of(&samrad(
        &["analyse", "summary", file.to_str().unwrap(), "--json"],
        None,
    ));
    let sentences = json["sentences"].as_array().expect("sentences");
    assert!(!sentences.is_empty(), "{json}");
    for s in sentences {
        let source = owned
            .iter()
            .find(|(id, _)| *id == s["source"].as_str().unwrap())
            .expect("a real input");
        let chars: Vec<char> = source.1.chars().collect();
        let (start, end) = (
            s["start"].as_u64().unwrap() as usize,
            s["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            chars[start..end].iter().collect::<String>(),
            s["text"].as_str().unwrap()
        );
        assert!(s["shared_by"].as_u64().unwrap() >= 1);
    }
    // The campaign's point is shared by its three copies.
    assert!(
        sentences.iter().any(|s| s["shared_by"].as_u64() >= Some(3)),
        "{json}"
    );
}
