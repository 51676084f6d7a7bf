//! The programs that run the command in their arguments (`sudo`, `env`,
//! `timeout`…), as data: which of their words are their own, which hand
//! the command to a shell, and what environment the command starts with.
//! One table for the two readers of a command: `template` (how many shells
//! parse a placeholder) and `whereabouts` (what the command reaches).

/// A program that runs the command in its arguments.
#[derive(Debug)]
pub struct Wrapper {
    /// Its name, as the command word's last path component.
    pub name: &'static str,
    /// Short options whose argument follows (`sudo -u root`, `-uroot`).
    pub short_with_argument: &'static str,
    /// Long options whose argument is the next word unless written `--opt=value`.
    pub long_with_argument: &'static [&'static str],
    /// Options after which a shell runs the command words (`sudo -s`).
    pub short_shell: &'static str,
    pub long_shell: &'static [&'static str],
    /// Options whose argument is itself a command line (`env -S 'cmd args'`).
    pub short_command_line: &'static str,
    pub long_command_line: &'static [&'static str],
    /// Words before the command that are no option (`timeout 30s cmd`).
    pub operands: u8,
    /// `NAME=value` words before the command set its environment.
    pub assignments: bool,
    /// Options after which nothing is run (`command -v kubectl`, `sudo -l`).
    pub lookup_only: &'static str,
    /// The command starts with another user's environment…
    pub resets_environment: bool,
    /// …unless one of these is given.
    pub keeps_environment: &'static [&'static str],
    /// Options that start the command with an empty environment.
    pub clears_environment: &'static [&'static str],
}

impl Wrapper {
    /// The wrapper a command word names, if it is one.
    #[must_use]
    pub fn named(name: &str) -> Option<&'static Wrapper> {
        WRAPPERS.iter().find(|wrapper| wrapper.name == name)
    }
}

const PLAIN: Wrapper = Wrapper {
    name: "",
    short_with_argument: "",
    long_with_argument: &[],
    short_shell: "",
    long_shell: &[],
    short_command_line: "",
    long_command_line: &[],
    operands: 0,
    assignments: false,
    lookup_only: "",
    resets_environment: false,
    keeps_environment: &[],
    clears_environment: &[],
};

/// Every wrapper known, from their manual pages.
pub const WRAPPERS: &[Wrapper] = &[
    Wrapper {
        name: "sudo",
        short_with_argument: "aCcDghpRrTtUu",
        long_with_argument: &[
            "--chdir",
            "--chroot",
            "--close-from",
            "--command-timeout",
            "--group",
            "--host",
            "--other-user",
            "--prompt",
            "--role",
            "--type",
            "--user",
        ],
        short_shell: "is",
        long_shell: &["--login", "--shell"],
        assignments: true,
        lookup_only: "lv",
        resets_environment: true,
        keeps_environment: &["-E", "--preserve-env"],
        ..PLAIN
    },
    Wrapper {
        name: "env",
        short_with_argument: "uC",
        long_with_argument: &["--unset", "--chdir"],
        short_command_line: "S",
        long_command_line: &["--split-string"],
        assignments: true,
        clears_environment: &["-i", "-", "--ignore-environment"],
        ..PLAIN
    },
    Wrapper {
        name: "timeout",
        short_with_argument: "ks",
        long_with_argument: &["--kill-after", "--signal"],
        operands: 1,
        ..PLAIN
    },
    Wrapper { name: "nice", short_with_argument: "n", long_with_argument: &["--adjustment"], ..PLAIN },
    Wrapper { name: "nohup", ..PLAIN },
    Wrapper { name: "command", lookup_only: "vV", ..PLAIN },
    Wrapper { name: "builtin", ..PLAIN },
    Wrapper { name: "exec", short_with_argument: "a", ..PLAIN },
    Wrapper { name: "time", short_with_argument: "fo", long_with_argument: &["--format", "--output"], ..PLAIN },
    Wrapper { name: "setsid", ..PLAIN },
    Wrapper {
        name: "stdbuf",
        short_with_argument: "ioe",
        long_with_argument: &["--input", "--output", "--error"],
        ..PLAIN
    },
    Wrapper {
        name: "ionice",
        short_with_argument: "cnp",
        long_with_argument: &["--class", "--classdata", "--pid"],
        ..PLAIN
    },
    Wrapper {
        name: "xargs",
        short_with_argument: "adEILnPs",
        long_with_argument: &[
            "--arg-file",
            "--delimiter",
            "--max-lines",
            "--max-args",
            "--max-procs",
            "--max-chars",
            "--process-slot-var",
        ],
        ..PLAIN
    },
];
