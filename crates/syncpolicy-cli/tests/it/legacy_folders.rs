//! Legacy folders in the shapes Microsoft's tools write, through the binary: a plain
//! `Get-ADSyncServerConfiguration` folder (no `PersistedState.xml`, no `MigratedPolicy.json`)
//! in every command that takes a folder, every shape of the fixture generator, and hostile
//! folders (depth, width, long lines, truncation, control characters in names, wrong
//! encodings), each ending in exit 2 with a clear error or a correct result, never a panic.

use crate::install::run_in;
use crate::support::{run, stderr, stdout};
use std::path::{Path, PathBuf};
use std::process::Output;
use syncpolicy_files::legacy::write_legacy_folder_shaped;
use syncpolicy_legacy::fixture::Shape;
use syncpolicy_model::config::Configuration;

fn sample() -> Configuration {
    syncpolicy_samples::samples::multi_forest_custom()
}

/// Writes a folder for the sample in a shape; returns the temporary folder and the export.
fn folder(shape: &Shape) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("Exported-ServerConfiguration-test");
    std::fs::create_dir_all(&dir).unwrap();
    write_legacy_folder_shaped(&dir, &sample(), shape).unwrap();
    (tmp, dir)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// No panic, no raw control character on the terminal.
fn assert_clean(o: &Output, what: &str) {
    let err = stderr(o);
    let out = stdout(o);
    assert!(!err.contains("panicked"), "{what}: {err}");
    for text in [&err, &out] {
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t'),
            "{what}: raw control character in {text:?}"
        );
    }
}

/// Exit 2 with the file named, a clean message and a hint.
fn assert_refused(o: &Output, file: &str, what: &str) -> String {
    assert_clean(o, what);
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "{what}: {err}");
    assert!(err.starts_with("error: "), "{what}: {err}");
    assert!(err.contains(file), "{what}: {file} not named in {err}");
    assert!(err.contains("hint: "), "{what}: {err}");
    err
}

fn rule_file(dir: &Path) -> PathBuf {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("SynchronizationRules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.remove(0)
}

fn ad_connector_file(dir: &Path) -> PathBuf {
    std::fs::read_dir(dir.join("Connectors"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            std::fs::read_to_string(p)
                .unwrap()
                .contains("<category>AD</category>")
        })
        .unwrap()
}

#[test]
fn every_command_reads_a_plain_server_configuration_folder() {
    let (tmp, dir) = folder(&Shape::server_configuration(64 * 1024));
    assert!(!dir.join("PersistedState.xml").exists());
    assert!(!dir.join("MigratedPolicy.json").exists());
    let out = tmp.path().join("out.json");
    let report = tmp.path().join("report.json");
    let o = run(&["migrate", s(&dir), "-o", s(&out), "--report", s(&report)]);
    assert_clean(&o, "migrate");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("the folder has no MigratedPolicy.json"),
        "{err}"
    );
    assert!(
        err.contains("the folder has no PersistedState.xml"),
        "{err}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let text = json.to_string();
    assert_eq!(text.matches("SP321").count(), 2, "{text}");
    let migrated =
        syncpolicy_json::read_settings(&std::fs::read(&out).unwrap(), "out.json").unwrap();
    assert_eq!(migrated.rule_count(), sample().rule_count());
    assert_eq!(
        migrated.onpremises_directories.len(),
        sample().onpremises_directories.len()
    );
    // Nothing invented for what the missing files would have said.
    assert_eq!(migrated.policy_metadata, Default::default());
    assert_eq!(migrated.deployment_metadata.host_name, None);
    assert!(migrated.deployment_metadata.service_account.is_empty());

    for args in [
        vec!["show", s(&dir)],
        vec!["show", s(&dir), "--format", "json"],
        vec!["diff", s(&dir), s(&dir)],
        vec!["diff", s(&dir), s(&out)],
    ] {
        let o = run(&args);
        assert_clean(&o, &args.join(" "));
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    }
    let o = run(&["validate", s(&dir)]);
    assert_clean(&o, "validate");
    assert_ne!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    assert!(!stderr(&o).contains("has no"), "{}", stderr(&o));

    // Detected as a legacy folder by its subfolders, in any case, under any name.
    let renamed = tmp.path().join("export");
    std::fs::rename(&dir, &renamed).unwrap();
    for sub in ["Connectors", "GlobalSettings", "SynchronizationRules"] {
        std::fs::rename(renamed.join(sub), renamed.join(sub.to_ascii_lowercase())).unwrap();
    }
    let o = run(&["show", s(&renamed), "--format", "json"]);
    assert_clean(&o, "show renamed");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("contoso.com"), "{}", stdout(&o));

    // install --migrate takes it too.
    let home = tmp.path().join("home");
    let creds = tmp.path().join("creds");
    std::fs::write(
        &creds,
        "contoso.com=Forest-Pa55-one\nfabrikam.com=Forest-Pa55-two\n",
    )
    .unwrap();
    let o = run_in(
        &home,
        &[
            "install",
            "--migrate",
            s(&renamed),
            "--yes",
            "--admin",
            "admin@contoso.onmicrosoft.com",
            "--credential-file",
            s(&creds),
        ],
        &[],
    );
    assert_clean(&o, "install --migrate");
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
}

