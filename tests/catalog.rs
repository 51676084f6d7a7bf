//! The embedded catalog: clean, complete, linked, and every shipped command
//! parses as shell.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::collections::HashMap;
use std::io::Write;
use std::process::{Command, Stdio};

use pagerbook::catalog::{Kind, LoadOptions, Loaded, Source, load, load_with};
use pagerbook::template;

fn embedded() -> Loaded {
    load(&[Source::Embedded])
}

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
    let loaded = load_with(&[Source::Embedded], &LoadOptions { context: Vec::new(), strict: true });
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
    for entry in &catalog.entries {
        for id in entry.related() {
            assert_eq!(catalog.get(id).map(|e| e.kind), Some(Kind::Failure), "{}: related {id}", entry.id());
        }
        for id in entry.runbooks() {
            assert_eq!(catalog.get(id).map(|e| e.kind), Some(Kind::Runbook), "{}: runbook {id}", entry.id());
        }
    }
    for id in RUNBOOKS {
        assert!(catalog.entries.iter().any(|e| e.runbooks().any(|r| r == *id)), "no failure mode links runbook {id}");
    }
}

#[test]
fn failure_modes_are_complete_enough_to_act_on() {
    let loaded = embedded();
    for entry in loaded.catalog.entries.iter().filter(|e| e.kind == Kind::Failure) {
        assert!(entry.signals().len() >= 3, "{}: signals are what people paste", entry.id());
        assert!(entry.steps.iter().any(|s| s.run.is_some()), "{}: no step has a command", entry.id());
        assert!(entry.frequency.is_some() && entry.severity.is_some(), "{}", entry.id());
    }
}

/// A value for a placeholder: its default, else its first choice, else a
/// sample that is a valid word.
fn sample_value(var: &pagerbook::catalog::Var) -> String {
    var.default.clone().or_else(|| var.choices.first().cloned()).unwrap_or_else(|| "sample".to_owned())
}

#[test]
fn every_bash_command_passes_bash_n() {
    let loaded = embedded();
    let mut checked = 0;
    for entry in &loaded.catalog.entries {
        for (i, step) in entry.steps.iter().enumerate() {
            let Some(run) = &step.run else { continue };
            if step.lang != "bash" {
                continue;
            }
            let values: HashMap<&str, String> = entry.vars.iter().map(|var| (&*var.name, sample_value(var))).collect();
            let rendered = template::render(run, |name| values.get(name).map(String::as_str)).unwrap();
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
