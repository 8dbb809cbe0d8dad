//! `syncpolicy install`: import then verify for every sample, refusals, the non-interactive
//! import with all flags and the missing-answers error, express install, and an interactive
//! import driven through a pseudo-terminal.

use crate::support::{sample, stderr, stdout, workspace};
use std::path::Path;
use std::process::{Command, Output};

/// Runs the binary with a home folder and extra environment.
pub(crate) fn run_in(home: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_syncpolicy"));
    c.arg("--home")
        .arg(home)
        .args(args)
        .current_dir(workspace())
        .env("NO_COLOR", "1")
        .env("USER", "tester")
        .env_remove("SYNCPOLICY_HOME")
        .env_remove("SYNCPOLICY_DATABASE")
        .env_remove("SYNCPOLICY_CREDENTIALS")
        .stdin(std::process::Stdio::null());
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("the syncpolicy binary runs")
}

fn credentials_for(name: &str) -> &'static str {
    match name {
        "express-single-forest" => "contoso.com=Forest-Pa55-one\n",
        _ => "contoso.com=Forest-Pa55-one\nfabrikam.com=Forest-Pa55-two\n",
    }
}

#[test]
fn import_then_verify_passes_for_every_sample() {
    for name in ["express-single-forest", "multi-forest-custom"] {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        let creds = dir.path().join("creds");
        std::fs::write(&creds, credentials_for(name)).unwrap();
        let file = sample(name);
        let file = file.to_str().unwrap();
        let o = run_in(
            &home,
            &[
                "install",
                "--import",
                file,
                "--yes",
                "--credential-file",
                creds.to_str().unwrap(),
            ],
            &[],
        );
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        let v = run_in(&home, &["verify", file], &[]);
        assert_eq!(
            v.status.code(),
            Some(0),
            "{name}: {}{}",
            stdout(&v),
            stderr(&v)
        );
        assert!(stdout(&v).contains("verify passed"), "{name}");
        // Everything from the file is there: disabled custom rules, device writeback, object
        // types, run profiles, attribute inclusions.
        let original =
            syncpolicy_json::read_settings(&std::fs::read(sample(name)).unwrap(), name).unwrap();
        let show = run_in(&home, &["show", "--format", "json"], &[]);
        let json: serde_json::Value = serde_json::from_str(&stdout(&show)).unwrap();
        assert_eq!(
            json["rules"]["disabled"].as_u64().unwrap() as usize,
            original.rules().filter(|(_, r)| r.disabled).count(),
            "{name}"
        );
        for (i, d) in original.onpremises_directories.iter().enumerate() {
            let shown = &json["directories"][i];
            assert_eq!(
                shown["objectTypes"],
                serde_json::json!(d.connector.object_types),
                "{name}"
            );
            assert_eq!(
                shown["runProfiles"].as_array().unwrap().len(),
                d.connector.run_profiles.len(),
                "{name}"
            );
        }
        assert_eq!(
            json["features"]["deviceWriteback"]
                .as_array()
                .unwrap()
                .len(),
            original
                .onpremises_directories
                .iter()
                .filter(|d| !d.device_writeback_dn.is_empty())
                .count()
        );
        // Staging mode is on after an import.
        assert_eq!(
            json["server"]["stagingMode"],
            serde_json::json!(true),
            "{name}"
        );
    }
}

#[test]
fn verify_fails_after_a_configuration_change() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let file = sample("express-single-forest");
    let o = run_in(
        &home,
        &[
            "install",
            "--import",
            file.to_str().unwrap(),
            "--yes",
            "--precreated",
            "contoso.com",
        ],
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let mut config = syncpolicy_json::read_settings(&std::fs::read(&file).unwrap(), "x").unwrap();
    config.password_writeback = !config.password_writeback;
    let edited = dir.path().join("edited.json");
    std::fs::write(&edited, syncpolicy_json::write_settings(&config)).unwrap();
    let v = run_in(&home, &["verify", edited.to_str().unwrap()], &[]);
    assert_eq!(v.status.code(), Some(1), "{}", stdout(&v));
    assert!(
        stdout(&v).contains("verify failed: 1 unexpected difference"),
        "{}",
        stdout(&v)
    );
}

