//! The embedded catalog: clean, complete, linked, and every shipped command
//! parses as shell.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::collections::HashMap;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use pagerbook::catalog::{
    DEFAULT_LANG, Danger, Entry, Kind, ListField, LoadOptions, Loaded, Review, Source, Step, TextField, load_with,
};
use pagerbook::{danger, template};

mod util;
use util::{Dir, embedded, files_in, poll, stdout};

const LAYERS: &[(&str, &[&str])] = &[
    ("edge", &["cdn-pop-outage", "cdn-global-outage", "dns-hijack", "tls-cert-expired"]),
    ("node", &["node-nic-failure", "node-quorum-lost", "cluster-total-loss", "node-disk-full"]),
    (
        "control-plane",
        &[
            "etcd-member-corrupt",
            "coredns-down",
            "metrics-server-down",
            "reloader-restart-storm",
            "volume-multi-attach",
        ],
    ),
    ("network", &["firewall-blocks-traffic", "overlay-network-broken", "kube-proxy-broken"]),
    (
        "application",
        &[
            "app-oom-killed",
            "memory-leak",
            "bot-traffic-oom",
            "healthcheck-rate-limited",
            "app-crashloop-bad-deploy",
            "app-deadlock",
            "admin-panel-down",
            "worker-stalled",
            "session-middleware-order",
            "stale-auth-cache",
            "oidc-key-permissions",
            "dags-missing",
        ],
    ),
    (
        "data",
        &[
            "redis-rescheduled-empty",
            "redis-maxmemory",
            "redis-failover-failed",
            "db-pool-leak",
            "pgbouncer-misconfig",
            "db-provider-outage",
            "db-pooler-unreachable",
        ],
    ),
    (
        "external",
        &[
            "object-storage-outage",
            "smtp-unreachable",
            "smtp-return-path-rejected",
            "registry-unreachable",
            "metrics-ingest-down",
            "dashboard-no-data",
        ],
    ),
    ("cross-cutting", &["everything-slow", "partial-502", "recent-change-regression", "alert-misrouted"]),
];

const RUNBOOKS: &[&str] = &[
    "node-os-upgrade",
    "k3s-upgrade",
    "cluster-rebuild",
    "cdn-bypass",
    "db-host-switch",
    "cache-key-invalidate",
    "redis-manual-failover",
    "cert-emergency-replace",
    "node-disk-cleanup",
    "deploy-rollback",
    "config-rollback",
];

#[test]
fn the_embedded_catalog_has_no_problems() {
    let loaded = embedded();
    let shown: Vec<String> = loaded.diagnostics.iter().map(ToString::to_string).collect();
    assert!(shown.is_empty(), "{}", shown.join("\n"));
}

#[test]
fn the_embedded_catalog_passes_strict() {
    // A fixed day, so the build does not turn red on a date; `check --strict`
    // itself measures from today.
    let today = SystemTime::UNIX_EPOCH + Duration::from_hours(20_788 * 24);
    let strict = LoadOptions { context: Vec::new(), strict: Some(Review::as_of(today, 365)) };
    let loaded = load_with(&[Source::Embedded], &strict);
    let shown: Vec<String> = loaded.diagnostics.iter().map(ToString::to_string).collect();
    assert!(shown.is_empty(), "{}", shown.join("\n"));
}

#[test]
fn layers_come_edge_inward() {
    let loaded = embedded();
    let layers: Vec<&str> = loaded.catalog.layers.iter().map(|l| l.id.as_str()).collect();
    let expected: Vec<&str> = LAYERS.iter().map(|(id, _)| *id).collect();
    assert_eq!(layers, expected);
}

#[test]
fn every_failure_mode_is_present_in_its_layer() {
    let loaded = embedded();
    let catalog = &loaded.catalog;
    for (layer, ids) in LAYERS {
        for id in *ids {
            let entry = catalog.get(id).unwrap_or_else(|| panic!("missing failure mode {id}"));
            assert_eq!(entry.kind, Kind::Failure, "{id}");
            assert_eq!(entry.layer(), Some(*layer), "{id}");
        }
    }
    let expected: usize = LAYERS.iter().map(|(_, ids)| ids.len()).sum();
    assert_eq!(catalog.counts().0, expected, "no failure modes beyond the list");
}

#[test]
fn every_runbook_is_present() {
    let loaded = embedded();
    for id in RUNBOOKS {
        let entry = loaded.catalog.get(id).unwrap_or_else(|| panic!("missing runbook {id}"));
        assert_eq!(entry.kind, Kind::Runbook, "{id}");
        assert!(entry.steps.len() >= 3, "{id} has too few steps to be a procedure");
    }
}

