//! Recognises commands that destroy data or capacity, whatever the catalog
//! says about them: `check` warns when one is marked `safe`, `cmd` warns
//! when it prints one, and running one asks for a typed confirmation.

use std::sync::LazyLock;

use regex::bytes::RegexSet;

crate::words::word_enum! {
    /// What running a step's command risks.
    Danger {
        /// Reads only.
        Safe = "safe",
        /// Changes state, easy to undo.
        Caution = "caution",
        /// Loses data or capacity; running it will need a typed confirmation.
        Destructive = "destructive",
    }
}

/// (pattern, what to call it). Command words must stand where a command
/// starts (after a separator, `sudo`, `--` or a quote), so
/// `echo no reboot required` or `reboot-required.pkgs` are not taken for one.
const PATTERNS: &[(&str, &str)] = &[
    (r"\brm\s+(-\S*[rRf]\S*\s+)+", "rm -rf"),
    (r"\bkubectl\b[^|;&\n]*\s(delete)\b", "kubectl delete"),
    (r"\bkubectl\b[^|;&\n]*\sdrain\b", "kubectl drain"),
    (r"\bkubectl\b[^|;&\n]*\sscale\b[^|;&\n]*--replicas[= ]0\b", "scaling to zero"),
    (r"\bhelm\s+(uninstall|delete)\b", "helm uninstall"),
    (r"(?i)\bdrop\s+(table|database|schema|index|user|role|owned)\b", "DROP"),
    (r"(?i)\btruncate\s+(table\s+)?[a-z_]", "TRUNCATE"),
    (r"(?i)\bdelete\s+from\b", "DELETE FROM"),
    (r"(?i)\bpg_terminate_backend\b", "pg_terminate_backend"),
    // `--force` itself, not `--force-confold` (apt's keep-my-config switch).
    (r"--force(?:[\s=;&|)'\x22]|$)", "--force"),
    (
        r"(?:^|[;&|(`'\x22]|\bsudo|\bsystemctl|--|\bexec)\s*(reboot|shutdown|poweroff|halt)\b(?:[^-.]|$)",
        "reboot/shutdown",
    ),
    (r"\bk3s-(killall|uninstall)(\.sh)?\b", "k3s-killall"),
    (r"--cluster-reset\b", "etcd cluster reset"),
    (r"(?i)\bflush(all|db)\b", "FLUSHALL"),
    (r"(?i)\bconfig\s+set\b", "CONFIG SET"),
    (r"(?i)\bsentinel\s+failover\b", "SENTINEL FAILOVER"),
    (r"(?i)\breplicaof\s+no\s+one\b", "REPLICAOF NO ONE"),
    (r"\bmkfs(\.\w+)?\b", "mkfs"),
    (r"\bdd\b[^|;&\n]*\bof=/dev/", "dd to a device"),
    (r"\biptables\s+(-F|--flush)\b", "iptables flush"),
    (r"\bufw\s+(disable|reset|delete)\b", "ufw disable/delete"),
    (r"\bterraform\s+destroy\b", "terraform destroy"),
];

/// All patterns in one set: a command is scanned once, not once per pattern.
/// Matched as ASCII bytes: command words are ASCII, and without Unicode
/// classes the set compiles in a fraction of the time, which counts at
/// start-up.
static PATTERN_SET: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new(PATTERNS.iter().map(|(pattern, _)| format!("(?m-u){pattern}"))).unwrap_or_else(|_| RegexSet::empty())
});

/// The first destructive operation a command performs, by name, if any.
#[must_use]
pub fn looks_destructive(command: &str) -> Option<&'static str> {
    // Most commands match nothing, and telling that stops early; which
    // pattern matched takes a search for all of them.
    let command = command.as_bytes();
    if !PATTERN_SET.is_match(command) {
        return None;
    }
    PATTERN_SET.matches(command).iter().next().map(|i| PATTERNS[i].1)
}

/// Why a command needs care: the first destructive operation it performs,
/// or that the catalog marks it destructive.
#[must_use]
pub fn destructive_reason(marked: Danger, command: &str) -> Option<&'static str> {
    looks_destructive(command).or((marked == Danger::Destructive).then_some("marked destructive in the catalog"))
}

/// Placeholders that say where or as whom a command runs rather than what
/// it acts on; typing one of them would not prove the person read the target.
const NOT_TARGETS: &[&str] = &["namespace", "ssh_user", "user", "context", "kube_context"];

/// Whether a placeholder named so can be a command's target: the one a
/// destructive command asks to be typed, and the one a form never fills in
/// for it.
#[must_use]
pub fn is_target_name(name: &str) -> bool {
    !NOT_TARGETS.contains(&name)
}