#[test]
fn import_refuses_an_existing_database_and_other_connectors_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let file = sample("express-single-forest");
    let o = run_in(
        &home,
        &[
            "install",
            "--import",
            file.to_str().unwrap(),
            "--use-existing-database",
            "--yes",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--use-existing-database cannot be combined with --import"),
        "{}",
        stderr(&o)
    );
    assert!(!home.exists());

    let mut config = syncpolicy_json::read_settings(&std::fs::read(&file).unwrap(), "x").unwrap();
    config
        .deployment_metadata
        .connector_ids
        .get_or_insert_with(Vec::new)
        .push("9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d".to_owned());
    let gsql = dir.path().join("gsql.json");
    std::fs::write(&gsql, syncpolicy_json::write_settings(&config)).unwrap();
    let o = run_in(
        &home,
        &[
            "install",
            "--import",
            gsql.to_str().unwrap(),
            "--yes",
            "--precreated",
            "contoso.com",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("G-SQL, G-LDAP"), "{}", stderr(&o));
    assert!(stderr(&o).contains("9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"));
    assert!(
        !home.exists(),
        "a refused import leaves no deployment behind"
    );
}

#[test]
fn import_of_a_file_with_errors_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let mut config = syncpolicy_samples::samples::multi_forest_custom();
    let d = &mut config.onpremises_directories[0];
    let p = d.custom_rules[0].precedence;
    d.custom_rules[1].precedence = p;
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, syncpolicy_json::write_settings(&config)).unwrap();
    let o = run_in(
        &home,
        &["install", "--import", bad.to_str().unwrap(), "--yes"],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nothing was written"), "{}", stderr(&o));
    assert!(!home.exists());
}

#[test]
fn non_interactive_import_with_all_flags_and_missing_answers_listed() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let file = sample("multi-forest-custom");
    let file = file.to_str().unwrap();
    // A new tenant without a new administrator: listed as missing, nothing written.
    let o = run_in(
        &home,
        &[
            "install",
            "--import",
            file,
            "--yes",
            "--tenant",
            "11111111-2222-4333-8444-555555555555",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("--admin UPN"), "{err}");
    assert!(
        err.contains("a password for directory contoso.com"),
        "{err}"
    );
    assert!(
        err.contains("a password for directory fabrikam.com"),
        "{err}"
    );
    assert!(!home.exists());

    let o = run_in(
        &home,
        &[
            "install",
            "--import",
            file,
            "--yes",
            "--tenant",
            "11111111-2222-4333-8444-555555555555",
            "--admin",
            "admin@new.onmicrosoft.com",
            "--sign-in",
            "adfs",
            "--federation-server",
            "sts.contoso.com",
            "--directory-account",
            "contoso.com=CONTOSO\\svc-new",
            "--precreated",
            "fabrikam.com",
            "--staging",
            "off",
            "--start-sync",
            "off",
            "--service-account",
            "svc-sync",
            "--author",
            "ci",
        ],
        &[("SYNCPOLICY_CREDENTIALS", "contoso.com=Env-Pa55-word\n")],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let show = run_in(&home, &["show", "--format", "json"], &[]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&show)).unwrap();
    assert_eq!(json["entra"]["administrator"], "admin@new.onmicrosoft.com");
    assert_eq!(
        json["entra"]["tenantId"],
        "11111111-2222-4333-8444-555555555555"
    );
    assert_eq!(json["signIn"]["method"], "FederationWithADFS");
    assert_eq!(json["directories"][0]["account"], "CONTOSO\\svc-new");
    assert_eq!(json["server"]["stagingMode"], false);
    assert_eq!(json["server"]["schedulerEnabled"], false);
    assert_eq!(json["metadata"]["serviceAccount"], "svc-sync");
    let history = run_in(&home, &["history", "--format", "json"], &[]);
    let h: serde_json::Value = serde_json::from_str(&stdout(&history)).unwrap();
    let h = &h["entries"];
    assert_eq!(h[0]["author"], "ci");
    assert_eq!(h[0]["command"], "install --import");
    // The install choices are expected differences.
    let v = run_in(&home, &["verify", file], &[]);
    assert_eq!(v.status.code(), Some(0), "{}", stdout(&v));
    // The secret is in the owner-only secrets file and nowhere else.
    let secrets = std::fs::read_to_string(home.join("secrets.json")).unwrap();
    assert!(secrets.contains("Env-Pa55-word"));
    for entry in std::fs::read_dir(home.join("exports")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(!text.contains("Env-Pa55-word"));
    }
    assert!(!stdout(&history).contains("Env-Pa55-word"));
    assert!(!stderr(&o).contains("Env-Pa55-word"));
}