#[test]
fn every_link_resolves_and_every_runbook_is_linked() {
    let loaded = embedded();
    let catalog = &loaded.catalog;
    for entry in catalog.entries() {
        for id in entry.related() {
            assert_eq!(catalog.get(id).map(|e| e.kind), Some(Kind::Failure), "{}: related {id}", entry.id());
        }
        for id in entry.runbooks() {
            assert_eq!(catalog.get(id).map(|e| e.kind), Some(Kind::Runbook), "{}: runbook {id}", entry.id());
        }
    }
    for id in RUNBOOKS {
        assert!(catalog.entries().iter().any(|e| e.runbooks().any(|r| r == *id)), "no failure mode links runbook {id}");
    }
}

#[test]
fn failure_modes_are_complete_enough_to_act_on() {
    let loaded = embedded();
    for entry in loaded.catalog.entries().iter().filter(|e| e.kind == Kind::Failure) {
        assert!(entry.signals().len() >= 3, "{}: signals are what people paste", entry.id());
        assert!(entry.steps.iter().any(|s| s.run().is_some()), "{}: no step has a command", entry.id());
        assert!(entry.frequency.is_some() && entry.severity.is_some(), "{}", entry.id());
    }
}

/// A value for a placeholder: its default, else its first choice, else a
/// sample that is a valid word.
fn sample_value(var: &pagerbook::catalog::Var) -> String {
    var.default.clone().or_else(|| var.choices.first().cloned()).unwrap_or_else(|| "sample".to_owned())
}

/// A step's command rendered with the sample values.
fn rendered(entry: &Entry, run: &str) -> String {
    let values: HashMap<&str, String> = entry.vars.iter().map(|var| (&*var.name, sample_value(var))).collect();
    template::render(run, |name| values.get(name).map(String::as_str)).unwrap()
}

/// Every step with a command, with where it is, for messages.
fn commands(loaded: &Loaded) -> impl Iterator<Item = (String, &Entry, &Step, &str)> {
    loaded.catalog.entries().iter().flat_map(|entry| {
        entry.steps.iter().enumerate().filter_map(move |(i, step)| {
            let run = step.run()?;
            Some((format!("{} step {}", entry.id(), i + 1), entry, step, run))
        })
    })
}

#[test]
fn every_bash_command_passes_bash_n() {
    let loaded = embedded();
    let mut checked = 0;
    for entry in loaded.catalog.entries() {
        for (i, step) in entry.steps.iter().enumerate() {
            let Some(run) = step.run() else { continue };
            if step.lang != "bash" {
                continue;
            }
            let rendered = rendered(entry, run);
            let mut child =
                Command::new("bash").arg("-n").stdin(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
            child.stdin.take().unwrap().write_all(rendered.as_bytes()).unwrap();
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "{} step {}: {}\n{rendered}",
                entry.id(),
                i + 1,
                String::from_utf8_lossy(&out.stderr)
            );
            checked += 1;
        }
    }
    assert!(checked > 200, "only {checked} commands checked");
}

/// A destructive step asks to type its target's value (`danger::confirmation`).
/// Defaulted, the form comes filled with a plausible node or host and the
/// person types back what they were shown: node-os-upgrade drained `node-3`
/// then offered to reboot `node-1.example.internal`.
#[test]
fn a_destructive_steps_target_has_no_default() {
    let loaded = embedded();
    let mut defaulted = Vec::new();
    let mut checked = 0;
    for (place, entry, step, run) in commands(&loaded) {
        // Each placeholder's value is its own name, so the word to type names it.
        let names = template::placeholder_names(run);
        let values: Vec<(&str, &str)> = names.iter().map(|name| (*name, *name)).collect();
        let Some(confirm) = danger::confirmation(step.danger, &rendered(entry, run), &values) else { continue };
        checked += 1;
        if let Some(default) = entry.var(&confirm.word).and_then(|var| var.default.as_deref()) {
            defaulted.push(format!("{place}: {{{{{}}}}} defaults to {default}", confirm.word));
        }
    }
    assert!(defaulted.is_empty(), "the target of a destructive step has a default:\n{}", defaulted.join("\n"));
    assert!(checked > 20, "only {checked} destructive steps checked");
}

/// Variables any shell has, which a step may read without setting.
const SHELL_VARIABLES: &[&str] = &["HOME", "USER", "PATH", "RANDOM"];

/// The shell variables a command reads and where each becomes set, by byte offset.
#[derive(Debug, Default)]
struct Variables {
    reads: Vec<(String, usize)>,
    sets: Vec<(String, usize)>,
}