/// What the person must type before a destructive command runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmation {
    /// Why it is asked (see [`destructive_reason`]).
    pub reason: &'static str,
    /// The word to type: the value of the command's target, else `yes`.
    pub word: String,
}

impl Confirmation {
    /// Whether what was typed confirms (surrounding spaces aside).
    #[must_use]
    pub fn accepts(&self, typed: &str) -> bool {
        typed.trim() == self.word
    }
}

/// The typed confirmation a rendered command needs, if any. `values` are
/// the placeholders in the order the command uses them; the first that
/// names what the command acts on (not the namespace or the user) is the
/// word to type.
#[must_use]
pub fn confirmation(marked: Danger, command: &str, values: &[(&str, &str)]) -> Option<Confirmation> {
    let reason = destructive_reason(marked, command)?;
    let target = values.iter().find(|(name, value)| is_target_name(name) && !value.trim().is_empty());
    let word = target.map_or_else(|| "yes".to_owned(), |(_, value)| value.trim().to_owned());
    Some(Confirmation { reason, word })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destructive_commands_ask_for_their_target() {
        let drain = confirmation(Danger::Caution, "kubectl drain n1", &[("namespace", "prod"), ("node", "n1")]);
        assert_eq!(drain, Some(Confirmation { reason: "kubectl drain", word: "n1".into() }));
        let marked = confirmation(Danger::Destructive, "systemctl restart k3s", &[("ssh_user", "root")]);
        assert_eq!(marked, Some(Confirmation { reason: "marked destructive in the catalog", word: "yes".into() }));
        assert_eq!(confirmation(Danger::Caution, "kubectl rollout restart deploy/api", &[("deployment", "api")]), None);
        assert_eq!(confirmation(Danger::Safe, "kubectl get pods", &[]), None);
        // Whatever the catalog says, a command that looks destructive asks.
        assert_eq!(confirmation(Danger::Safe, "redis-cli FLUSHALL", &[]).map(|c| c.word), Some("yes".into()));
    }

    #[test]
    fn only_the_exact_word_confirms() {
        let confirm = Confirmation { reason: "rm -rf", word: "node-1".into() };
        assert!(confirm.accepts("node-1"));
        assert!(confirm.accepts(" node-1 "));
        for typed in ["", "y", "yes", "node-", "node-12", "NODE-1"] {
            assert!(!confirm.accepts(typed), "{typed:?}");
        }
    }

    #[test]
    fn recognises_destructive_commands() {
        let cases = [
            ("rm -rf /var/lib/rancher/k3s/agent/images", "rm -rf"),
            ("sudo rm -f /var/log/*.gz", "rm -rf"),
            ("kubectl -n prod delete pod api-0", "kubectl delete"),
            ("kubectl drain node-1 --ignore-daemonsets", "kubectl drain"),
            ("kubectl scale deploy/worker --replicas=0", "scaling to zero"),
            ("psql -c 'DROP TABLE users'", "DROP"),
            ("psql -c 'truncate sessions'", "TRUNCATE"),
            ("git push --force", "--force"),
            ("kubectl delete pod x --force --grace-period=0", "kubectl delete"),
            ("helm upgrade app chart --force=true", "--force"),
            ("ssh root@n1 -- sudo reboot", "reboot/shutdown"),
            ("ssh n1 'shutdown -h now'", "reboot/shutdown"),
            ("ssh n1 -- sudo systemctl reboot", "reboot/shutdown"),
            ("/usr/local/bin/k3s-killall.sh", "k3s-killall"),
            ("redis-cli FLUSHALL", "FLUSHALL"),
            ("redis-cli config set maxmemory 2gb", "CONFIG SET"),
        ];
        for (command, expected) in cases {
            assert_eq!(looks_destructive(command), Some(expected), "{command}");
        }
    }

    #[test]
    fn every_pattern_compiles() {
        assert_eq!(PATTERN_SET.len(), PATTERNS.len());
    }

    #[test]
    fn leaves_reads_alone() {
        for command in [
            "kubectl get pods -A",
            "cat /var/run/reboot-required.pkgs || echo no reboot required",
            "kubectl describe node n1 | grep -i drain",
            "df -h; du -sh /var/lib/rancher",
            "redis-cli INFO memory",
            "psql -c 'select count(*) from pg_stat_activity'",
            "kubectl rollout restart deployment/api",
            "apt-get -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold upgrade",
        ] {
            assert_eq!(looks_destructive(command), None, "{command}");
        }
    }
}