#[test]
fn every_shape_of_the_generator_migrates_to_the_same_configuration() {
    let mut first: Option<Configuration> = None;
    for shape in Shape::variations(32 * 1024) {
        let (tmp, dir) = folder(&shape);
        let out = tmp.path().join("out.json");
        let o = run(&["migrate", s(&dir), "-o", s(&out), "--quiet"]);
        assert_clean(&o, &format!("{shape:?}"));
        assert_eq!(o.status.code(), Some(0), "{shape:?}: {}", stderr(&o));
        let mut c =
            syncpolicy_json::read_settings(&std::fs::read(&out).unwrap(), "out.json").unwrap();
        c.policy_metadata = Default::default();
        c.deployment_metadata = Default::default();
        c.extension.connector_order.clear();
        c.extension.recorded_digest = None;
        match &first {
            None => first = Some(c),
            Some(f) => {
                // The connector order comes from MigratedPolicy.json when there is one.
                let mut a = f.clone();
                let mut b = c.clone();
                a.onpremises_directories.sort_by(|x, y| x.name.cmp(&y.name));
                b.onpremises_directories.sort_by(|x, y| x.name.cmp(&y.name));
                assert_eq!(a, b, "{shape:?}");
            }
        }
    }
}

#[test]
fn deep_nesting_is_refused_by_every_command() {
    let (_tmp, dir) = folder(&Shape::server_configuration(4096));
    let rule = rule_file(&dir);
    let depth = 100_000;
    let text = format!(
        "<synchronizationRule>{}{}</synchronizationRule>",
        "<a>".repeat(depth),
        "</a>".repeat(depth)
    );
    std::fs::write(&rule, text).unwrap();
    let name = rule.file_name().unwrap().to_str().unwrap().to_owned();
    for args in [
        vec!["migrate", s(&dir), "-o", "/nonexistent/out.json"],
        vec!["show", s(&dir)],
        vec!["validate", s(&dir)],
        vec!["diff", s(&dir), s(&dir)],
    ] {
        let o = run(&args);
        let err = assert_refused(&o, &name, args[0]);
        assert!(err.contains("nests elements more than 256 deep"), "{err}");
        assert!(err.contains(":1:"), "line and column: {err}");
        assert!(err.contains("(in <synchronizationRule/a/a/"), "{err}");
    }
}

#[test]
fn wide_and_long_input_gives_the_correct_result() {
    let (tmp, dir) = folder(&Shape::migrate_settings(4096));
    let rule = rule_file(&dir);
    let text = std::fs::read_to_string(&rule).unwrap();
    // 100,000 attributes on the root, 200,000 sibling <attr> in one mapping's source, a 4 MB
    // description, all on one line.
    let attrs: String = (0..100_000).map(|i| format!(" x{i}=\"{i}\"")).collect();
    let srcs: String = (0..200_000).map(|i| format!("<attr>a{i}</attr>")).collect();
    let long = "d".repeat(4_000_000);
    let text = text
        .replacen(
            "<synchronizationRule>",
            &format!("<synchronizationRule{attrs}>"),
            1,
        )
        .replacen(
            "<attribute-mappings>",
            &format!("<attribute-mappings><mapping><dest>wide</dest><src>{srcs}</src></mapping>"),
            1,
        )
        .replacen(
            "<description />",
            &format!("<description>{long}</description>"),
            1,
        )
        .replace(['\r', '\n'], "");
    std::fs::write(&rule, text).unwrap();
    let out = tmp.path().join("out.json");
    let o = run(&["migrate", s(&dir), "-o", s(&out), "--quiet"]);
    assert_clean(&o, "wide");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let c = syncpolicy_json::read_settings(&std::fs::read(&out).unwrap(), "out.json").unwrap();
    let (_, r) = c
        .rules()
        .find(|(_, r)| r.description.len() == long.len())
        .expect("the rule with the long description");
    let wide = r
        .mappings
        .iter()
        .find(|m| m.destination.as_deref() == Some("wide"))
        .unwrap();
    assert_eq!(wide.source.split(',').count(), 200_000);
    assert!(wide.source.ends_with(",a199999"));
}

#[test]
fn truncated_files_are_refused_with_file_and_position() {
    let (tmp, dir) = folder(&Shape::migrate_settings(16 * 1024));
    let out = tmp.path().join("out.json");
    for file in [ad_connector_file(&dir), rule_file(&dir)] {
        let whole = std::fs::read(&file).unwrap();
        let name = file.file_name().unwrap().to_str().unwrap().to_owned();
        // Cut at 24 places spread over the file (inside the BOM, the schema, tags, text).
        for k in 0..24 {
            let at = match k {
                0 => 1,
                1 => 2,
                _ => whole.len() * k / 24,
            };
            std::fs::write(&file, &whole[..at]).unwrap();
            let o = run(&["migrate", s(&dir), "-o", s(&out)]);
            let err = assert_refused(&o, &name, &format!("{name} cut at {at}"));
            assert!(!out.exists(), "nothing is written: {err}");
        }
        std::fs::write(&file, &whole).unwrap();
    }
}

