//! Property: whatever a placeholder's value holds (shell metacharacters,
//! quotes, newlines, non-ASCII), the rendered command passes it to the
//! program as one literal argument, here and on the far side of ssh.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::process::Command;

use pagerbook::template::render;
use proptest::prelude::*;

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
        prop_assert_eq!(String::from_utf8(out.stdout).unwrap(), value, "{}", command);
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
        prop_assert_eq!(String::from_utf8(out.stdout).unwrap(), value, "{}", command);
    }
}
