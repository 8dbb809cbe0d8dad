//! `syncpolicy diff` end to end: output snapshots of every format on a crafted pair, exit
//! codes, `--map`, filters, errors, and the HTML page opened in headless Chromium.

use crate::support::workspace;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use syncpolicy_model::config::Configuration;

/// A crafted pair: the multi-forest sample, and a copy with a rule disabled, a mapping
/// expression and a scope clause changed, an OU exclusion added, a custom rule removed, the
/// contoso.com standard rules renumbered (product) and a new time stamp (metadata).
fn crafted_pair() -> (Configuration, Configuration) {
    let old = syncpolicy_samples::samples::multi_forest_custom();
    let mut new = old.clone();
    new.policy_metadata.time_created = Some("2026-12-01 10:00:00Z".to_owned());
    let contoso = &mut new.onpremises_directories[0];
    contoso.partitions[0]
        .exclusions
        .push("OU=Disabled Users,DC=contoso,DC=com".to_owned());
    for r in contoso.standard_rules.iter_mut() {
        r.precedence += 2;
    }
    let cost = contoso
        .custom_rules
        .iter_mut()
        .find(|r| r.name() == "In from AD - User Cost Center")
        .expect("the sample has the cost-centre rule");
    cost.disabled = true;
    cost.mappings[0].expression =
        "Left(Trim([extensionAttribute15]), 24) & \"-\" & UCase([department])".to_owned();
    cost.scope_groups[0][1].value = "Svc_".to_owned();
    contoso
        .custom_rules
        .retain(|r| r.name() != "In from AD - Service Accounts Sticky");
    (old, new)
}

/// Writes the pair as old.json and new.json into a new temporary folder.
fn write_pair(old: &Configuration, new: &Configuration) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("old.json"),
        syncpolicy_json::write_settings(old),
    )
    .expect("write old");
    std::fs::write(
        dir.path().join("new.json"),
        syncpolicy_json::write_settings(new),
    )
    .expect("write new");
    dir
}

