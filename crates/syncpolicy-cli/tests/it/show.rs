//! `syncpolicy show` on every shipped sample (text and JSON snapshots), on folders, and on
//! bad input; plus a check that the shipped samples are what the sample builders produce.

use crate::support::{run, sample, stderr, stdout, workspace};

const SAMPLES: &[&str] = &["express-single-forest", "multi-forest-custom"];

#[test]
fn shipped_samples_match_their_builders() {
    for (name, config) in syncpolicy_samples::samples::all() {
        let on_disk = std::fs::read(sample(name)).expect("sample file exists");
        let built = syncpolicy_json::write_settings(&config);
        assert!(
            on_disk == built,
            "samples/{name}.json is stale; regenerate it with `syncpolicy generate --sample {name} -o samples/{name}.json`"
        );
    }
    assert_eq!(SAMPLES.len(), syncpolicy_samples::samples::all().len());
}

#[test]
fn show_text_for_every_sample() {
    for name in SAMPLES {
        let path = format!("samples/{name}.json");
        let out = run(&["show", &path]);
        assert!(out.status.success(), "{}", stderr(&out));
        insta::assert_snapshot!(format!("show_text_{name}"), stdout(&out));
    }
}

#[test]
fn show_json_for_every_sample() {
    for name in SAMPLES {
        let path = format!("samples/{name}.json");
        let out = run(&["show", &path, "--format", "json"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let value: serde_json::Value =
            serde_json::from_slice(&out.stdout).expect("show emits JSON");
        insta::assert_json_snapshot!(format!("show_json_{name}"), value);
    }
}

#[test]
fn show_reads_the_newest_snapshot_of_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        sample("express-single-forest"),
        dir.path()
            .join("Applied-SynchronizationPolicy-20250101-000000.000Z.json"),
    )
    .unwrap();
    std::fs::copy(
        sample("multi-forest-custom"),
        dir.path()
            .join("Applied-SynchronizationPolicy-20260101-000000.000Z.json"),
    )
    .unwrap();
    let out = run(&["show", dir.path().to_str().unwrap(), "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["directories"].as_array().map(Vec::len), Some(2));
    assert!(v["source"]
        .as_str()
        .unwrap()
        .ends_with("20260101-000000.000Z.json"));
}

#[test]
fn show_reports_bad_input_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.json");
    std::fs::write(
        &broken,
        "{\n  \"azureDirectoryPolicy\": {\n    \"tenantId\": 42\n  }\n}\n",
    )
    .unwrap();
    let out = run(&["show", broken.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out).replace(dir.path().to_str().unwrap(), "<dir>");
    insta::assert_snapshot!(err, @r"
    error: <dir>/broken.json:3:17: wrong value: the number 42 where a text (in double quotes) is expected (at azureDirectoryPolicy.tenantId)
    hint: write a text (in double quotes) here (`syncpolicy validate --explain SP904` says more)
    ");
    let missing = run(&["show", "no/such/file.json"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("no/such/file.json does not exist"));
    let empty = tempfile::tempdir().unwrap();
    let out = run(&["show", empty.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("holds no settings file"));
    assert!(workspace().join("samples").is_dir());
}

#[test]
fn markdown_report_for_every_sample() {
    for name in SAMPLES {
        let path = format!("samples/{name}.json");
        let out = run(&["show", &path, "--format", "markdown"]);
        assert!(out.status.success(), "{}", stderr(&out));
        insta::assert_snapshot!(format!("show_markdown_{name}"), stdout(&out));
    }
}

#[test]
fn html_report_is_written_to_a_file_and_self_contained() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let out = run(&[
        "show",
        "samples/multi-forest-custom.json",
        "--format",
        "html",
        "-o",
        page.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).is_empty(), "the page goes to the file");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        !html.contains("http://") && !html.contains("https://") && !html.contains(" src="),
        "self-contained: no network references"
    );
    assert_eq!(html.matches("<style>").count(), 1, "one stylesheet");
    for id in [
        "policy",
        "sign-in",
        "entra",
        "directories",
        "rules",
        "metaverse",
        "findings",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "section {id}");
    }
    // Every rule of the sample is documented, standard and custom marked.
    let config = syncpolicy_samples::samples::multi_forest_custom();
    assert_eq!(
        html.matches("<details class=\"rule\"").count(),
        config.rule_count()
    );
    assert!(html.contains("<span class=\"badge disabled\">disabled</span>"));
    assert!(html.contains("<span class=\"badge custom\">custom</span>"));
}

/// Under `SYNCPOLICY_TIMINGS=1` the report's phases go to stderr, and the report is the same.
#[test]
fn report_phases_are_timed_on_request() {
    let path = "samples/multi-forest-custom.json";
    let plain = run(&["show", path, "--format", "markdown"]);
    assert!(plain.status.success(), "{}", stderr(&plain));
    let timed = std::process::Command::new(env!("CARGO_BIN_EXE_syncpolicy"))
        .args(["show", path, "--format", "markdown"])
        .current_dir(workspace())
        .env("NO_COLOR", "1")
        .env_remove("SYNCPOLICY_HOME")
        .env_remove("SYNCPOLICY_DATABASE")
        .env("SYNCPOLICY_TIMINGS", "1")
        .output()
        .expect("the syncpolicy binary runs");
    assert!(timed.status.success(), "{}", stderr(&timed));
    assert_eq!(stdout(&timed), stdout(&plain));
    let err = stderr(&timed);
    for phase in [
        "read source",
        "build report",
        "validate",
        "place findings",
        "attach findings",
        "render and write",
    ] {
        // Each phase's line ends with its name, then (on Linux) the resident memory.
        assert!(
            err.lines().any(|l| {
                let named = match l.rsplit_once("  (resident ") {
                    Some((named, mb)) => {
                        assert!(mb.ends_with(" MB)"), "{l}");
                        named
                    }
                    None if cfg!(target_os = "linux") => panic!("no resident memory in {l}"),
                    None => l,
                };
                l.starts_with("timing:") && named.ends_with(phase)
            }),
            "{phase} in {err}"
        );
    }
    assert!(!stderr(&plain).contains("timing:"));
}
