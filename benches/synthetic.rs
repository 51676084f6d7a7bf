//! Deterministic synthetic catalogs for benchmarks: failure modes written
//! from an operations vocabulary (components, symptoms, real-looking error
//! lines with hosts, IPs and numbers), each a record of about 240 characters
//! of prose (id, title, symptom, signal, recovery, tags) plus a step with a
//! command, optionally with three `related` links each. Shared by the
//! benches and `examples/synthetic_catalog.rs`.

use std::fmt::Write as _;

const COMPONENTS: &[&str] = &[
    "redis",
    "postgres",
    "pgbouncer",
    "nginx",
    "envoy",
    "kafka",
    "coredns",
    "etcd",
    "kubelet",
    "ingress",
    "traefik",
    "cert-manager",
    "vault",
    "rabbitmq",
    "elasticsearch",
    "minio",
    "memcached",
    "haproxy",
    "keepalived",
    "containerd",
    "flannel",
    "calico",
    "prometheus",
    "grafana",
    "loki",
    "sentry",
    "celery",
    "sidekiq",
    "airflow",
    "zookeeper",
];
const PROBLEMS: &[&str] = &[
    "timeout",
    "refused",
    "oom",
    "crashloop",
    "evicted",
    "throttled",
    "expired",
    "unreachable",
    "leak",
    "deadlock",
    "saturation",
    "corrupted",
    "stuck",
    "lag",
    "backlog",
    "exhausted",
    "flapping",
    "partitioned",
    "misconfigured",
    "degraded",
    "overloaded",
    "stale",
    "dropped",
    "rejected",
];
const SYMPTOMS: &[&str] = &[
    "requests time out after thirty seconds",
    "clients see connection reset by peer",
    "pods restart in a loop with exit code 137",
    "latency climbs until the load balancer returns 502",
    "queue depth grows and workers stop consuming",
    "writes are refused while reads keep working",
    "health checks fail and the service is removed from rotation",
    "dashboards show gaps and alerts stop firing",
    "users are logged out and sessions vanish",
    "the node reports disk pressure and evicts pods",
];
const SIGNALS: &[&str] = &[
    "dial tcp {ip}:{port}: connect: connection refused",
    "read tcp {ip}:{port}: read: connection reset by peer",
    "context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
    "Back-off restarting failed container {svc} in pod {svc}-{hash}",
    "upstream connect error or disconnect/reset before headers. reset reason: connection failure",
    "FATAL: remaining connection slots are reserved for non-replication superuser connections",
    "OOM command not allowed when used memory > 'maxmemory'",
    "x509: certificate has expired or is not yet valid: current time {date}",
    "Liveness probe failed: Get \"http://{ip}:{port}/healthz\": context deadline exceeded",
    "0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available",
    "error: {svc} lag {n} messages on partition {m}",
    "too many open files accepting connection on :{port}",
];
const ACTIONS: &[&str] = &[
    "kubectl -n {ns} rollout restart deployment/{svc}",
    "kubectl -n {ns} logs deploy/{svc} --since=15m",
    "kubectl -n {ns} describe pod -l app={svc}",
    "redis-cli -h {svc} INFO memory",
    "psql -h {svc} -c 'select count(*) from pg_stat_activity'",
    "kubectl top pods -n {ns} --sort-by=memory",
];
const LAYERS: &[&str] =
    &["edge", "node", "control-plane", "network", "application", "data", "external", "cross-cutting"];

/// A small deterministic generator (xorshift64*), so every run indexes the same catalog.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap_or(0)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// The layers of a synthetic catalog, as TOML.
fn layers_toml() -> String {
    let mut out = String::new();
    for (i, layer) in LAYERS.iter().enumerate() {
        let _ = writeln!(out, "[[layer]]\nid = \"{layer}\"\ntitle = \"{layer}\"\norder = {}\n", i * 10);
    }
    out
}

/// The generator of entry `i`, and its id (drawn first, so that a link to
/// `i` can be written without writing `i`).
fn entry(i: usize) -> (Rng, String, &'static str, &'static str) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (i as u64 + 1).wrapping_mul(0xBF58_476D_1CE4_E5B9));
    let component = rng.pick(COMPONENTS);
    let problem = rng.pick(PROBLEMS);
    (rng, format!("syn-{i}-{component}-{problem}"), component, problem)
}

/// Failure modes `first..first + count` as TOML (no layers); with `linked`
/// (the catalog's size), each relates to three others of the catalog.
fn failures_toml(first: usize, count: usize, linked: Option<usize>) -> String {
    let mut out = String::with_capacity(count * 700);
    let _ = writeln!(out, "[vars.ns]\ndescription = \"Namespace\"\ndefault = \"prod\"\n");
    for i in first..first + count {
        let (mut rng, id, component, problem) = entry(i);
        let svc = format!("{component}-{}", rng.below(500));
        let fill = |template: &str, rng: &mut Rng| {
            template
                .replace("{ip}", &format!("10.{}.{}.{}", rng.below(255), rng.below(255), rng.below(255)))
                .replace("{port}", &(1024 + rng.below(60000)).to_string())
                .replace("{svc}", &svc)
                .replace("{hash}", &format!("{:x}", rng.next() % 0xFFF_FFFF))
                .replace(
                    "{date}",
                    &format!("2026-{:02}-{:02}T03:{:02}:00Z", 1 + rng.below(12), 1 + rng.below(28), rng.below(60)),
                )
                .replace("{n}", &rng.below(100_000).to_string())
                .replace("{m}", &rng.below(64).to_string())
                .replace("{ns}", "{{ns}}")
        };
        let signal = fill(rng.pick(SIGNALS), &mut rng);
        let symptom = rng.pick(SYMPTOMS);
        let action = fill(rng.pick(ACTIONS), &mut rng);
        let layer = rng.pick(LAYERS);
        let related = linked.map_or_else(String::new, |size| {
            let ids: Vec<String> = [1, 7, 31].iter().map(|step| format!("{:?}", entry((i + step) % size).1)).collect();
            format!("related = [{}]\n", ids.join(", "))
        });
        let _ = write!(
            out,
            "[[failure]]\nid = \"{id}\"\ntitle = \"{component} {problem} on {svc}\"\nlayer = \"{layer}\"\n\
             symptom = \"{symptom}\"\nsignals = [{signal:?}]\nrecovery = \"Restart {svc} if it stays {problem}.\"\n\
             frequency = \"rare\"\nseverity = \"medium\"\ntags = [\"{component}\", \"{problem}\"]\n{related}\n\
             [[failure.steps]]\ndo = \"Look at {svc}.\"\nrun = {action:?}\n\n"
        );
    }
    out
}

/// Writes a synthetic catalog of `size` failure modes into `dir`, in files
/// of 1 000 entries after a file of layers.
pub fn write_catalog(dir: &std::path::Path, size: usize, linked: bool) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("00-layers.toml"), layers_toml())?;
    for first in (0..size).step_by(1_000) {
        let text = failures_toml(first, 1_000.min(size - first), linked.then_some(size));
        std::fs::write(dir.join(format!("{first:07}.toml")), text)?;
    }
    Ok(())
}
