//! The dependency rules of ARCHITECTURE.md, checked against `cargo metadata`.

use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::process::Command;

struct Graph {
    /// package name → names of its normal (non-dev, non-build) dependencies.
    direct: HashMap<String, BTreeSet<String>>,
    workspace: BTreeSet<String>,
}

impl Graph {
    fn load() -> &'static Graph {
        static GRAPH: std::sync::OnceLock<Graph> = std::sync::OnceLock::new();
        GRAPH.get_or_init(Graph::read)
    }

    fn read() -> Graph {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let output = Command::new(cargo)
            .args(["metadata", "--format-version", "1", "--locked"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("cargo metadata runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let meta: Value = serde_json::from_slice(&output.stdout).expect("metadata JSON");
        let names: HashMap<String, String> = meta["packages"]
            .as_array()
            .expect("packages")
            .iter()
            .map(|p| {
                (
                    p["id"].as_str().expect("id").to_owned(),
                    p["name"].as_str().expect("name").to_owned(),
                )
            })
            .collect();
        let workspace = meta["workspace_members"]
            .as_array()
            .expect("members")
            .iter()
            .map(|id| names[id.as_str().expect("id")].clone())
            .collect();
        let mut direct: HashMap<String, BTreeSet<String>> = HashMap::new();
        for node in meta["resolve"]["nodes"].as_array().expect("resolve") {
            let name = names[node["id"].as_str().expect("id")].clone();
            let deps = node["deps"]
                .as_array()
                .expect("deps")
                .iter()
                .filter(|d| {
                    d["dep_kinds"]
                        .as_array()
                        .expect("kinds")
                        .iter()
                        .any(|k| k["kind"].is_null())
                })
                .map(|d| names[d["pkg"].as_str().expect("pkg")].clone())
                .collect();
            direct
                .entry(name)
                .or_default()
                .extend::<BTreeSet<String>>(deps);
        }
        Graph { direct, workspace }
    }

    fn transitive(&self, package: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![package.to_owned()];
        while let Some(p) = stack.pop() {
            for d in self.direct.get(&p).into_iter().flatten() {
                if seen.insert(d.clone()) {
                    stack.push(d.clone());
                }
            }
        }
        seen
    }
}

#[test]
fn domain_depends_on_no_workspace_crate_and_no_io_framework() {
    let g = Graph::load();
    let all = g.transitive("domain");
    let workspace: Vec<_> = all.intersection(&g.workspace).collect();
    assert!(workspace.is_empty(), "domain depends on {workspace:?}");
    for forbidden in ["axum", "sea-orm", "tokio", "lettre", "sqlx"] {
        assert!(
            !all.contains(forbidden),
            "domain depends (maybe indirectly) on {forbidden}"
        );
    }
}

#[test]
fn hub_never_touches_the_database() {
    let g = Graph::load();
    let all = g.transitive("hub");
    for forbidden in ["db", "sea-orm", "migrations"] {
        assert!(!all.contains(forbidden), "hub depends on {forbidden}");
    }
}

#[test]
fn notify_never_depends_on_axum() {
    let g = Graph::load();
    assert!(!g.transitive("notify").contains("axum"));
}

#[test]
fn only_db_and_migrations_use_sea_orm_directly() {
    let g = Graph::load();
    for package in &g.workspace {
        let direct = &g.direct[package];
        if direct.contains("sea-orm") || direct.contains("sea-orm-migration") {
            assert!(
                package == "db" || package == "migrations",
                "{package} depends on sea-orm directly"
            );
        }
    }
}

#[test]
fn layers_point_down() {
    let g = Graph::load();
    // Nothing but the binary and the end-to-end tests may depend on the server;
    // nothing may depend on the binary.
    for package in &g.workspace {
        let direct = &g.direct[package];
        if direct.contains("server") {
            assert!(
                package == "samrad" || package == "tests",
                "{package} depends on server"
            );
        }
        assert!(
            !direct.contains("samrad"),
            "{package} depends on the binary"
        );
    }
    let i18n: BTreeSet<_> = g.direct["i18n"]
        .intersection(&g.workspace)
        .cloned()
        .collect();
    assert_eq!(
        i18n,
        BTreeSet::from(["domain".to_owned()]),
        "i18n may depend on domain only"
    );
}

#[test]
fn importer_has_no_io_framework_and_depends_only_on_domain() {
    let g = Graph::load();
    let workspace: BTreeSet<_> = g.direct["importer"]
        .intersection(&g.workspace)
        .cloned()
        .collect();
    assert_eq!(workspace, BTreeSet::from(["domain".to_owned()]));
    let all = g.transitive("importer");
    for forbidden in ["axum", "sea-orm", "tokio", "lettre", "sqlx"] {
        assert!(!all.contains(forbidden), "importer depends on {forbidden}");
    }
}

#[test]
fn the_consultation_service_knows_no_http_and_no_pages() {
    let g = Graph::load();
    let all = g.transitive("consultation");
    for forbidden in [
        "axum",
        "axum-core",
        "tower",
        "tower-http",
        "hyper",
        "minijinja",
        "lettre",
        "server",
        "hub",
        "notify",
        "i18n",
    ] {
        assert!(
            !all.contains(forbidden),
            "consultation depends (maybe indirectly) on {forbidden}"
        );
    }
    let workspace: BTreeSet<_> = g.direct["consultation"]
        .intersection(&g.workspace)
        .cloned()
        .collect();
    let allowed: BTreeSet<String> = ["db", "domain", "importer", "markup", "analysis"]
        .map(str::to_owned)
        .into_iter()
        .collect();
    assert!(
        workspace.is_subset(&allowed) && workspace.contains("db") && workspace.contains("domain"),
        "the consultation service stands on storage, the domain and the pure crates only: {workspace:?}"
    );
    // The server is the only HTTP adapter over it.
    assert!(g.direct["server"].contains("consultation"));
}

#[test]
fn markup_depends_only_on_domain_and_does_no_io() {
    let g = Graph::load();
    let workspace: BTreeSet<_> = g.direct["markup"]
        .intersection(&g.workspace)
        .cloned()
        .collect();
    assert_eq!(workspace, BTreeSet::from(["domain".to_owned()]));
    let all = g.transitive("markup");
    for forbidden in ["axum", "sea-orm", "tokio", "lettre", "sqlx"] {
        assert!(!all.contains(forbidden), "markup depends on {forbidden}");
    }
}

#[test]
fn analysis_depends_only_on_domain_and_does_no_io() {
    let g = Graph::load();
    let workspace: BTreeSet<_> = g.direct["analysis"]
        .intersection(&g.workspace)
        .cloned()
        .collect();
    assert_eq!(workspace, BTreeSet::from(["domain".to_owned()]));
    let all = g.transitive("analysis");
    for forbidden in [
        "axum", "sea-orm", "tokio", "lettre", "sqlx", "reqwest", "hyper",
    ] {
        assert!(!all.contains(forbidden), "analysis depends on {forbidden}");
    }
    // Only the consultation service and the binary use it.
    for package in &g.workspace {
        if g.direct[package].contains("analysis") {
            assert!(
                ["consultation", "samrad", "tests"].contains(&package.as_str()),
                "{package} depends on analysis"
            );
        }
    }
}

/// The server's top-level modules and the ones each imports (`crate::<module>`).
fn server_modules() -> HashMap<String, BTreeSet<String>> {
    fn walk(dir: &std::path::Path, files: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("read the server's sources") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, files);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/server/src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    let mut graph: HashMap<String, BTreeSet<String>> = HashMap::new();
    for file in files {
        let relative = file.strip_prefix(&src).expect("under src");
        let top = relative
            .components()
            .next()
            .expect("a component")
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned();
        if top == "lib" {
            continue; // the root wires every module together
        }
        let text = std::fs::read_to_string(&file).expect("read");
        assert!(
            !text.contains("use crate::{"),
            "{}: name imported modules one by one, so the map below sees them",
            relative.display()
        );
        let imports = graph.entry(top.clone()).or_default();
        for (at, _) in text.match_indices("crate::") {
            let name: String = text[at + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if !name.is_empty() && name != top {
                imports.insert(name);
            }
        }
    }
    graph
}

/// Shared infrastructure of the HTTP adapter; everything else is a feature folder.
const SERVER_INFRASTRUCTURE: &[&str] = &[
    "app", "auth", "demo", "error", "live", "ops", "security", "serve", "state", "web",
];
/// Modules that wire every feature together (the router and the OpenAPI document).
const SERVER_WIRING: &[&str] = &["openapi"];

#[test]
fn server_features_import_no_circle_and_infrastructure_imports_no_feature() {
    let graph = server_modules();
    let is_feature = |m: &str| !SERVER_INFRASTRUCTURE.contains(&m) && !SERVER_WIRING.contains(&m);
    for (module, imports) in &graph {
        if SERVER_INFRASTRUCTURE.contains(&module.as_str()) {
            let features: Vec<_> = imports.iter().filter(|m| is_feature(m)).collect();
            assert!(
                features.is_empty(),
                "infrastructure module {module} imports features {features:?}"
            );
        }
        if is_feature(module) {
            assert!(
                !imports.iter().any(|m| SERVER_WIRING.contains(&m.as_str())),
                "feature {module} imports the wiring"
            );
        }
    }
    // Depth-first search for a circle among the features.
    fn visit(
        module: &str,
        graph: &HashMap<String, BTreeSet<String>>,
        is_feature: &dyn Fn(&str) -> bool,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if done.contains(module) {
            return;
        }
        if let Some(at) = path.iter().position(|m| m == module) {
            panic!("import circle between features: {:?}", &path[at..]);
        }
        path.push(module.to_owned());
        for next in graph.get(module).into_iter().flatten() {
            if is_feature(next) {
                visit(next, graph, is_feature, path, done);
            }
        }
        path.pop();
        done.insert(module.to_owned());
    }
    let mut done = BTreeSet::new();
    for module in graph.keys().filter(|m| is_feature(m)) {
        visit(module, &graph, &is_feature, &mut Vec::new(), &mut done);
    }
    assert!(done.len() >= 7, "the feature folders were found: {done:?}");
}

/// Storage methods that change something, by the verb their name starts with.
const WRITING_VERBS: &[&str] = &[
    "accept_",
    "add_",
    "anonymise_",
    "cancel_",
    "claim_",
    "confirm_",
    "create_",
    "delete_",
    "edit_",
    "end_",
    "enqueue_",
    "ensure_",
    "extend_",
    "invite",
    "mark_",
    "moderate_",
    "post_",
    "publish_",
    "record_",
    "redeem_",
    "remove_",
    "report_",
    "resend_",
    "revoke_",
    "set_",
    "sign_in_with_",
    "submit_",
    "transition_",
    "update_",
];

/// Server files that may write through `db` themselves: wiring (start-up,
/// migrations, the demo data) and the HTTP session that is the adapter's own state.
const SERVER_MAY_WRITE: &[&str] = &["app.rs", "demo.rs", "auth/"];

#[test]
fn the_server_writes_only_through_the_consultation_service() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut writing = BTreeSet::new();
    for entry in std::fs::read_dir(root.join("crates/db/src/repo")).expect("db repositories") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("read");
        for (at, _) in text.match_indices("pub async fn ") {
            let name: String = text[at + "pub async fn ".len()..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                .collect();
            if WRITING_VERBS.iter().any(|verb| name.starts_with(verb)) {
                writing.insert(name);
            }
        }
    }
    assert!(
        writing.contains("post_comment") && writing.contains("create_hearing"),
        "the storage's writing methods were found: {writing:?}"
    );
    let src = root.join("crates/server/src");
    let mut files = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut found = Vec::new();
    for file in files {
        let relative = file
            .strip_prefix(&src)
            .expect("under src")
            .to_string_lossy()
            .replace('\\', "/");
        if SERVER_MAY_WRITE
            .iter()
            .any(|allowed| relative.starts_with(allowed))
        {
            continue;
        }
        // Whitespace removed, so calls split over lines read as one.
        let text: String = std::fs::read_to_string(&file)
            .expect("read")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        for name in &writing {
            for receiver in ["db().", "db."] {
                if text.contains(&format!("{receiver}{name}(")) {
                    found.push(format!("{relative}: {receiver}{name}("));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "the server writes through db instead of a use case: {found:#?}"
    );
}

/// The feature folders of the HTTP adapter neither read nor name storage: every page
/// and API answer comes from a use case of the consultation service. Only the
/// infrastructure (sessions, the live history, health checks, error mapping) and the
/// wiring reach `db` themselves.
#[test]
fn server_features_reach_storage_only_through_the_consultation_service() {
    let graph = server_modules();
    let features: Vec<&String> = graph
        .keys()
        .filter(|m| {
            !SERVER_INFRASTRUCTURE.contains(&m.as_str()) && !SERVER_WIRING.contains(&m.as_str())
        })
        .collect();
    assert!(
        features.len() >= 7,
        "the feature folders were found: {features:?}"
    );
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/server/src");
    let mut found = Vec::new();
    for feature in features {
        let folder = src.join(feature);
        let mut files = vec![src.join(format!("{feature}.rs"))];
        let mut stack = vec![folder];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    files.push(path);
                }
            }
        }
        for file in files.into_iter().filter(|f| f.is_file()) {
            let text = std::fs::read_to_string(&file).expect("read");
            // Whitespace removed, so `state\n.db()` over two lines reads as one call.
            let joined: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            let relative = file
                .strip_prefix(&src)
                .expect("under src")
                .display()
                .to_string();
            let uses: Vec<usize> = text
                .match_indices("db::")
                // `db::` as a path of its own, not the end of a longer name.
                .filter(|(at, _)| {
                    !text[..*at]
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_')
                })
                .map(|(at, _)| at)
                .collect();
            for at in uses {
                let excerpt: String = text[at..].chars().take(40).collect();
                found.push(format!("{relative}: {excerpt}"));
            }
            for (at, _) in joined.match_indices(".db()") {
                let excerpt: String = joined[at..].chars().take(40).collect();
                found.push(format!("{relative}: {excerpt}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "feature folders reach storage instead of calling a use case: {found:#?}"
    );
}

/// Every metric the code records is explained in `docs/operations.md`, so the people
/// who run Samråd can alert on it.
#[test]
fn every_metric_is_documented_for_operators() {
    fn walk(dir: &std::path::Path, names: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).expect("read the sources") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, names);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("source");
                for kind in ["counter!(", "gauge!(", "histogram!("] {
                    for (at, _) in text.match_indices(kind) {
                        let rest = text[at + kind.len()..].trim_start();
                        if let Some(name) = rest
                            .strip_prefix('"')
                            .and_then(|r| r.split('"').next())
                            .filter(|n| n.starts_with("samrad_"))
                        {
                            names.insert(name.to_owned());
                        }
                    }
                }
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut names = BTreeSet::new();
    walk(&root.join("crates"), &mut names);
    assert!(names.len() >= 20, "found the metrics: {names:?}");
    let docs = std::fs::read_to_string(root.join("docs/operations.md")).expect("docs");
    let missing: Vec<&String> = names
        .iter()
        .filter(|name| {
            !docs.contains(&format!("`{name}`")) && !docs.contains(&format!("`{name}{{"))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "docs/operations.md does not explain {missing:?}"
    );
}
