//! Bad input: missing folder, subfolder or file; malformed XML with line and column; a
//! DOCTYPE refused; values that cannot be read; files in UTF-16.
#![allow(
    clippy::disallowed_methods,
    reason = "the tests read their fixture files from tests/data"
)]

use crate::fixtures::data;
use syncpolicy_files::legacy::{load_legacy_folder, read_legacy_folder, LegacyLoadError};
use syncpolicy_legacy::{migrate, LegacyError, LegacyFolder};

fn single_forest() -> LegacyFolder {
    read_legacy_folder(&data("single-forest")).expect("the fixture reads")
}

fn bad(name: &str) -> Vec<u8> {
    std::fs::read(data("bad").join(name)).expect("the fixture exists")
}

fn remove(folder: &mut LegacyFolder, prefix: &str) {
    folder.files.retain(|(p, _)| !p.starts_with(prefix));
    if !prefix.contains('.') {
        folder.folders.retain(|f| f != prefix.trim_end_matches('/'));
    }
}

/// Replaces the content of the first file whose path starts with `prefix`.
fn replace(folder: &mut LegacyFolder, prefix: &str, bytes: Vec<u8>) -> String {
    let entry = folder
        .files
        .iter_mut()
        .find(|(p, _)| p.starts_with(prefix))
        .expect("the file exists");
    entry.1 = bytes;
    entry.0.clone()
}

#[test]
fn a_missing_folder_is_named() {
    let err = load_legacy_folder(&data("no-such-export")).unwrap_err();
    assert!(matches!(err, LegacyLoadError::NotAFolder { .. }));
    assert!(err.to_string().contains("no-such-export is not a folder"));
}