#[test]
fn express_install_builds_one_forest() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let o = run_in(
        &home,
        &[
            "install",
            "--yes",
            "--forest",
            "fabrikam.com",
            "--account",
            "FABRIKAM\\svc",
            "--tenant",
            "fabrikam.onmicrosoft.com",
            "--admin",
            "admin@fabrikam.onmicrosoft.com",
            "--precreated",
            "fabrikam.com",
        ],
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let show = run_in(&home, &["show", "--format", "json"], &[]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&show)).unwrap();
    assert_eq!(json["directories"].as_array().unwrap().len(), 1);
    assert_eq!(json["directories"][0]["name"], "fabrikam.com");
    assert_eq!(
        json["directories"][0]["partitions"][0]["distinguishedName"],
        "DC=fabrikam,DC=com"
    );
    assert_eq!(json["server"]["stagingMode"], false);
    assert!(
        !stdout(&show).contains("contoso"),
        "nothing of the template's forest is left"
    );
    // A second install into the same home is refused.
    let again = run_in(
        &home,
        &[
            "install",
            "--yes",
            "--forest",
            "x.com",
            "--account",
            "X\\y",
            "--tenant",
            "t",
        ],
        &[],
    );
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("a deployment already exists"));
}

#[test]
fn interactive_import_through_a_pseudo_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_syncpolicy"));
    cmd.arg("--home")
        .arg(&home)
        .args(["install", "--import"])
        .arg(sample("multi-forest-custom"))
        .env("NO_COLOR", "1")
        .env("USER", "tester")
        .env_remove("SYNCPOLICY_CREDENTIALS")
        .env_remove("SYNCPOLICY_HOME")
        .env_remove("SYNCPOLICY_DATABASE");
    let mut p =
        rexpect::session::spawn_command(cmd, Some(60_000)).expect("the binary starts on a pty");
    p.exp_string("Entra administrator [admin@contoso.onmicrosoft.com]: ")
        .unwrap();
    p.send_line("").unwrap();
    p.exp_string("Sign-in method (phs, pta, adfs, ping, none) [pta]: ")
        .unwrap();
    p.send_line("ping").unwrap();
    p.exp_string("PingFederate federation server: ").unwrap();
    p.send_line("ping.contoso.com").unwrap();
    p.exp_string("Directory contoso.com: use a pre-created account? (yes/no) [no]: ")
        .unwrap();
    p.send_line("").unwrap();
    p.exp_string("Directory contoso.com: account [CONTOSO\\svc-aadsync]: ")
        .unwrap();
    p.send_line("").unwrap();
    p.exp_string("Directory contoso.com: password for CONTOSO\\svc-aadsync: ")
        .unwrap();
    p.send_line("Typed-Pa55-word").unwrap();
    p.exp_string("Directory fabrikam.com: use a pre-created account? (yes/no) [no]: ")
        .unwrap();
    p.send_line("yes").unwrap();
    p.exp_string("Directory fabrikam.com: account [FABRIKAM\\svc-aadsync]: ")
        .unwrap();
    p.send_line("FABRIKAM\\precreated").unwrap();
    p.exp_string("Staging mode (on/off) [on]: ").unwrap();
    p.send_line("").unwrap();
    p.exp_string("Start synchronization when the installation completes (on/off) [on]: ")
        .unwrap();
    p.send_line("off").unwrap();
    // The answers are summed up (the typed password is not among them), then confirmed.
    p.exp_string("Summary of the answers:").unwrap();
    let summary = p
        .exp_string("Proceed with the installation? (yes/no): ")
        .unwrap();
    assert!(
        summary
            .contains("sign-in federation with PingFederate, federation server ping.contoso.com"),
        "{summary:?}"
    );
    assert!(
        summary.contains(
            "directory contoso.com: account CONTOSO\\svc-aadsync, password given (not shown)"
        ),
        "{summary:?}"
    );
    assert!(
        summary.contains("directory fabrikam.com: account FABRIKAM\\precreated, pre-created account, no password stored"),
        "{summary:?}"
    );
    assert!(
        summary.contains("staging mode on, start synchronization off"),
        "{summary:?}"
    );
    assert!(!summary.contains("Typed-Pa55-word"), "{summary:?}");
    p.send_line("yes").unwrap();
    let rest = p.exp_string("installed the deployment").unwrap();
    assert!(!rest.contains("Typed-Pa55-word"), "{rest:?}");
    p.exp_eof().unwrap();
    let show = run_in(&home, &["show", "--format", "json"], &[]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&show)).unwrap();
    assert_eq!(json["signIn"]["method"], "FederationWithPing");
    assert_eq!(json["directories"][1]["account"], "FABRIKAM\\precreated");
    assert_eq!(json["server"]["stagingMode"], true);
    let secrets = std::fs::read_to_string(home.join("secrets.json")).unwrap();
    assert!(secrets.contains("Typed-Pa55-word"));
    assert!(secrets.contains("ping.contoso.com"));
}