#[test]
fn control_characters_in_names_are_never_printed_raw() {
    let (tmp, dir) = folder(&Shape::migrate_settings(4096));
    let rule = rule_file(&dir);
    let text = std::fs::read_to_string(&rule).unwrap();
    // An unknown element whose name carries ESC and BEL (a terminal title sequence): the
    // rule migrates, the element is reported (redo by hand) with the name escaped.
    let evil = "x\u{1b}]0;owned\u{7}";
    let bad = text.replacen(
        "</synchronizationRule>",
        &format!("<{evil}>1</{evil}></synchronizationRule>"),
        1,
    );
    std::fs::write(&rule, bad).unwrap();
    let out = tmp.path().join("out.json");
    let o = run(&["migrate", s(&dir), "-o", s(&out)]);
    assert_clean(&o, "unknown element");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("x\\u{1b}]0;owned\\u{7}"),
        "{}",
        stderr(&o)
    );
    // The same name as the root: refused, escaped.
    let root = format!("<{evil}><id>1</id></{evil}>");
    std::fs::write(&rule, root).unwrap();
    let o = run(&["migrate", s(&dir), "-o", s(&out)]);
    let err = assert_refused(&o, "SynchronizationRule_", "evil root");
    assert!(err.contains("\\u{1b}"), "{err}");
    // Mismatched end tag with the name.
    std::fs::write(&rule, format!("<synchronizationRule><{evil}></b>")).unwrap();
    for args in [vec!["show", s(&dir)], vec!["validate", s(&dir)]] {
        let o = run(&args);
        assert_refused(&o, "SynchronizationRule_", "evil end tag");
    }
}

#[test]
fn wrong_encodings_are_refused_and_right_ones_read() {
    let (tmp, dir) = folder(&Shape::migrate_settings(4096));
    let out = tmp.path().join("out.json");
    let conn = ad_connector_file(&dir);
    let whole = std::fs::read(&conn).unwrap();
    let name = conn.file_name().unwrap().to_str().unwrap().to_owned();
    let text = String::from_utf8(whole[3..].to_vec()).unwrap();
    // UTF-16 LE and BE with BOM: read.
    for be in [false, true] {
        let mut bytes = if be {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for u in text.encode_utf16() {
            bytes.extend_from_slice(&if be { u.to_be_bytes() } else { u.to_le_bytes() });
        }
        std::fs::write(&conn, &bytes).unwrap();
        let o = run(&["migrate", s(&dir), "-o", s(&out), "--quiet"]);
        assert_clean(&o, "utf-16");
        assert_eq!(o.status.code(), Some(0), "be={be}: {}", stderr(&o));
        // Cut to an odd length: refused.
        std::fs::write(&conn, &bytes[..bytes.len() - 1]).unwrap();
        let o = run(&["migrate", s(&dir), "-o", s(&out)]);
        let err = assert_refused(&o, &name, "odd utf-16");
        assert!(err.contains("odd number of bytes"), "{err}");
    }
    // Latin-1 (a byte that is not UTF-8): refused with the byte position.
    let latin1 = text.replacen("<name>", "<name>\u{e9}", 1);
    let bytes: Vec<u8> = latin1.chars().map(|c| c as u32 as u8).collect();
    std::fs::write(&conn, bytes).unwrap();
    let o = run(&["migrate", s(&dir), "-o", s(&out)]);
    let err = assert_refused(&o, &name, "latin-1");
    assert!(err.contains("not valid UTF-8"), "{err}");
    std::fs::write(&conn, &whole).unwrap();

    // MigratedPolicy.json: UTF-16 (the real shape) is read; Latin-1 is refused.
    let policy = dir.join("MigratedPolicy.json");
    let o = run(&["migrate", s(&dir), "-o", s(&out), "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let c = syncpolicy_json::read_settings(&std::fs::read(&out).unwrap(), "out.json").unwrap();
    assert_eq!(c.policy_metadata.author, sample().policy_metadata.author);
    let bytes = std::fs::read(&policy).unwrap();
    let utf8 = String::from_utf16(
        &bytes[2..]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let latin1: Vec<u8> = utf8
        .replacen("\"type\"", "\"ty\u{e9}pe\"", 1)
        .chars()
        .map(|c| c as u32 as u8)
        .collect();
    std::fs::write(&policy, latin1).unwrap();
    let o = run(&["migrate", s(&dir), "-o", s(&out)]);
    assert_refused(&o, "MigratedPolicy.json", "latin-1 policy");
}

#[test]
fn migration_codes_are_explained() {
    for code in ["SP321", "migrate-settings-file-missing", "SP355", "SP330"] {
        let o = run(&["validate", "--explain", code]);
        assert_eq!(o.status.code(), Some(0), "{code}: {}", stderr(&o));
        assert!(stdout(&o).contains("docs/migration.md"), "{}", stdout(&o));
    }
    let o = run(&["validate", "--explain", "SP321"]);
    assert!(stdout(&o)
        .starts_with("SP321 migrate-settings-file-missing (migration report: needs review)\n"));
}