/// Words that come before a command (`while read -r id`).
const KEYWORDS: &[&str] = &["while", "until", "if", "elif", "then", "else", "do", "!"];

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Finds reads (`$NAME`, `${NAME}`, not `${NAME:-default}`) and sets
/// (`NAME=`, `for NAME in`, `read NAME`). Quoting is followed: nothing in
/// single quotes expands here (an awk `$NF`, or a command for the remote
/// shell), and `$(…)` inside double quotes quotes afresh.
fn variables(command: &str) -> Variables {
    enum Context {
        /// Unquoted text, with the parentheses opened in it.
        Plain(usize),
        Double,
    }
    let bytes = command.as_bytes();
    let mut found = Variables::default();
    let mut stack = vec![Context::Plain(0)];
    let mut word_start = true;
    // The words of the current simple command, to spot `for` and `read`.
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    // Assignments in the current word take effect when it ends.
    let mut pending: Vec<String> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let plain = matches!(stack.last(), Some(Context::Plain(_)));
        let starts_word = std::mem::replace(&mut word_start, false);
        if plain && (c.is_ascii_whitespace() || b";|&()".contains(&c)) {
            let ended = std::mem::take(&mut word);
            for name in pending.drain(..) {
                found.sets.push((name, i));
            }
            let mut command = words.iter().map(String::as_str).skip_while(|w| KEYWORDS.contains(w));
            let loop_or_read = match command.next() {
                Some("for") => command.next().is_none(),
                Some("read") => !ended.starts_with('-'),
                _ => false,
            };
            if loop_or_read && !ended.is_empty() && ended.bytes().all(is_name_char) {
                found.sets.push((ended.clone(), i));
            }
            if !ended.is_empty() {
                words.push(ended);
            }
            if b";|&()\n".contains(&c) {
                words.clear();
            }
            word_start = true;
            let nested = stack.len() > 1;
            match (c, stack.last_mut()) {
                (b'(', Some(Context::Plain(open))) => *open += 1,
                (b')', Some(Context::Plain(0))) if nested => {
                    stack.pop();
                }
                (b')', Some(Context::Plain(open))) => *open = open.saturating_sub(1),
                _ => {}
            }
            i += 1;
            continue;
        }
        if plain && starts_word {
            let name_end = bytes[i..].iter().position(|&b| !is_name_char(b)).map_or(bytes.len(), |n| i + n);
            if name_end > i && bytes.get(name_end) == Some(&b'=') && !bytes[i].is_ascii_digit() {
                pending.push(command[i..name_end].to_owned());
            }
            if c == b'#' {
                i = bytes[i..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |n| i + n);
                continue;
            }
        }
        match c {
            b'\\' => {
                i += 2;
                continue;
            }
            b'\'' if plain => {
                i = bytes[i + 1..].iter().position(|&b| b == b'\'').map_or(bytes.len(), |n| i + n + 2);
                word.push_str("''");
                continue;
            }
            b'"' if plain => stack.push(Context::Double),
            b'"' => {
                stack.pop();
            }
            b'$' if bytes.get(i + 1) == Some(&b'(') => {
                stack.push(Context::Plain(0));
                word.push_str("$(");
                i += 2;
                continue;
            }
            b'$' => {
                let braced = bytes.get(i + 1) == Some(&b'{');
                let start = i + 1 + usize::from(braced);
                let end = bytes[start..].iter().position(|&b| !is_name_char(b)).map_or(bytes.len(), |n| start + n);
                let defaulted = braced && [&b":-"[..], b"-", b":=", b"="].iter().any(|op| bytes[end..].starts_with(op));
                if end > start && !bytes[start].is_ascii_digit() && !defaulted {
                    found.reads.push((command[start..end].to_owned(), i));
                }
            }
            _ => {}
        }
        word.push(char::from(c));
        i += 1;
    }
    for name in pending {
        found.sets.push((name, bytes.len()));
    }
    found
}

/// The variables a command reads before it sets them, if ever.
fn unset_reads(command: &str) -> Vec<String> {
    let found = variables(command);
    let mut unset: Vec<String> = found
        .reads
        .iter()
        .filter(|(name, at)| {
            !SHELL_VARIABLES.contains(&name.as_str()) && !found.sets.iter().any(|(set, from)| set == name && from <= at)
        })
        .map(|(name, _)| name.clone())
        .collect();
    unset.dedup();
    unset
}

