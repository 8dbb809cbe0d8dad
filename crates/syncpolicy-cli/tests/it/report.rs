//! The documentation report (`show --format html`) opened in headless Chromium: it runs
//! without script errors, every anchor of its table of contents exists, a scripted click on
//! "hide standard rules" hides exactly the standard rules and the attribute search narrows the
//! rules; a screenshot is kept under the target folder. Also `diff --format html -o FOLDER`
//! writing the diff page and the report of the new side, linked.

use crate::support::{run, stderr, stdout};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const CHROMIUM: &str = "/usr/bin/chromium";

fn chromium(profile: &Path, extra: &[&str], page: &Path) -> Output {
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
            "--allow-file-access-from-files",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs")
}

/// A folder for this test's pages and screenshot under the target folder (not committed).
fn artifacts(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(&dir).expect("create the artifacts folder");
    dir
}

/// The values of `attr="..."` in `html`.
fn attribute_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!("{attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// A page that loads the report in a frame, clicks its filters and writes what it saw.
const HARNESS: &str = r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>harness</title></head><body>
<pre id="result">pending</pre>
<iframe id="frame" src="report.html" style="width:1280px;height:900px"></iframe>
<script>
document.getElementById('frame').addEventListener('load', function () {
  var out = document.getElementById('result');
  try {
    var d = this.contentDocument;
    function visible(selector) {
      return Array.prototype.filter.call(d.querySelectorAll(selector), function (e) { return !e.hidden; }).length;
    }
    var standardBefore = visible('details.rule[data-standard="1"]');
    var customBefore = visible('details.rule[data-standard="0"]');
    d.getElementById('hide-standard').click();
    var standardAfter = visible('details.rule[data-standard="1"]');
    var customAfter = visible('details.rule[data-standard="0"]');
    var count = d.getElementById('shown-count').textContent;
    d.getElementById('hide-standard').click();
    var search = d.getElementById('search');
    search.value = 'costcenter';
    search.dispatchEvent(new Event('input', { bubbles: true }));
    var searched = visible('details.rule');
    var mvSearched = visible('details.mv');
    out.textContent = 'standard ' + standardBefore + ' to ' + standardAfter
      + '; custom ' + customBefore + ' to ' + customAfter
      + '; count ' + count + '; search ' + searched + ' rules, ' + mvSearched + ' attributes';
  } catch (e) {
    out.textContent = 'error ' + e;
  }
});
</script>
</body></html>
"#;

/// The number after `label ` in `text`.
fn number_after(text: &str, label: &str) -> usize {
    let start = text
        .find(label)
        .unwrap_or_else(|| panic!("{label:?} in {text}"))
        + label.len();
    text[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or_else(|_| panic!("a number after {label:?} in {text}"))
}

#[test]
fn html_report_opens_in_headless_chromium_and_its_filters_work() {
    assert!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: the HTML report must be checked in a real browser\nhint: run `apt-get install -y chromium` (scripts/test installs it)"
    );
    let dir = artifacts("report-html");
    let page = dir.join("report.html");
    let out = run(&[
        "show",
        "samples/multi-forest-custom.json",
        "--format",
        "html",
        "-o",
        page.to_str().expect("utf-8 path"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let config = syncpolicy_samples::samples::multi_forest_custom();
    let standard = config.rules().filter(|(_, r)| r.is_standard()).count();
    let custom = config.rule_count() - standard;

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
        "script error in the page"
    );
    assert!(
        dom_text.contains("<pre id=\"js-errors\" hidden=\"\"></pre>"),
        "script error in the page"
    );
    let console_errors: Vec<String> = stderr(&dom)
        .lines()
        .filter(|l| l.contains("CONSOLE") && l.contains("Uncaught"))
        .map(str::to_owned)
        .collect();
    assert!(
        console_errors.is_empty(),
        "console errors: {console_errors:?}"
    );
    // Every anchor of the table of contents, and every in-page link, has its target.
    let toc_start = dom_text
        .find("<nav class=\"toc\"")
        .expect("a table of contents");
    let toc_end = toc_start
        + dom_text[toc_start..]
            .find("</nav>")
            .expect("end of the toc");
    let toc = &dom_text[toc_start..toc_end];
    let ids: std::collections::HashSet<&str> =
        attribute_values(&dom_text, "id").into_iter().collect();
    let toc_links = attribute_values(toc, "href");
    assert!(toc_links.len() >= 7 + 2 + 6, "{toc_links:?}");
    for href in attribute_values(&dom_text, "href") {
        let target = href
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("{href} is not in-page"));
        assert!(ids.contains(target), "link {href} has no target");
    }
    assert!(dom_text.contains(&format!(
        "{} of {} rules shown",
        config.rule_count(),
        config.rule_count()
    )));

    // A scripted click on "hide standard rules", and a search by attribute name.
    std::fs::write(dir.join("harness.html"), HARNESS).expect("write the harness");
    let profile = tempfile::tempdir().expect("profile dir");
    let harness = chromium(
        profile.path(),
        &["--dump-dom", "--virtual-time-budget=10000"],
        &dir.join("harness.html"),
    );
    let result = stdout(&harness);
    assert!(
        harness.status.success(),
        "chromium failed: {}",
        stderr(&harness)
    );
    let line = result
        .lines()
        .find(|l| l.contains("id=\"result\""))
        .unwrap_or_else(|| panic!("no result in {result}"));
    assert!(
        !line.contains("error") && !line.contains("pending"),
        "{line}"
    );
    assert_eq!(number_after(line, "standard "), standard, "{line}");
    assert_eq!(
        number_after(line, &format!("standard {standard} to ")),
        0,
        "{line}"
    );
    assert_eq!(number_after(line, "custom "), custom, "{line}");
    assert_eq!(
        number_after(line, &format!("custom {custom} to ")),
        custom,
        "{line}"
    );
    assert!(
        line.contains(&format!(
            "count {custom} of {} rules shown",
            config.rule_count()
        )),
        "{line}"
    );
    let searched = number_after(line, "search ");
    assert!(searched >= 1 && searched < config.rule_count(), "{line}");
    assert!(
        number_after(line, &format!("search {searched} rules, ")) >= 1,
        "{line}"
    );

    let shot = dir.join("report.png");
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

#[test]
fn diff_html_into_a_folder_links_changed_rules_to_the_report_of_the_new_side() {
    let old = syncpolicy_samples::samples::multi_forest_custom();
    let mut new = old.clone();
    let cost = new.onpremises_directories[0]
        .custom_rules
        .iter_mut()
        .find(|r| r.name() == "In from AD - User Cost Center")
        .expect("the sample has the cost-centre rule");
    cost.disabled = true;
    cost.mappings[0].expression = "Left(Trim([extensionAttribute15]), 24)".to_owned();
    new.azure_directory.standard_rules[3].disabled = true;
    let dir = tempfile::tempdir().expect("temp dir");
    let (old_path, new_path) = (dir.path().join("old.json"), dir.path().join("new.json"));
    std::fs::write(&old_path, syncpolicy_json::write_settings(&old)).expect("write old");
    std::fs::write(&new_path, syncpolicy_json::write_settings(&new)).expect("write new");
    let out_dir = artifacts("diff-folder");
    let out = run(&[
        "diff",
        old_path.to_str().expect("utf-8"),
        new_path.to_str().expect("utf-8"),
        "--format",
        "html",
        "-o",
        out_dir.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("diff.html and report.html"),
        "{}",
        stderr(&out)
    );
    let diff = std::fs::read_to_string(out_dir.join("diff.html")).expect("diff.html");
    let report = std::fs::read_to_string(out_dir.join("report.html")).expect("report.html");
    let links: Vec<&str> = attribute_values(&diff, "href")
        .into_iter()
        .filter_map(|h| h.strip_prefix("report.html#"))
        .collect();
    assert_eq!(links.len(), 2, "one link per changed rule: {links:?}");
    let ids: Vec<&str> = attribute_values(&report, "id");
    for anchor in &links {
        assert!(ids.contains(anchor), "report.html has no {anchor}");
    }
    assert!(links.contains(&"rule-d0-c1"), "{links:?}");
    assert!(links.contains(&"rule-entra-s3"), "{links:?}");
    // Both pages share one layout: the same stylesheet.
    let style = |html: &str| {
        let start = html.find("<style>").expect("a stylesheet");
        html[start..start + html[start..].find("</style>").expect("end")].to_owned()
    };
    assert_eq!(style(&diff), style(&report));

    let file_only = run(&[
        "diff",
        old_path.to_str().expect("utf-8"),
        new_path.to_str().expect("utf-8"),
        "-o",
        out_dir.to_str().expect("utf-8"),
    ]);
    assert_eq!(file_only.status.code(), Some(2));
    assert!(
        stderr(&file_only).contains("only --format html"),
        "{}",
        stderr(&file_only)
    );
}
