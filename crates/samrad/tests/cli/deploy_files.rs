//! The deployment files in `deploy/` held to the binary: every setting they name is one
//! the binary knows (checked by `samrad config --strict`, which refuses unknown keys and
//! variables), every command they run exists, and the ports, health checks and
//! upstreams agree with each other. The container image itself is not built here.

use super::{samrad, spawn_serve, temp_dir};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn deploy(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../deploy")
        .join(file)
}

fn read(file: &str) -> String {
    std::fs::read_to_string(deploy(file)).unwrap_or_else(|e| panic!("deploy/{file}: {e}"))
}

/// `samrad config --strict` with exactly these variables (nothing from this process).
fn config_with(env: &BTreeMap<String, String>, config_file: Option<&Path>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_samrad"));
    command.env_clear().current_dir(std::env::temp_dir());
    if let Some(file) = config_file {
        command.arg("--config").arg(file);
    }
    command
        .args(["config", "--strict"])
        .envs(env)
        .output()
        .expect("samrad runs")
}

fn settings_of(output: &Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "refused: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("config prints JSON");
    printed["settings"].clone()
}

/// `${NAME:?message}` and `${NAME:-default}` as compose expands them, with a value for
/// the required secret.
fn interpolate(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').expect("closed ${…}") + start;
        let inner = &rest[start + 2..end];
        if let Some((_, default)) = inner.split_once(":-") {
            out.push_str(default);
        } else {
            assert!(
                inner.contains(":?"),
                "a variable with no default must be required: {inner}"
            );
            out.push_str("test-secret");
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

struct Compose(yaml_serde::Value);

impl Compose {
    fn load() -> Compose {
        let mut value: yaml_serde::Value =
            yaml_serde::from_str(&read("compose.yaml")).expect("compose.yaml is YAML");
        value.apply_merge().expect("merge keys resolve");
        Compose(value)
    }

    fn service(&self, name: &str) -> &yaml_serde::Value {
        let service = &self.0["services"][name];
        assert!(service.is_mapping(), "compose.yaml has no service {name}");
        service
    }

    fn environment(&self, name: &str) -> BTreeMap<String, String> {
        let mut env = BTreeMap::new();
        if let Some(map) = self.service(name)["environment"].as_mapping() {
            for (key, value) in map {
                let value = match value {
                    yaml_serde::Value::String(s) => s.clone(),
                    other => yaml_serde::to_string(other)
                        .expect("scalar")
                        .trim()
                        .to_owned(),
                };
                env.insert(
                    key.as_str().expect("variable name").to_owned(),
                    interpolate(&value),
                );
            }
        }
        env
    }

    fn command(&self, name: &str) -> Vec<String> {
        self.service(name)["command"]
            .as_sequence()
            .unwrap_or_else(|| panic!("{name} has a command list"))
            .iter()
            .map(|part| part.as_str().expect("string").to_owned())
            .collect()
    }
}

fn assert_subcommand_exists(words: &[String]) {
    let mut args: Vec<&str> = words.iter().map(String::as_str).collect();
    args.push("--help");
    let output = samrad(&args);
    assert!(
        output.status.success(),
        "samrad {words:?} is not a command: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn port_of(bind: &str) -> &str {
    bind.rsplit(':').next().expect("host:port")
}

#[test]
fn compose_runs_two_web_processes_and_one_worker_with_settings_the_binary_knows() {
    let compose = Compose::load();
    for web in ["samrad-a", "samrad-b"] {
        assert_eq!(compose.command(web), ["serve"]);
        let settings = settings_of(&config_with(&compose.environment(web), None));
        assert_eq!(settings["database"], "database_url", "{web}: {settings}");
        assert_eq!(settings["database_url"], "(set, not shown)");
        assert_eq!(settings["emails"], "smtp");
        assert_eq!(settings["bind"], "0.0.0.0:8080");
        assert_eq!(
            settings["embedded_worker"], false,
            "the web processes leave emails to the worker service"
        );
        assert!(
            settings["base_url"]
                .as_str()
                .is_some_and(|u| u.starts_with("https://")),
            "{settings}"
        );
    }
    assert_eq!(compose.command("worker"), ["worker"]);
    settings_of(&config_with(&compose.environment("worker"), None));
    assert_eq!(compose.command("migrate"), ["migrate"]);
    settings_of(&config_with(&compose.environment("migrate"), None));
    for service in ["samrad-a", "worker", "migrate"] {
        assert_subcommand_exists(&compose.command(service));
    }
    // The databases the processes use are the one PostgreSQL service of the file.
    let database = &compose.environment("samrad-a")["SAMRAD_DATABASE_URL"];
    assert!(database.contains("@postgres:5432/"), "{database}");
    assert!(compose.service("postgres")["healthcheck"].is_mapping());
    let smtp = &compose.environment("samrad-a")["SAMRAD_SMTP_URL"];
    let mail_host = smtp
        .trim_start_matches("smtp://")
        .split(':')
        .next()
        .expect("host");
    compose.service(mail_host);
}

#[test]
fn a_misspelt_setting_is_refused_by_the_check_the_deploy_test_relies_on() {
    let mut env = BTreeMap::new();
    env.insert("SAMRAD_EMBEDED_WORKER".to_owned(), "false".to_owned());
    let output = config_with(&env, None);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("SAMRAD_EMBEDED_WORKER"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}

#[test]
fn the_proxy_balances_over_the_web_services_on_the_port_they_bind() {
    let compose = Compose::load();
    let caddyfile = read("Caddyfile");
    let mounted = compose.service("proxy")["volumes"]
        .as_sequence()
        .expect("volumes")
        .iter()
        .filter_map(|v| v.as_str())
        .any(|v| v.starts_with("./Caddyfile:/etc/caddy/Caddyfile"));
    assert!(mounted, "the proxy reads deploy/Caddyfile");
    let upstreams: Vec<&str> = caddyfile
        .lines()
        .map(str::trim)
        .find_map(|line| line.strip_prefix("reverse_proxy "))
        .expect("a reverse_proxy line")
        .trim_end_matches('{')
        .split_whitespace()
        .collect();
    assert_eq!(upstreams.len(), 2, "{upstreams:?}");
    for upstream in upstreams {
        let (host, port) = upstream.split_once(':').expect("host:port");
        assert_eq!(compose.command(host), ["serve"], "{host} is a web process");
        assert_eq!(port, port_of(&compose.environment(host)["SAMRAD_BIND"]));
    }
    assert!(caddyfile.contains("health_uri /readyz"), "{caddyfile}");
}

struct Dockerfile {
    env: BTreeMap<String, String>,
    expose: String,
    health_url: String,
    entrypoint: String,
    cmd: Vec<String>,
    user: String,
    installed_to: String,
}

fn json_words(text: &str) -> Vec<String> {
    serde_json::from_str(text.trim()).expect("exec form [\"…\"]")
}

impl Dockerfile {
    fn load() -> Dockerfile {
        // Joins continued lines, then reads the instructions of the last stage.
        let text = read("Dockerfile").replace("\\\n", " ");
        let last_stage = text.rsplit("\nFROM ").next().expect("stages");
        let mut file = Dockerfile {
            env: BTreeMap::new(),
            expose: String::new(),
            health_url: String::new(),
            entrypoint: String::new(),
            cmd: Vec::new(),
            user: String::new(),
            installed_to: String::new(),
        };
        for line in last_stage.lines().map(str::trim) {
            let (instruction, rest) = line.split_once(' ').unwrap_or((line, ""));
            match instruction {
                "ENV" => {
                    for pair in rest.split_whitespace() {
                        let (key, value) = pair.split_once('=').expect("ENV KEY=value");
                        file.env.insert(key.to_owned(), value.to_owned());
                    }
                }
                "EXPOSE" => file.expose = rest.trim().to_owned(),
                "HEALTHCHECK" => {
                    file.health_url = rest
                        .split_whitespace()
                        .find(|w| w.starts_with("http://"))
                        .expect("the health check asks a URL")
                        .to_owned();
                }
                "ENTRYPOINT" => file.entrypoint = json_words(rest).concat(),
                "CMD" => file.cmd = json_words(rest),
                "USER" => file.user = rest.trim().to_owned(),
                "COPY" if rest.contains("--from=build") => {
                    file.installed_to = rest.split_whitespace().last().expect("dest").to_owned();
                }
                _ => {}
            }
        }
        file
    }
}

#[test]
fn the_image_runs_the_binary_unprivileged_with_known_settings_and_a_real_health_check() {
    let image = Dockerfile::load();
    assert!(
        !image.user.is_empty() && !image.user.starts_with("root") && !image.user.starts_with('0'),
        "the image runs as a user without privileges: {:?}",
        image.user
    );
    assert_eq!(image.entrypoint, image.installed_to);
    assert_subcommand_exists(&image.cmd);
    let settings = settings_of(&config_with(&image.env, None));
    let bind = settings["bind"].as_str().expect("bind").to_owned();
    assert_eq!(image.expose, port_of(&bind));
    let health = image
        .health_url
        .strip_prefix("http://127.0.0.1:")
        .expect("the health check asks the container itself");
    let (port, path) = health.split_once('/').expect("port/path");
    assert_eq!(port, port_of(&bind));

    // The path answers 200 on a real server, which here also runs without its
    // embedded worker as the compose file's web processes do.
    let dir = temp_dir();
    let (mut child, address, log) = spawn_serve(&dir, &[("SAMRAD_EMBEDDED_WORKER", "false")]);
    let response = super::http_get(&address, &format!("/{path}"));
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        response.starts_with("HTTP/1.0 200") || response.starts_with("HTTP/1.1 200"),
        "{path}: {response}"
    );
    assert!(log.contains("separate `samrad worker`"), "{log}");
}

#[test]
fn the_systemd_units_run_known_commands_as_an_unprivileged_user_writing_only_the_data_folder() {
    let example = deploy("samrad.example.toml");
    let settings = settings_of(&config_with(&BTreeMap::new(), Some(&example)));
    let data_dir = settings["data_dir"].as_str().expect("data_dir").to_owned();
    for (unit, command) in [
        ("samrad.service", "serve"),
        ("samrad-worker.service", "worker"),
    ] {
        let text = read(unit);
        let value = |key: &str| -> Vec<String> {
            text.lines()
                .filter_map(|line| line.strip_prefix(&format!("{key}=")))
                .map(str::to_owned)
                .collect()
        };
        let exec = value("ExecStart").concat();
        let words: Vec<String> = exec.split_whitespace().map(str::to_owned).collect();
        assert_eq!(
            words.last().map(String::as_str),
            Some(command),
            "{unit}: {exec}"
        );
        assert_subcommand_exists(&words[words.len() - 1..]);
        assert_eq!(value("User"), ["samrad"], "{unit}");
        assert_eq!(value("ProtectSystem"), ["strict"], "{unit}");
        assert_eq!(value("NoNewPrivileges"), ["true"], "{unit}");
        assert!(
            value("ReadWritePaths").iter().any(|p| p == &data_dir),
            "{unit} may write the data folder {data_dir} of the example configuration"
        );
    }
}

#[test]
fn every_setting_is_in_the_example_configuration_and_the_readme() {
    let example = read("samrad.example.toml");
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
            .expect("README");
    let output = samrad(&["config"]);
    let settings = settings_of(&output);
    let keys: Vec<&String> = settings
        .as_object()
        .expect("object")
        .keys()
        .filter(|k| !matches!(k.as_str(), "database" | "emails"))
        .collect();
    assert!(keys.len() >= 14, "{keys:?}");
    for key in keys {
        assert!(
            example.lines().any(|line| {
                let line = line.trim_start_matches('#').trim_start();
                line.starts_with(&format!("{key} ="))
                    || line.starts_with(&format!("{key}="))
                    || line.starts_with(&format!("[[{key}]]"))
            }),
            "deploy/samrad.example.toml does not show {key}"
        );
        let upper = format!("SAMRAD_{}", key.to_uppercase());
        assert!(
            readme.contains(&format!("| `{key}` / `{upper}`")),
            "the README's configuration table lacks {key}"
        );
    }
}