#[test]
fn the_variable_reader_follows_quotes_and_assignments() {
    let cases: &[(&str, &[&str])] = &[
        ("echo $K3S_TOKEN", &["K3S_TOKEN"]),
        ("curl -H \"Bearer ${CF_API_TOKEN}\" x", &["CF_API_TOKEN"]),
        ("s=node-1; ssh x -- \"curl https://$s:6443\"", &[]),
        ("K3S_TOKEN=$K3S_TOKEN sh", &["K3S_TOKEN"]),
        ("awk '{print $NF}' | sort", &[]),
        ("x=\"$(awk '{print $2}' f)\"; echo $x", &[]),
        ("for id in a b; do echo $id; done", &[]),
        ("cut -f1 f | while read -r id name; do echo $id $name; done", &[]),
        ("echo ${KUBECONFIG:-~/.kube/config} $HOME $1 $? \\$LITERAL", &[]),
        ("echo $late; late=1", &["late"]),
        ("# export TOKEN first\necho done", &[]),
    ];
    for (command, expected) in cases {
        assert_eq!(unset_reads(command), *expected, "{command}");
    }
}

/// Each step runs in a fresh `bash -c`: what an earlier step exported, or
/// told the person to export "in your shell", is not there. cluster-rebuild
/// joined a server with `K3S_TOKEN=$K3S_TOKEN`, empty.
#[test]
fn a_bash_step_reads_only_variables_it_sets() {
    let loaded = embedded();
    let mut problems = Vec::new();
    for (place, entry, step, run) in commands(&loaded) {
        if step.lang != DEFAULT_LANG {
            continue;
        }
        let unset = unset_reads(&rendered(entry, run));
        if !unset.is_empty() {
            problems.push(format!("{place} reads ${}", unset.join(", $")));
        }
    }
    assert!(problems.is_empty(), "a step reads a variable no part of it sets:\n{}", problems.join("\n"));
}

