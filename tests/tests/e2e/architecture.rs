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
