//! Property: whatever a placeholder's value holds (shell metacharacters,
//! quotes, newlines, non-ASCII), the rendered command passes it to the
//! program as one literal argument, here and on the far side of ssh.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::process::Command;

use pagerbook::template::render;
use proptest::prelude::*;

mod util;
use util::{Dir, stdout};

/// Values biased towards what breaks naive quoting.
fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("'".to_owned()),
        Just("\"".to_owned()),
        Just("$(id)".to_owned()),
        Just("`id`".to_owned()),
        Just("; rm -rf /".to_owned()),
        Just("{a,b}".to_owned()),
        Just("*".to_owned()),
        Just("!".to_owned()),
        Just("\\".to_owned()),
        Just("\n".to_owned()),
        Just("~".to_owned()),
        Just("#".to_owned()),
        "[^\\x00]{0,8}",
    ];
    prop::collection::vec(piece, 1..6).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn any_value_reaches_the_program_unchanged(value in hostile()) {
        let command = render("printf '%s' {{v}}", |_| Some(value.as_str())).unwrap();
        let out = Command::new("sh").arg("-c").arg(&command).output().unwrap();
        prop_assert!(out.status.success(), "{command}: {}", String::from_utf8_lossy(&out.stderr));
        prop_assert_eq!(stdout(&out), value, "{}", command);
    }

    /// ssh joins the words of its remote command and a second shell parses
    /// them: a stub that does the same shows the value arriving intact there.
    #[test]
    fn any_value_reaches_a_remote_program_unchanged(value in hostile()) {
        let stub = r#"ssh() { while [ "$1" != -- ]; do shift; done; shift; sh -c "$*"; }; "#;
        let command = render("ssh {{host}} -- printf '%s' {{v}}", |name| {
            Some(if name == "v" { value.as_str() } else { "node-1" })
        })
        .unwrap();
        let out = Command::new("sh").arg("-c").arg(format!("{stub}{command}")).output().unwrap();
        prop_assert!(out.status.success(), "{command}: {}", String::from_utf8_lossy(&out.stderr));
        prop_assert_eq!(stdout(&out), value, "{}", command);
    }
}

/// Stub `ssh`, `watch`, `sudo` and `say` on a PATH of their own, and a working
/// directory where an injected `touch PWNED` would leave its mark.
struct Shells {
    dir: Dir,
    path: String,
}

/// Drops ssh's options and the destination the way OpenSSH reads them
/// (options again after the destination unless `--` came first, `--`
/// consumed), joins the rest with spaces and hands it to a second shell.
const SSH_STUB: &str = r#"#!/bin/bash
with_arg="BbcDEeFIiJLlmOoPpQRSWw"; done_opts=0; host=""
while [ $# -gt 0 ]; do
  if [ $done_opts = 0 ] && [ "$1" = "--" ]; then done_opts=1; shift; continue; fi
  if [ $done_opts = 0 ] && [ "${1#-}" != "$1" ]; then
    flags="${1#-}"; shift; i=0
    while [ $i -lt ${#flags} ]; do
      case "$with_arg" in *"${flags:$i:1}"*) [ $((i + 1)) -eq ${#flags} ] && shift; break;; esac
      i=$((i + 1))
    done
    continue
  fi
  if [ -z "$host" ]; then host="$1"; shift; continue; fi
  break
done
exec bash -c "$*"
"#;

/// Runs its command once, through `sh -c` as procps watch does (or as it
/// is with `-x`).
const WATCH_STUB: &str = r#"#!/bin/bash
exec_it=0
while [ $# -gt 0 ]; do
  case "$1" in
    --) shift; break;;
    -n|--interval) shift 2;;
    -x|--exec) exec_it=1; shift;;
    -*) shift;;
    *) break;;
  esac
done
if [ $exec_it = 1 ]; then exec "$@"; fi
exec sh -c "$*"
"#;

/// Prints each argument on a line of its own, like `printf '%s\n'`.
const SAY_STUB: &str = "#!/bin/bash\nprintf '%s\\n' \"$@\"\n";

/// Drops sudo's options (`-u USER` takes one) and runs the command as it
/// is, after its `NAME=value` words as sudo does.
const SUDO_STUB: &str = r#"#!/bin/bash
while [ $# -gt 0 ]; do
  case "$1" in
    --) shift; break;;
    -u|-g) shift 2;;
    -*) shift;;
    *) break;;
  esac
done
exec env "$@"
"#;

impl Shells {
    fn new() -> Self {
        let dir = Dir::new();
        let path = dir.stubs(&[("ssh", SSH_STUB), ("watch", WATCH_STUB), ("sudo", SUDO_STUB), ("say", SAY_STUB)]);
        std::fs::create_dir(dir.path().join("work")).unwrap();
        Shells { dir, path }
    }