/// A server a test started, killed however the test ends (a panic
/// included: it would otherwise hold the test's output open).
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A free TCP port on the loopback, for a server the test starts.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[test]
fn cache_key_invalidate_deletes_exactly_the_matching_keys_against_a_real_redis() {
    // Regression (issue 11 #12): step 4 piped key names through `xargs`,
    // which split `auth:profile cache:user:42` into two unrelated keys and
    // aborted on a `'`.
    if Command::new("redis-server").arg("--version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "redis-server is not installed, and CI must run this test");
        eprintln!("redis-server is not installed: skipping");
        return;
    }
    let dir = Dir::new();
    let port = free_port().to_string();
    let _server = Server(
        Command::new("redis-server")
            .args(["--port", &port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let cli = |args: &[&str]| Command::new("redis-cli").args(["-p", &port]).args(args).output().unwrap();
    poll(
        Duration::from_secs(10),
        Duration::from_millis(20),
        || cli(&["PING"]).stdout == b"PONG\n",
        || "redis-server did not start".to_owned(),
    );
    let keys = [
        "cache:plain",
        "cache:auth:profile cache:user:42",
        "cache:it's",
        "cache:a\"b",
        "other:cache:x",
        "auth:profile",
    ];
    for key in keys {
        assert!(cli(&["SET", key, "v"]).status.success());
    }
    // Stubs: kubectl exec runs its command as the container would (the words
    // after `--`, no shell), and redis-cli talks to the test's server.
    let path = dir.stubs(&[
        ("kubectl", "#!/bin/sh\nwhile [ \"$1\" != -- ]; do shift; done; shift; exec \"$@\"\n"),
        ("redis-cli", &format!("#!/bin/sh\nexec /usr/bin/redis-cli -p {port} \"$@\"\n")),
    ]);
    let loaded = embedded();
    let entry = loaded.catalog.get("cache-key-invalidate").unwrap();
    let run = entry.steps[3].run().unwrap();
    let values = [("namespace", "shop"), ("redis_pod", "redis-0"), ("key_pattern", "cache:*")];
    let command = template::render(run, |name| values.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)).unwrap();
    let out = Command::new("bash").arg("-c").arg(&command).env("PATH", path).output().unwrap();
    assert!(out.status.success(), "{command}: {}", String::from_utf8_lossy(&out.stderr));
    let left = stdout(&cli(&["--scan"]));
    let mut left: Vec<&str> = left.lines().collect();
    left.sort_unstable();
    assert_eq!(left, ["auth:profile", "other:cache:x"], "only the keys matching cache:* are gone, each whole");
}

/// The catalog was written from documents the reader does not have; an
/// engineer at 3am cannot follow "seed 004" or "rare in the source stack".
#[test]
fn no_text_refers_to_the_documents_it_was_written_from() {
    let unfollowable = regex::Regex::new(r"(?i)seed|source (stack|incident|system)").unwrap();
    let mut found = Vec::new();
    // The files as written, comments included.
    for (name, text) in files_in(&["catalog", "runbooks"]) {
        for (i, line) in text.lines().enumerate() {
            if let Some(m) = unfollowable.find(line) {
                found.push(format!("{name}:{}: {}", i + 1, m.as_str()));
            }
        }
    }
    assert!(found.is_empty(), "texts that refer to the source documents:\n{}", found.join("\n"));
}

#[test]
fn every_failure_mode_says_its_impact_cites_an_upstream_url_and_was_reviewed() {
    let loaded = embedded();
    let mut lacking = Vec::new();
    for entry in loaded.catalog.entries().iter().filter(|e| e.kind == Kind::Failure) {
        if entry.text(TextField::Impact).is_none() {
            lacking.push(format!("{}: no impact", entry.id()));
        }
        if !entry.list(ListField::References).any(|r| r.contains("https://")) {
            lacking.push(format!("{}: no upstream reference URL", entry.id()));
        }
        if entry.text(TextField::LastReviewed).is_none() {
            lacking.push(format!("{}: no last_reviewed", entry.id()));
        }
    }
    assert!(lacking.is_empty(), "{}", lacking.join("\n"));
}

/// Steps run with input closed: a host-key, password or passphrase prompt
/// opens the terminal and stops the step without a word. In batch mode ssh
/// fails at once and says why; a timeout keeps a dead host from hanging it.
#[test]
fn a_non_interactive_ssh_or_psql_never_waits_for_a_prompt() {
    let ssh = regex::Regex::new(r"(^|[\s;|&(`])(ssh|scp)\s").unwrap();
    let psql = regex::Regex::new(r"(^|[\s;|&(`])psql\s").unwrap();
    let loaded = embedded();
    let mut prompting = Vec::new();
    for (place, entry, step, run) in commands(&loaded) {
        if step.interactive {
            continue;
        }
        let command = rendered(entry, run);
        let runs_ssh = ssh.find_iter(&command).count();
        if runs_ssh > 0
            && (command.matches("BatchMode=yes").count() < runs_ssh
                || command.matches("ConnectTimeout=").count() < runs_ssh)
        {
            prompting.push(format!("{place}: ssh without -o BatchMode=yes -o ConnectTimeout=N"));
        }
        let runs_psql = psql.find_iter(&command).count();
        if runs_psql > 0
            && (psql.find_iter(&command).count() > command.matches(" -w").count()
                || !(command.contains("PGCONNECT_TIMEOUT=") || command.contains("connect_timeout=")))
        {
            prompting.push(format!("{place}: psql without -w and a connect timeout"));
        }
    }
    assert!(prompting.is_empty(), "{}", prompting.join("\n"));
}

#[test]
fn related_links_go_both_ways() {
    let loaded = embedded();
    let catalog = &loaded.catalog;
    let mut one_way = Vec::new();
    for entry in catalog.entries() {
        for id in entry.related() {
            if let Some(other) = catalog.get(id)
                && !other.related().any(|back| back == entry.id())
            {
                one_way.push(format!("{} → {id}", entry.id()));
            }
        }
    }
    assert!(one_way.is_empty(), "related links that point one way only:\n{}", one_way.join("\n"));
}

/// An operator's reading of danger: what deletes or reboots is destructive
/// (the recogniser), and what creates, changes or restarts something is at
/// least caution.
#[test]
fn no_step_that_changes_the_system_is_marked_safe() {
    let changes = regex::Regex::new(
        r"(?x)\bkubectl\s+(-n\s+\S+\s+)?(run|debug|apply|patch|scale|set|annotate|label|cordon|uncordon|taint|edit|create|replace|rollout\s+(restart|undo))\b
        |\bhelm\s+(upgrade|install|rollback|uninstall)\b
        |\bsystemctl\s+(restart|reload|start|stop)\b
        |\bgit\s+(revert|push|commit)\b
        |\b(apt|apt-get)\s+(-\S+\s+)*(upgrade|full-upgrade|install)\b
        |-X\s*(PATCH|POST|PUT|DELETE)\b",
    )
    .unwrap();
    let loaded = embedded();
    let mut understated = Vec::new();
    for (place, entry, step, run) in commands(&loaded) {
        let command = rendered(entry, run);
        if step.danger == Danger::Safe {
            if let Some(operation) = danger::looks_destructive(&command) {
                understated.push(format!("{place}: {operation}, marked safe"));
            } else if let Some(found) = changes.find(&command) {
                understated.push(format!("{place}: `{}` changes the system, marked safe", found.as_str().trim()));
            }
        }
    }
    assert!(understated.is_empty(), "{}", understated.join("\n"));
}