/// Runs the binary in `dir` (so that file names in the output are relative), without colour.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_syncpolicy"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("SYNCPOLICY_HOME")
        .env_remove("SYNCPOLICY_DATABASE")
        .output()
        .expect("the syncpolicy binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn text_output_of_a_crafted_pair() {
    let (old, new) = crafted_pair();
    let dir = write_pair(&old, &new);
    let out = run_in(dir.path(), &["diff", "old.json", "new.json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    insta::assert_snapshot!("diff_text", stdout(&out));
}

#[test]
fn json_output_of_a_crafted_pair() {
    let (old, new) = crafted_pair();
    let dir = write_pair(&old, &new);
    let out = run_in(
        dir.path(),
        &["diff", "old.json", "new.json", "--format", "json", "--all"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("diff emits JSON");
    assert_eq!(v["schema"], "syncpolicy-diff/2");
    insta::assert_json_snapshot!("diff_json", v);
}

#[test]
fn markdown_output_of_a_crafted_pair() {
    let (old, new) = crafted_pair();
    let dir = write_pair(&old, &new);
    let out = run_in(
        dir.path(),
        &["diff", "old.json", "new.json", "--format", "markdown"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    insta::assert_snapshot!("diff_markdown", stdout(&out));
}

#[test]
fn html_output_of_a_crafted_pair() {
    let (old, new) = crafted_pair();
    let dir = write_pair(&old, &new);
    let out = run_in(
        dir.path(),
        &[
            "diff",
            "old.json",
            "new.json",
            "--format",
            "html",
            "-o",
            "diff.html",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).is_empty(), "the page goes to the file");
    let html = std::fs::read_to_string(dir.path().join("diff.html")).expect("diff.html written");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "self-contained: no network references"
    );
    insta::assert_snapshot!("diff_html", html);
}

#[test]
fn exit_codes_and_filters() {
    let (old, _) = crafted_pair();
    let mut product_only = old.clone();
    for r in product_only.onpremises_directories[1]
        .standard_rules
        .iter_mut()
    {
        r.precedence += 1;
    }
    product_only.deployment_metadata.host_name = Some("AADSYNC-STG.contoso.com".to_owned());
    let dir = write_pair(&old, &product_only);
    let same = run_in(dir.path(), &["diff", "old.json", "old.json"]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    assert_eq!(
        stdout(&same),
        "Comparing old.json -> old.json\nno differences\n"
    );
    let product = run_in(dir.path(), &["diff", "old.json", "new.json"]);
    assert_eq!(product.status.code(), Some(1));
    let hidden = run_in(
        dir.path(),
        &["diff", "old.json", "new.json", "--hide-product"],
    );
    assert_eq!(hidden.status.code(), Some(0), "{}", stdout(&hidden));
    insta::assert_snapshot!(stdout(&hidden), @r"
    Comparing old.json -> new.json
    no differences; hidden: 1 product (shown without --hide-product), 2 metadata (shown with --all)
    ");
    let all = run_in(
        dir.path(),
        &["diff", "old.json", "new.json", "--hide-product", "--all"],
    );
    assert_eq!(all.status.code(), Some(1));
    assert!(stdout(&all).contains(
        "deployment metadata / host name: AADSYNC-PRI.contoso.com -> AADSYNC-STG.contoso.com"
    ));
}

#[test]
fn a_renamed_forest_with_map_and_ids() {
    let old = syncpolicy_samples::samples::multi_forest_custom();
    let mut new = old.clone();
    new.onpremises_directories[1].name = "adatum.com".to_owned();
    new.onpremises_directories[1].unique_identifier =
        "0a0a0a0a-1b1b-4c4c-8d8d-0e0e0e0e0e0e".to_owned();
    let dir = write_pair(&old, &new);
    let proposed = run_in(dir.path(), &["diff", "old.json", "new.json"]);
    assert_eq!(proposed.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&proposed), @r"
    Comparing old.json -> new.json
    1 change: 0 added, 0 removed, 0 modified, 1 renamed, 0 moved (1 configuration); hidden: 1 metadata (shown with --all)
    note: paired directory fabrikam.com with adatum.com (the only unpaired directory on each side); confirm with --map fabrikam.com=adatum.com or pair differently with --map

    On-premises directories
      ~ adatum.com / name: fabrikam.com -> adatum.com [renamed]
    ");
    let mapped = run_in(
        dir.path(),
        &[
            "diff",
            "old.json",
            "new.json",
            "--map",
            "fabrikam.com=adatum.com",
            "--show-ids",
            "--format",
            "json",
        ],
    );
    assert_eq!(mapped.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&mapped.stdout).expect("JSON");
    assert_eq!(v["pairings"][1]["how"], "mapped");
    assert_eq!(v["identifiers"][0]["path"], "adatum.com / identifier");
    assert_eq!(
        v["identifiers"][0]["new"],
        "0a0a0a0a-1b1b-4c4c-8d8d-0e0e0e0e0e0e"
    );
}

#[test]
fn errors_exit_2_and_say_what_to_do() {
    let (old, new) = crafted_pair();
    let dir = write_pair(&old, &new);
    let missing = run_in(dir.path(), &["diff", "old.json", "missing.json"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("missing.json does not exist"),
        "{}",
        stderr(&missing)
    );
    let bad_map = run_in(
        dir.path(),
        &[
            "diff",
            "old.json",
            "new.json",
            "--map",
            "nowhere=contoso.com",
        ],
    );
    assert_eq!(bad_map.status.code(), Some(2));
    insta::assert_snapshot!(stderr(&bad_map), @r#"
    error: --map nowhere=contoso.com: the old configuration has no on-premises directory named "nowhere"
    hint: use a directory name or identifier of the old configuration: contoso.com, fabrikam.com
    "#);
    let malformed = run_in(
        dir.path(),
        &["diff", "old.json", "new.json", "--map", "nowhere"],
    );
    assert_eq!(malformed.status.code(), Some(2));
    assert!(
        stderr(&malformed).contains("is not OLD=NEW"),
        "{}",
        stderr(&malformed)
    );
    std::fs::write(dir.path().join("broken.json"), "{\"policyMetadata\": ").expect("write");
    let broken = run_in(dir.path(), &["diff", "broken.json", "new.json"]);
    assert_eq!(broken.status.code(), Some(2));
    assert!(
        stderr(&broken).contains("broken.json"),
        "{}",
        stderr(&broken)
    );
}

const CHROMIUM: &str = "/usr/bin/chromium";

fn chromium(profile: &Path, extra: &[&str], page: &Path) -> Output {
    let url = format!("file://{}", page.display());
    Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .output()
        .expect("chromium runs")
}

#[test]
fn html_opens_in_headless_chromium_without_errors() {
    assert!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: the HTML diff must be checked in a real browser\nhint: run `apt-get install -y chromium` (scripts/test installs it)"
    );
    let (old, new) = crafted_pair();
    let dir = write_pair(&old, &new);
    let artifacts: PathBuf = workspace().join("test-artifacts");
    std::fs::create_dir_all(&artifacts).expect("create test-artifacts");
    let page = artifacts.join("diff.html");
    let out = run_in(
        dir.path(),
        &[
            "diff",
            "old.json",
            "new.json",
            "--format",
            "html",
            "--all",
            "-o",
            page.to_str().expect("utf-8 path"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));

    let profile = tempfile::tempdir().expect("profile dir");
    let dom = chromium(profile.path(), &["--dump-dom"], &page);
    let dom_text = stdout(&dom);
    assert!(dom.status.success(), "chromium failed: {}", stderr(&dom));
    assert!(
        dom_text.contains("data-ready=\"1\""),
        "the page script did not finish:\n{}",
        stderr(&dom)
    );
    assert!(
        !dom_text.contains("data-js-error=\""),
        "script error in the page: {dom_text}"
    );
    assert!(
        dom_text.contains("<pre id=\"js-errors\" hidden=\"\"></pre>"),
        "script error in the page: {dom_text}"
    );
    let log = stderr(&dom);
    let console_errors: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("CONSOLE") && l.contains("Uncaught"))
        .collect();
    assert!(
        console_errors.is_empty(),
        "console errors: {console_errors:?}"
    );
    assert!(
        dom_text.contains("of 8 changes shown"),
        "filters ran over every change"
    );

    let shot = artifacts.join("diff.png");
    let _ = std::fs::remove_file(&shot);
    let profile = tempfile::tempdir().expect("profile dir");
    let screenshot = chromium(
        profile.path(),
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,2000",
        ],
        &page,
    );
    assert!(
        screenshot.status.success(),
        "chromium failed: {}",
        stderr(&screenshot)
    );
    let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
    assert!(
        size > 10_000,
        "no screenshot at {} ({size} bytes)",
        shot.display()
    );
}
