//! `syncpolicy generate objects` end to end: LDIF and JSON Lines, deterministic for a seed,
//! written atomically to a file or streamed to standard output, bad arguments.

use crate::support::{run, stderr, stdout};

#[test]
fn objects_as_ldif_and_json_lines() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let ldif = dir.path().join("contoso.ldif");
    let args = [
        "generate",
        "objects",
        "--users",
        "50",
        "--groups",
        "5",
        "--contacts",
        "5",
        "--computers",
        "5",
        "--seed",
        "7",
    ];
    let mut with_out = args.to_vec();
    with_out.extend(["-o", ldif.to_str().expect("utf-8 path")]);
    let o = run(&with_out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("objects)"), "{}", stderr(&o));
    let written = std::fs::read_to_string(&ldif).expect("the file was written");
    assert!(written.starts_with("dn: CN=Users,DC=contoso,DC=com\nchangetype: add\n"));
    // The same seed to standard output gives the same bytes.
    let again = run(&args);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(stdout(&again), written);
    // JSON Lines: one object per line, each with a DN.
    let mut jsonl = args.to_vec();
    jsonl.extend(["--format", "jsonl", "--domain", "fabrikam.com"]);
    let j = run(&jsonl);
    assert_eq!(j.status.code(), Some(0), "{}", stderr(&j));
    let text = stdout(&j);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), written.matches("\ndn:").count() + 1);
    for line in lines {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON object per line");
        assert!(
            v["dn"]
                .as_str()
                .is_some_and(|dn| dn.ends_with("DC=fabrikam,DC=com")),
            "{line}"
        );
    }
}

#[test]
fn objects_refuses_a_bad_domain() {
    let o = run(&["generate", "objects", "--domain", "not a domain"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is not a domain name"),
        "{}",
        stderr(&o)
    );
}

/// The shipped object files are what the commands in `samples/objects/README.md` write.
#[test]
fn the_shipped_object_files_are_up_to_date() {
    let root = crate::support::workspace();
    let readme =
        std::fs::read_to_string(root.join("samples/objects/README.md")).expect("the README");
    let mut checked = 0;
    for line in readme.lines() {
        let Some(start) = line.find("`syncpolicy generate objects") else {
            continue;
        };
        let command = &line[start + 1..];
        let command = &command[..command.find('`').expect("a closing backquote")];
        let words: Vec<&str> = command.split_whitespace().skip(1).collect();
        let at = words
            .iter()
            .position(|w| *w == "-o")
            .expect("an output file");
        let file = words[at + 1];
        let mut args: Vec<&str> = words[..at].to_vec();
        args.extend(&words[at + 2..]);
        let o = run(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let shipped = std::fs::read_to_string(root.join(file)).expect("the shipped file");
        assert!(
            stdout(&o) == shipped,
            "{file} is stale; regenerate it with `{command}`"
        );
        checked += 1;
    }
    assert_eq!(checked, 2);
}