#[test]
fn prompts_ask_again_until_the_answer_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_syncpolicy"));
    cmd.arg("--home")
        .arg(&home)
        .args(["install", "--import"])
        .arg(sample("multi-forest-custom"))
        .env("NO_COLOR", "1")
        .env("USER", "tester")
        .env_remove("SYNCPOLICY_CREDENTIALS")
        .env_remove("SYNCPOLICY_HOME")
        .env_remove("SYNCPOLICY_DATABASE");
    let mut p =
        rexpect::session::spawn_command(cmd, Some(60_000)).expect("the binary starts on a pty");
    p.exp_string("Entra administrator [admin@contoso.onmicrosoft.com]: ")
        .unwrap();
    p.send_line("").unwrap();
    // A choice: an unknown answer names the valid ones and asks again.
    let sign_in = "Sign-in method (phs, pta, adfs, ping, none) [pta]: ";
    p.exp_string(sign_in).unwrap();
    p.send_line("passwordless").unwrap();
    p.exp_string("\"passwordless\" is not a valid answer; answer phs, pta, adfs, ping or none")
        .unwrap();
    p.exp_string(sign_in).unwrap();
    p.send_line("PHS").unwrap();
    // Yes/no accepts only yes or no ("yellow" is not yes).
    let precreated = "Directory contoso.com: use a pre-created account? (yes/no) [no]: ";
    p.exp_string(precreated).unwrap();
    p.send_line("yellow").unwrap();
    p.exp_string("\"yellow\" is not a valid answer; answer yes or no")
        .unwrap();
    p.exp_string(precreated).unwrap();
    p.send_line("n").unwrap();
    p.exp_string("Directory contoso.com: account [CONTOSO\\svc-aadsync]: ")
        .unwrap();
    p.send_line("").unwrap();
    // An empty password asks again; the typed password is not echoed.
    let password = "Directory contoso.com: password for CONTOSO\\svc-aadsync: ";
    p.exp_string(password).unwrap();
    p.send_line("").unwrap();
    p.exp_string("a password is needed").unwrap();
    p.exp_string(password).unwrap();
    p.send_line("Hidden-Pa55-word").unwrap();
    let echoed = p
        .exp_string("Directory fabrikam.com: use a pre-created account? (yes/no) [no]: ")
        .unwrap();
    assert!(!echoed.contains("Hidden-Pa55-word"), "echoed: {echoed:?}");
    p.send_line("yes").unwrap();
    p.exp_string("Directory fabrikam.com: account [FABRIKAM\\svc-aadsync]: ")
        .unwrap();
    p.send_line("").unwrap();
    let staging = "Staging mode (on/off) [on]: ";
    p.exp_string(staging).unwrap();
    p.send_line("maybe").unwrap();
    p.exp_string("\"maybe\" is not a valid answer; answer on or off")
        .unwrap();
    p.exp_string(staging).unwrap();
    p.send_line("off").unwrap();
    p.exp_string("Start synchronization when the installation completes (on/off) [on]: ")
        .unwrap();
    p.send_line("").unwrap();
    // The final confirmation has no default: an empty answer or anything but yes/no asks
    // again.
    let proceed = "Proceed with the installation? (yes/no): ";
    p.exp_string(proceed).unwrap();
    p.send_line("").unwrap();
    p.exp_string("\"\" is not a valid answer; answer yes or no")
        .unwrap();
    p.exp_string(proceed).unwrap();
    p.send_line("yes please").unwrap();
    p.exp_string("\"yes please\" is not a valid answer; answer yes or no")
        .unwrap();
    p.exp_string(proceed).unwrap();
    p.send_line("Y").unwrap();
    p.exp_string("installed the deployment").unwrap();
    p.exp_eof().unwrap();
    let show = run_in(&home, &["show", "--format", "json"], &[]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&show)).unwrap();
    assert_eq!(json["signIn"]["method"], "PasswordHashSync");
    assert_eq!(json["server"]["stagingMode"], false);
    let secrets = std::fs::read_to_string(home.join("secrets.json")).unwrap();
    assert!(secrets.contains("Hidden-Pa55-word"));
}