#[test]
fn missing_subfolders_and_files_are_named() {
    let cases: &[(&[&str], &str)] = &[
        (&["GlobalSettings/"], "has no GlobalSettings/ folder"),
        (&["GlobalSettings/MV.xml"], "has no GlobalSettings/MV.xml"),
        (&["Connectors/"], "has no Connectors/ folder"),
        (
            &["SynchronizationRules/"],
            "has no SynchronizationRules/ folder",
        ),
    ];
    for (gone, expected) in cases {
        let mut folder = single_forest();
        for g in *gone {
            remove(&mut folder, g);
        }
        let err = migrate(&folder).unwrap_err();
        assert!(matches!(err, LegacyError::Missing { .. }), "{err}");
        assert!(err.to_string().contains(expected), "{gone:?}: {err}");
    }
    // An empty Connectors folder is not the same as a missing one.
    let mut folder = single_forest();
    folder.files.retain(|(p, _)| !p.starts_with("Connectors/"));
    let err = migrate(&folder).unwrap_err().to_string();
    assert!(
        err.contains("has no connector file (Connectors/Connector_{guid}.xml)"),
        "{err}"
    );
    // Missing required parts are named together; the two files MigrateSettings.ps1 adds are
    // not required (a Get-ADSyncServerConfiguration folder has neither).
    let mut folder = single_forest();
    remove(&mut folder, "PersistedState.xml");
    remove(&mut folder, "GlobalSettings/");
    remove(&mut folder, "SynchronizationRules/");
    folder.migrated_policy = None;
    let err = migrate(&folder).unwrap_err().to_string();
    let err = err.replace(&folder.name, "<folder>");
    insta::assert_snapshot!(err, @"
    the export folder <folder> has no GlobalSettings/ folder and SynchronizationRules/ folder
    hint: copy the whole Exported-ServerConfiguration-* folder (as written by Get-ADSyncServerConfiguration or MigrateSettings.ps1), with its Connectors, GlobalSettings and SynchronizationRules folders
    ");
}

#[test]
fn malformed_xml_names_file_element_line_and_column() {
    let mut folder = single_forest();
    let file = replace(
        &mut folder,
        "SynchronizationRules/",
        bad("malformed-rule.xml"),
    );
    let err = migrate(&folder).unwrap_err();
    let LegacyError::Xml {
        file: f,
        element,
        line,
        column,
        ..
    } = &err
    else {
        panic!("not an XML error: {err}");
    };
    assert_eq!(f, &file);
    assert_eq!(*line, 8);
    assert!(*column > 1);
    assert_eq!(
        element,
        "synchronizationRule/attribute-mappings/mapping/expression"
    );
    insta::assert_snapshot!(err.to_string().replace(&file, "<rule file>"), @r#"
    <rule file>:8:46: this is not well-formed XML: ill-formed document: expected `</expression>`, but `</expresion>` was found (in <synchronizationRule/attribute-mappings/mapping/expression>)
    hint: the file was damaged after the export (cut short or edited); export the server configuration again with MigrateSettings.ps1
    "#);
}

#[test]
fn a_truncated_file_names_the_open_element() {
    let mut folder = single_forest();
    let file = replace(&mut folder, "Connectors/", bad("truncated-connector.xml"));
    let err = migrate(&folder).unwrap_err();
    let text = err.to_string().replace(&file, "<connector file>");
    insta::assert_snapshot!(text, @r#"
    <connector file>:8:1: this is not well-formed XML: the file ends before <partition> is closed (in <ma-data/ma-partition-data/partition>)
    hint: the file was damaged after the export (cut short or edited); export the server configuration again with MigrateSettings.ps1
    "#);
}

#[test]
fn a_doctype_is_refused_before_any_entity() {
    let mut folder = single_forest();
    let file = replace(
        &mut folder,
        "SynchronizationRules/",
        bad("doctype-rule.xml"),
    );
    let err = migrate(&folder).unwrap_err();
    assert_eq!(
        err,
        LegacyError::Doctype {
            file: file.clone(),
            line: 2,
            column: 1
        }
    );
    assert!(err.to_string().contains("DOCTYPE"));
    assert_eq!(err.to_diagnostic().code, "SP352");
}

#[test]
fn an_unreadable_precedence_is_an_error_with_its_element() {
    let mut folder = single_forest();
    let file = replace(
        &mut folder,
        "SynchronizationRules/",
        bad("bad-precedence-rule.xml"),
    );
    let err = migrate(&folder).unwrap_err();
    let text = err.to_string().replace(&file, "<rule file>");
    insta::assert_snapshot!(text, @r#"
    <rule file>:6:3: the precedence "first" is not a whole number (in <synchronizationRule/precedence>)
    hint: a precedence is a whole number (custom rules 0-99, standard rules from 100)
    "#);
}

#[test]
fn bytes_that_are_not_text_are_an_encoding_error() {
    let mut folder = single_forest();
    replace(
        &mut folder,
        "GlobalSettings/",
        vec![b'<', b'a', 0xff, 0xfe, 0x00, b'>'],
    );
    let err = migrate(&folder).unwrap_err();
    assert!(matches!(err, LegacyError::Encoding { .. }), "{err}");
}

#[test]
fn utf16_xml_files_are_read() {
    let mut folder = single_forest();
    let reference = migrate(&folder).unwrap().0;
    for (path, bytes) in folder.files.iter_mut() {
        if path.ends_with(".xml") {
            let text = String::from_utf8(bytes.clone())
                .unwrap()
                .replace("utf-8", "utf-16");
            let mut utf16 = vec![0xFF, 0xFE];
            for u in text.encode_utf16() {
                utf16.extend_from_slice(&u.to_le_bytes());
            }
            *bytes = utf16;
        }
    }
    let (config, _) = migrate(&folder).unwrap();
    assert_eq!(config, reference);
}

#[test]
fn a_rule_file_that_is_not_a_rule_is_refused() {
    let mut folder = single_forest();
    let file = replace(
        &mut folder,
        "SynchronizationRules/",
        b"<?xml version=\"1.0\"?>\n<ma-data><id>{x}</id></ma-data>\n".to_vec(),
    );
    let err = migrate(&folder).unwrap_err().to_string();
    assert!(
        err.starts_with(&format!(
            "{file}:2:1: the root element is <ma-data>, not <synchronizationRule>"
        )),
        "{err}"
    );
}