    /// Runs a rendered command in a fresh `bash -c`: its stdout, and
    /// whether an injected command left its mark.
    fn run(&self, command: &str) -> (String, bool) {
        let work = self.dir.path().join("work");
        let out = Command::new("bash")
            .arg("-c")
            .arg(command)
            .current_dir(&work)
            .env("PATH", &self.path)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let marked = work.join("PWNED").exists();
        if marked {
            std::fs::remove_file(work.join("PWNED")).unwrap();
        }
        (String::from_utf8_lossy(&out.stdout).into_owned(), marked)
    }
}

/// Values a person could type (the value checks refuse control
/// characters and a leading `-`), biased towards injection.
fn typed_hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just(";touch PWNED".to_owned()),
        Just("$(touch PWNED)".to_owned()),
        Just("`touch PWNED`".to_owned()),
        Just("&touch PWNED".to_owned()),
        Just("|touch PWNED".to_owned()),
        Just(">PWNED".to_owned()),
        Just("'".to_owned()),
        Just("\"".to_owned()),
        Just("\\".to_owned()),
        Just(" ".to_owned()),
        Just("*".to_owned()),
        Just("{a,b}".to_owned()),
        Just("~".to_owned()),
        Just("#".to_owned()),
        Just("!".to_owned()),
        Just("$HOME".to_owned()),
        "[a-z0-9 ]{0,4}",
    ];
    prop::collection::vec(piece, 1..5).prop_map(|pieces| format!("v{}", pieces.concat()))
}

/// A simple command ending in the placeholder: the final command behind
/// wrappers, quoted or escaped command names and chains of ssh and watch.
fn simple() -> impl Strategy<Value = String> {
    // `say` prints its arguments a line each: its name needs no quotes at any depth.
    let last = prop_oneof![Just("say {{x}}".to_owned()), Just("/usr/bin/env say {{x}}".to_owned())];
    last.prop_recursive(4, 8, 1, |inner| {
        let spelled = prop_oneof![Just("ssh"), Just("\\ssh"), Just("\"ssh\""), Just("s'sh'"), Just("'ssh'"),];
        let wrapper = prop_oneof![
            Just("sudo "),
            Just("sudo -E "),
            Just("sudo -u root "),
            Just("sudo -u root -- "),
            Just("env A=b "),
            Just("env -u HOME A=b "),
            Just("timeout 10 "),
            Just("timeout -s KILL -k 5 10 "),
            Just("nice "),
            Just("nice -n 1 "),
            Just("nohup "),
            Just("2>/dev/null "),
            Just("</dev/null "),
        ];
        let ssh_tail =
            prop_oneof![Just(" h "), Just(" h -- "), Just(" -p 22 h "), Just(" -o A=b -tt h -- "), Just(" -- h ")];
        let watch = prop_oneof![Just("watch "), Just("watch -n 2 "), Just("\\watch -n 2 -- ")];
        prop_oneof![
            (wrapper, inner.clone()).prop_map(|(w, i)| format!("{w}{i}")),
            (spelled, ssh_tail, builtin(), inner.clone()).prop_map(|(s, t, b, i)| format!("{s}{t}{b}{i}")),
            (watch, builtin(), inner.clone()).prop_map(|(w, b, i)| format!("{w}{b}{i}")),
            inner.prop_map(|i| format!("watch -x {i}")),
        ]
    })
}

/// Builtins that run the rest, and assignments, where a shell (not a
/// program) reads them.
fn builtin() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just(""), Just("command "), Just("exec "), Just("A=b "), Just("A=b command ")]
}

/// A list around a simple command: separators, keywords, subshells and
/// substitutions.
fn compound() -> impl Strategy<Value = String> {
    // `!` only before a simple command: before `false || x` it would skip
    // x; bash reads `time` before a simple command or a pipeline, not a loop.
    let negated = prop_oneof![Just(""), Just("! "), Just("time "), Just("time ! "), Just("true | ")];
    let simple = (negated, builtin(), simple()).prop_map(|(n, b, s)| format!("{n}{b}{s}"));
    simple.prop_recursive(3, 6, 1, |inner| {
        inner.prop_flat_map(|i| {
            prop_oneof![
                Just(format!("true; {i}")),
                Just(format!("true && {i}")),
                Just(format!("false || {i}")),
                // Braces, so an assignment and its use share the pipeline's subshell.
                Just(format!("true | {{ {i}; }}")),
                Just(format!("true\n{i}")),
                Just(format!("if true; then {i}; fi")),
                Just(format!("if false; then :; elif true; then {i}; fi")),
                Just(format!("if false; then :; else {i}; fi")),
                Just(format!("for h in node-1; do {i}; done")),
                Just(format!("while true; do {i}; break; done")),
                Just(format!("until false; do {i}; break; done")),
                Just(format!("{{ {i}; }}")),
                Just(format!("( {i} )")),
                Just(format!("out=$( {i} ); printf '%s\\n' \"$out\"")),
            ]
        })
    })
}