#[test]
fn no_at_the_final_confirmation_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_syncpolicy"));
    cmd.arg("--home")
        .arg(&home)
        .args(["install", "--import"])
        .arg(sample("multi-forest-custom"))
        .args([
            "--admin",
            "admin@contoso.onmicrosoft.com",
            "--sign-in",
            "phs",
            "--directory-account",
            "contoso.com=CONTOSO\\svc",
            "--directory-account",
            "fabrikam.com=FABRIKAM\\svc",
            "--staging",
            "on",
            "--start-sync",
            "on",
        ])
        .env("NO_COLOR", "1")
        .env("USER", "tester")
        .env(
            "SYNCPOLICY_CREDENTIALS",
            "contoso.com=Env-Pa55-one\nfabrikam.com=Env-Pa55-two\n",
        )
        .env_remove("SYNCPOLICY_HOME")
        .env_remove("SYNCPOLICY_DATABASE");
    let mut p =
        rexpect::session::spawn_command(cmd, Some(60_000)).expect("the binary starts on a pty");
    // Every answer came from flags and the environment: only the confirmation is asked.
    let summary = p
        .exp_string("Proceed with the installation? (yes/no): ")
        .unwrap();
    assert!(summary.contains("Summary of the answers:"), "{summary:?}");
    assert!(
        summary
            .contains("directory fabrikam.com: account FABRIKAM\\svc, password given (not shown)"),
        "{summary:?}"
    );
    assert!(!summary.contains("Env-Pa55"), "{summary:?}");
    p.send_line("n").unwrap();
    let rest = p.exp_eof().unwrap();
    assert!(
        rest.contains("the installation was not confirmed; nothing was written"),
        "{rest:?}"
    );
    assert!(
        matches!(
            p.process.wait().unwrap(),
            rexpect::process::wait::WaitStatus::Exited(_, 2)
        ),
        "exit code 2"
    );
    assert!(!home.join("deployment.json").exists());
    assert!(!home.join("syncpolicy.db").exists());
    assert!(!home.join("secrets.json").exists());
}
