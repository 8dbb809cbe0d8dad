//! The view of `directory list`: the on-premises directories with their partitions and rule
//! counts, as text (every value escaped for the terminal) or JSON (`syncpolicy-directories/1`).

use crate::escape::text as e;
use crate::schema;
use serde::Serialize;
use std::fmt::Write as _;
use syncpolicy_model::config::Configuration;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Doc<'a> {
    schema: &'static str,
    count: usize,
    directories: Vec<Directory<'a>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Directory<'a> {
    name: &'a str,
    unique_identifier: &'a str,
    forest: Option<&'a str>,
    account: Option<&'a str>,
    selected_partitions: usize,
    standard_rules: usize,
    custom_rules: usize,
    partitions: Vec<Partition<'a>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Partition<'a> {
    distinguished_name: Option<&'a str>,
    dns_name: Option<&'a str>,
    selected: bool,
}

/// The directories as JSON.
pub fn render_json(config: &Configuration) -> serde_json::Result<String> {
    let directories: Vec<Directory<'_>> = config
        .onpremises_directories
        .iter()
        .map(|d| Directory {
            name: &d.name,
            unique_identifier: &d.unique_identifier,
            forest: d.forest.as_deref(),
            account: d.account.as_deref(),
            selected_partitions: d.partitions.iter().filter(|p| p.selected).count(),
            standard_rules: d.standard_rules.len(),
            custom_rules: d.custom_rules.len(),
            partitions: d
                .partitions
                .iter()
                .map(|p| Partition {
                    distinguished_name: p.distinguished_name.as_deref(),
                    dns_name: p.fqdn.as_deref(),
                    selected: p.selected,
                })
                .collect(),
        })
        .collect();
    let doc = Doc {
        schema: schema::DIRECTORIES,
        count: directories.len(),
        directories,
    };
    Ok(serde_json::to_string_pretty(&doc)? + "\n")
}

/// The directories as text: one line each, then the count.
pub fn render_text(config: &Configuration) -> String {
    use syncpolicy_model::words::count;
    let mut o = String::new();
    for d in &config.onpremises_directories {
        let selected = d.partitions.iter().filter(|p| p.selected).count();
        let _ = writeln!(
            o,
            "{}  forest {}, account {}, {selected} of {} selected, {} ({} custom)",
            e(&d.name),
            e(d.forest.as_deref().unwrap_or("(not set)")),
            e(d.account.as_deref().unwrap_or("(not set)")),
            count(d.partitions.len(), "partition", "partitions"),
            count(
                d.standard_rules.len() + d.custom_rules.len(),
                "rule",
                "rules"
            ),
            d.custom_rules.len()
        );
    }
    let _ = writeln!(
        o,
        "{}",
        count(
            config.onpremises_directories.len(),
            "on-premises directory",
            "on-premises directories"
        )
    );
    o
}