/// Issue 11 #1: whatever the shape of the command around it, a hostile
/// value arrives literal at the final command, through every shell.
#[test]
fn remote_shell_injection_values_arrive_literal_through_every_shape() {
    let shells = Shells::new();
    let config = ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() };
    let mut runner = proptest::test_runner::TestRunner::new(config);
    runner
        .run(&(compound(), typed_hostile()), |(shape, value)| {
            prop_assert!(pagerbook::template::check_value(&value, None).is_ok(), "{value}");
            // Every shape of this grammar is one the tracker must place: none is refused.
            let command = render(&shape, |_| Some(value.as_str()))
                .map_err(|err| TestCaseError::fail(format!("{shape}: {err}")))?;
            let (out, marked) = shells.run(&command);
            prop_assert!(!marked, "injected: {command}");
            prop_assert_eq!(out, format!("{value}\n"), "{}", command);
            Ok(())
        })
        .unwrap();
}

/// Issue 11 #1: the 47 command shapes of the report, each rendered (none
/// refused) and run with a value that injected in 22 of them.
#[test]
fn remote_shell_injection_common_shapes_render_and_arrive_literal() {
    const SHAPES: &[&str] = &[
        "say {{x}}",
        "ssh h say {{x}}",
        "ssh h -- say {{x}}",
        "ssh -p 22 h say {{x}}",
        "ssh -o ConnectTimeout=5 -tt h -- say {{x}}",
        "ssh -- h say {{x}}",
        "ssh h -v -- say {{x}}",
        "/usr/bin/env ssh h say {{x}}",
        "true; ssh h say {{x}}",
        "true && ssh h say {{x}}",
        "false || ssh h say {{x}}",
        "true | ssh h say {{x}}",
        "true\nssh h say {{x}}",
        "(ssh h say {{x}})",
        "out=$(ssh h say {{x}}); printf '%s\\n' \"$out\"",
        "out=`ssh h say {{x}}`; printf '%s\\n' \"$out\"",
        "{ ssh h say {{x}}; }",
        "! ssh h say {{x}}",
        "for h in node-1; do ssh $h -- say {{x}}; done",
        "if true; then ssh h say {{x}}; fi",
        "if false; then :; else ssh h say {{x}}; fi",
        "if false; then :; elif true; then ssh h say {{x}}; fi",
        "while true; do ssh h say {{x}}; break; done",
        "until false; do ssh h say {{x}}; break; done",
        "time ssh h say {{x}}",
        "timeout 10 ssh h say {{x}}",
        "timeout -s KILL -k 5 10 ssh h say {{x}}",
        "nohup ssh h say {{x}}",
        "nice ssh h say {{x}}",
        "nice -n 1 ssh h say {{x}}",
        "env A=b ssh h say {{x}}",
        "env -u HOME A=b ssh h say {{x}}",
        "command ssh h say {{x}}",
        "exec ssh h say {{x}}",
        "sudo ssh h say {{x}}",
        "sudo -E ssh h say {{x}}",
        "sudo -u root -- ssh h say {{x}}",
        "A=b ssh h say {{x}}",
        "2>/dev/null ssh h say {{x}}",
        "\\ssh h say {{x}}",
        "\"ssh\" h say {{x}}",
        "s'sh' h say {{x}}",
        "watch -n 2 say {{x}}",
        "watch -x ssh h say {{x}}",
        "ssh h -- ssh h2 say {{x}}",
        "ssh h -- watch -n 2 say {{x}}",
        "watch -n 2 ssh h say {{x}}",
    ];
    assert_eq!(SHAPES.len(), 47);
    let shells = Shells::new();
    for value in ["v;touch PWNED", "v$(touch PWNED)", "v`touch PWNED`", "v'\"\\ *|touch PWNED"] {
        for shape in SHAPES {
            let command = match render(shape, |_| Some(value)) {
                // Inside backticks a value with ` or \ is refused, whatever the shape.
                Err(pagerbook::template::RenderError::Backticks(_)) if shape.contains('`') => continue,
                rendered => rendered.unwrap_or_else(|err| panic!("{shape}: {err}")),
            };
            let (out, marked) = shells.run(&command);
            assert!(!marked, "injected: {command}");
            assert_eq!(out, format!("{value}\n"), "{command}");
        }
    }
}
