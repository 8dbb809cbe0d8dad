//! The configuration summary of `show`: the model (its JSON is the `show --format json`
//! output) and the aligned text view. Every value from the file is escaped for the terminal.

use crate::escape::text as e;
use crate::style::Style;
use serde::Serialize;
use std::fmt::Write as _;
use syncpolicy_model::config::{Configuration, OnPremisesDirectory};
use syncpolicy_model::enums::Direction;
use syncpolicy_model::identity::same_guid;
use syncpolicy_model::rule::SyncRule;

/// The summary, as data (the JSON output is this structure).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Always `syncpolicy-show/1`.
    pub schema: &'static str,
    pub source: String,
    pub metadata: Metadata,
    pub sign_in: SignInSummary,
    pub identity_mapping: IdentitySummary,
    pub features: Features,
    pub entra: EntraSummary,
    pub directories: Vec<DirectorySummary>,
    pub rules: RuleCounts,
    pub custom_rules: Vec<CustomRuleLine>,
    pub server: ServerSummary,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    pub policy_type: String,
    pub author: Option<String>,
    pub time_created: Option<String>,
    pub product_version: Option<String>,
    pub host_name: Option<String>,
    pub database_type: Option<String>,
    pub database_server: String,
    pub database_name: String,
    pub service_account: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInSummary {
    pub method: Option<String>,
    pub method_label: String,
    pub password_hash_sync: bool,
    pub seamless_sso: bool,
    pub unknown_entries: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentitySummary {
    pub source_anchor: Option<String>,
    pub user_principal_name: Option<String>,
    pub user_matching: Option<String>,
    pub user_matching_attribute: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Features {
    pub password_hash_sync: bool,
    pub password_writeback: bool,
    pub group_writeback: Vec<DirectoryValue>,
    pub device_writeback: Vec<DirectoryValue>,
    pub group_filtering: Vec<DirectoryValue>,
    pub exchange_hybrid: bool,
    pub mail_public_folders: bool,
    pub directory_extensions: Vec<String>,
    pub app_filter: Vec<String>,
    pub excluded_attributes: Vec<String>,
    pub export_deletion_threshold: Option<String>,
    pub metaverse_attributes: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryValue {
    pub directory: String,
    pub value: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntraSummary {
    pub tenant_id: Option<String>,
    pub administrator: Option<String>,
    pub connector_name: Option<String>,
    pub standard_rules: usize,
    pub custom_rules: usize,
    pub disabled_rules: usize,
    pub object_types: Option<Vec<String>>,
    pub run_profiles: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectorySummary {
    pub name: String,
    pub identifier: String,
    pub forest: Option<String>,
    pub account: Option<String>,
    pub credential: &'static str,
    pub partitions: Vec<PartitionSummary>,
    pub standard_rules: usize,
    pub custom_rules: usize,
    pub disabled_rules: usize,
    pub object_types: Option<Vec<String>>,
    pub attribute_inclusions: Option<usize>,
    pub run_profiles: Vec<String>,
    pub provisioning_hierarchy: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PartitionSummary {
    pub distinguished_name: String,
    pub selected: bool,
    pub inclusions: Vec<String>,
    pub exclusions: Vec<String>,
    pub preferred_controllers: Vec<String>,
}

#[derive(Debug, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct RuleCounts {
    pub total: usize,
    pub standard: usize,
    pub custom: usize,
    pub disabled: usize,
    pub inbound: usize,
    pub outbound: usize,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomRuleLine {
    pub precedence: i32,
    pub directory: String,
    pub direction: String,
    pub name: String,
    pub disabled: bool,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerSummary {
    pub staging_mode: Option<bool>,
    pub sync_interval: Option<String>,
    pub scheduler_enabled: Option<bool>,
    pub connector_order: Vec<String>,
    pub global_parameters: usize,
}

fn counts(rules: &[&SyncRule]) -> (usize, usize) {
    (rules.len(), rules.iter().filter(|r| r.disabled).count())
}

fn directory_summary(d: &OnPremisesDirectory) -> DirectorySummary {
    let all: Vec<&SyncRule> = d.standard_rules.iter().chain(&d.custom_rules).collect();
    DirectorySummary {
        name: d.name.clone(),
        identifier: d.unique_identifier.clone(),
        forest: d.forest.clone(),
        account: d.account.clone(),
        credential: "asked at import",
        partitions: d
            .partitions
            .iter()
            .map(|p| PartitionSummary {
                distinguished_name: p
                    .distinguished_name
                    .clone()
                    .or_else(|| p.fqdn.clone())
                    .unwrap_or_default(),
                selected: p.selected,
                inclusions: p.inclusions.clone(),
                exclusions: p.exclusions.clone(),
                preferred_controllers: p.preferred_controllers.clone(),
            })
            .collect(),
        standard_rules: d.standard_rules.len(),
        custom_rules: d.custom_rules.len(),
        disabled_rules: counts(&all).1,
        object_types: d.connector.object_types.clone(),
        attribute_inclusions: d.connector.attribute_inclusions.as_ref().map(Vec::len),
        run_profiles: d
            .connector
            .run_profiles
            .iter()
            .map(|p| p.name.clone())
            .collect(),
        provisioning_hierarchy: d.connector.provisioning_hierarchy.as_ref().map(|h| {
            let maps: Vec<String> = h
                .mappings
                .iter()
                .map(|m| format!("{} -> {}", m.component, m.object_class))
                .collect();
            format!(
                "{}{}",
                if h.enabled { "on" } else { "off" },
                if maps.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", maps.join(", "))
                }
            )
        }),
    }
}

fn per_directory(
    config: &Configuration,
    f: impl Fn(&OnPremisesDirectory) -> &str,
) -> Vec<DirectoryValue> {
    config
        .onpremises_directories
        .iter()
        .filter(|d| !f(d).is_empty())
        .map(|d| DirectoryValue {
            directory: d.name.clone(),
            value: f(d).to_owned(),
        })
        .collect()
}

/// Builds the summary of a configuration.
pub fn summarize(config: &Configuration, label: &str) -> Summary {
    let pm = &config.policy_metadata;
    let dm = &config.deployment_metadata;
    let az = &config.azure_directory;
    let mut rules = RuleCounts::default();
    let mut custom = Vec::new();
    for (loc, r) in config.rules() {
        rules.total += 1;
        if r.is_standard() {
            rules.standard += 1;
        } else {
            rules.custom += 1;
        }
        if r.disabled {
            rules.disabled += 1;
        }
        match r.direction {
            Some(Direction::Inbound) => rules.inbound += 1,
            Some(Direction::Outbound) => rules.outbound += 1,
            _ => {}
        }
        if loc.set == syncpolicy_model::config::RuleSet::Custom {
            custom.push(CustomRuleLine {
                precedence: r.precedence,
                directory: config.directory_name(loc.directory),
                direction: r.direction_str().to_owned(),
                name: r.name().to_owned(),
                disabled: r.disabled,
            });
        }
    }
    custom.sort_by(|a, b| a.precedence.cmp(&b.precedence).then(a.name.cmp(&b.name)));
    let az_rules: Vec<&SyncRule> = az.standard_rules.iter().chain(&az.custom_rules).collect();
    let connector_name = |id: &str| -> String {
        if az.connector_id.as_deref().is_some_and(|a| same_guid(a, id)) {
            return az
                .connector
                .name
                .clone()
                .unwrap_or_else(|| "Entra ID".to_owned());
        }
        config
            .onpremises_directories
            .iter()
            .find(|d| same_guid(&d.unique_identifier, id))
            .map(|d| d.name.clone())
            .unwrap_or_else(|| id.to_owned())
    };
    let sched = config.extension.scheduler.as_ref();
    Summary {
        schema: crate::schema::SHOW,
        source: label.to_owned(),
        metadata: Metadata {
            policy_type: pm.policy_type.clone(),
            author: pm.author.clone(),
            time_created: pm.time_created.clone(),
            product_version: pm.product_version.clone(),
            host_name: dm.host_name.clone(),
            database_type: dm.database_type.clone(),
            database_server: dm.database_server.clone(),
            database_name: dm.database_name.clone(),
            service_account: dm.service_account.clone(),
        },
        sign_in: SignInSummary {
            method: config.sign_in.method().map(|m| m.token().to_owned()),
            method_label: config
                .sign_in
                .method()
                .map(|m| m.label().to_owned())
                .unwrap_or_else(|| "not set".to_owned()),
            password_hash_sync: config.sign_in.password_hash_sync(),
            seamless_sso: config.sign_in.seamless_sso(),
            unknown_entries: config
                .sign_in
                .unknown_tokens()
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
        },
        identity_mapping: IdentitySummary {
            source_anchor: config.identity_mapping.source_anchor_attribute.clone(),
            user_principal_name: config
                .identity_mapping
                .user_principal_name_attribute
                .clone(),
            user_matching: config.identity_mapping.user_matching_policy.clone(),
            user_matching_attribute: config.identity_mapping.user_matching_attribute.clone(),
        },
        features: Features {
            password_hash_sync: config.sign_in.password_hash_sync(),
            password_writeback: config.password_writeback,
            group_writeback: per_directory(config, |d| &d.group_writeback_dn),
            device_writeback: per_directory(config, |d| &d.device_writeback_dn),
            group_filtering: per_directory(config, |d| &d.group_filtering_dn),
            exchange_hybrid: config.exchange.hybrid_deployment,
            mail_public_folders: config.exchange.mail_public_folders,
            directory_extensions: az
                .directory_extensions
                .iter()
                .map(|e| {
                    format!(
                        "{}.{}",
                        e.object_class.as_deref().unwrap_or("?"),
                        e.attribute.as_deref().unwrap_or("?")
                    )
                })
                .collect(),
            app_filter: az.exported_attributes.application_restrictions.clone(),
            excluded_attributes: az.exported_attributes.excluded_attributes.clone(),
            export_deletion_threshold: Some(az.export_deletion_limit.clone())
                .filter(|s| !s.is_empty()),
            metaverse_attributes: config
                .metaverse_extensions
                .attributes
                .iter()
                .map(|a| a.name.clone().unwrap_or_default())
                .collect(),
        },
        entra: EntraSummary {
            tenant_id: az.tenant_id.clone(),
            administrator: az.administrator.clone(),
            connector_name: az.connector.name.clone(),
            standard_rules: az.standard_rules.len(),
            custom_rules: az.custom_rules.len(),
            disabled_rules: counts(&az_rules).1,
            object_types: az.connector.object_types.clone(),
            run_profiles: az
                .connector
                .run_profiles
                .iter()
                .map(|p| p.name.clone())
                .collect(),
        },
        directories: config
            .onpremises_directories
            .iter()
            .map(directory_summary)
            .collect(),
        rules,
        custom_rules: custom,
        server: ServerSummary {
            staging_mode: config.extension.staging_mode,
            sync_interval: sched.and_then(|s| s.sync_interval.clone()),
            scheduler_enabled: sched.and_then(|s| s.enabled),
            connector_order: config
                .extension
                .connector_order
                .iter()
                .map(|id| connector_name(id))
                .collect(),
            global_parameters: config.extension.global_parameters.len(),
        },
    }
}

fn on_off(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

fn or_unset(v: &Option<String>) -> &str {
    v.as_deref()
        .filter(|s| !s.is_empty())
        .unwrap_or("(not set)")
}

fn per_dir_text(values: &[DirectoryValue]) -> String {
    if values.is_empty() {
        return "off".to_owned();
    }
    let parts: Vec<String> = values
        .iter()
        .map(|v| format!("{}: {}", v.directory, v.value))
        .collect();
    format!("on ({})", parts.join("; "))
}

/// Renders the summary as aligned text.
pub fn render_text(s: &Summary, style: &Style) -> String {
    let mut o = String::new();
    let row = |o: &mut String, k: &str, v: &str| {
        let _ = writeln!(o, "  {k:<26}{}", e(v));
    };
    let _ = writeln!(o, "{} {}", style.bold("Configuration"), e(&s.source));
    let m = &s.metadata;
    let line = format!(
        "  written by {} at {} (product {}, type {})",
        or_unset(&m.author),
        or_unset(&m.time_created),
        or_unset(&m.product_version),
        if m.policy_type.is_empty() {
            "(not set)"
        } else {
            &m.policy_type
        }
    );
    let _ = writeln!(o, "{}", e(&line));
    let line = format!(
        "  from host {}; database {} {}/{}; service account {} (shown for comparison, never imported)",
        or_unset(&m.host_name),
        or_unset(&m.database_type),
        if m.database_server.is_empty() { "(not set)" } else { &m.database_server },
        if m.database_name.is_empty() { "(not set)" } else { &m.database_name },
        if m.service_account.is_empty() { "(not set)" } else { &m.service_account },
    );
    let _ = writeln!(o, "{}", e(&line));

    let _ = writeln!(o, "\n{}", style.bold("Sign-in"));
    row(&mut o, "method", &s.sign_in.method_label);
    row(
        &mut o,
        "password hash sync",
        on_off(s.sign_in.password_hash_sync),
    );
    row(
        &mut o,
        "seamless single sign-on",
        on_off(s.sign_in.seamless_sso),
    );
    if !s.sign_in.unknown_entries.is_empty() {
        row(
            &mut o,
            "unrecognized entries",
            &s.sign_in.unknown_entries.join(", "),
        );
    }

    let _ = writeln!(o, "\n{}", style.bold("Identity mapping"));
    row(
        &mut o,
        "source anchor",
        or_unset(&s.identity_mapping.source_anchor),
    );
    row(
        &mut o,
        "user principal name",
        or_unset(&s.identity_mapping.user_principal_name),
    );
    let mut matching = or_unset(&s.identity_mapping.user_matching).to_owned();
    if !s.identity_mapping.user_matching_attribute.is_empty() {
        matching.push_str(&format!(
            " ({})",
            s.identity_mapping.user_matching_attribute
        ));
    }
    row(&mut o, "user matching", &matching);

    let f = &s.features;
    let _ = writeln!(o, "\n{}", style.bold("Features"));
    row(&mut o, "password hash sync", on_off(f.password_hash_sync));
    row(&mut o, "password writeback", on_off(f.password_writeback));
    row(&mut o, "group writeback", &per_dir_text(&f.group_writeback));
    row(
        &mut o,
        "device writeback",
        &per_dir_text(&f.device_writeback),
    );
    row(&mut o, "group filtering", &per_dir_text(&f.group_filtering));
    row(&mut o, "Exchange hybrid", on_off(f.exchange_hybrid));
    row(&mut o, "mail public folders", on_off(f.mail_public_folders));
    row(
        &mut o,
        "directory extensions",
        &if f.directory_extensions.is_empty() {
            "none".to_owned()
        } else {
            format!(
                "{} ({})",
                f.directory_extensions.len(),
                f.directory_extensions.join(", ")
            )
        },
    );
    row(
        &mut o,
        "app and attribute filter",
        &if f.app_filter.is_empty() && f.excluded_attributes.is_empty() {
            "off".to_owned()
        } else {
            format!(
                "{} ({}), {}",
                syncpolicy_model::words::count(f.app_filter.len(), "app", "apps"),
                f.app_filter.join(", "),
                syncpolicy_model::words::count(
                    f.excluded_attributes.len(),
                    "excluded attribute",
                    "excluded attributes"
                )
            )
        },
    );
    row(
        &mut o,
        "deletion threshold",
        or_unset(&f.export_deletion_threshold),
    );
    if !f.metaverse_attributes.is_empty() {
        row(
            &mut o,
            "metaverse extensions",
            &f.metaverse_attributes.join(", "),
        );
    }

    let en = &s.entra;
    let _ = writeln!(o, "\n{}", style.bold("Entra ID"));
    row(&mut o, "tenant", or_unset(&en.tenant_id));
    row(
        &mut o,
        "administrator",
        &format!("{} (suggested at import)", or_unset(&en.administrator)),
    );
    if let Some(n) = &en.connector_name {
        row(&mut o, "connector", n);
    }
    row(
        &mut o,
        "rules",
        &format!(
            "{} standard, {} custom, {} disabled",
            en.standard_rules, en.custom_rules, en.disabled_rules
        ),
    );
    if let Some(types) = &en.object_types {
        row(&mut o, "object types", &types.join(", "));
    }

    let _ = writeln!(
        o,
        "\n{} ({})",
        style.bold("On-premises directories"),
        s.directories.len()
    );
    for d in &s.directories {
        let _ = writeln!(
            o,
            "  {}  forest {}, account {} (credential {})",
            style.bold(&e(&d.name)),
            e(or_unset(&d.forest)),
            e(or_unset(&d.account)),
            d.credential
        );
        for p in &d.partitions {
            let _ = writeln!(
                o,
                "    partition {}  {}",
                e(&p.distinguished_name),
                if p.selected {
                    style.green("selected")
                } else {
                    style.dim("not selected")
                }
            );
            for i in &p.inclusions {
                let _ = writeln!(o, "      {} {}", style.green("include"), e(i));
            }
            for x in &p.exclusions {
                let _ = writeln!(o, "      {} {}", style.red("exclude"), e(x));
            }
            if !p.preferred_controllers.is_empty() {
                let _ = writeln!(
                    o,
                    "      preferred DCs {}",
                    e(&p.preferred_controllers.join(", "))
                );
            }
        }
        let _ = writeln!(
            o,
            "    rules {} standard, {} custom, {} disabled",
            d.standard_rules, d.custom_rules, d.disabled_rules
        );
        if let Some(t) = &d.object_types {
            let _ = writeln!(o, "    object types {}", e(&t.join(", ")));
        }
        if let Some(n) = d.attribute_inclusions {
            let _ = writeln!(o, "    attributes {n} included");
        }
        if !d.run_profiles.is_empty() {
            let _ = writeln!(o, "    run profiles {}", e(&d.run_profiles.join(", ")));
        }
        if let Some(h) = &d.provisioning_hierarchy {
            let _ = writeln!(o, "    provisioning hierarchy {}", e(h));
        }
    }

    let r = &s.rules;
    let _ = writeln!(o, "\n{}", style.bold("Rules"));
    let _ = writeln!(
        o,
        "  {} in all: {} standard, {} custom, {} disabled; {} inbound, {} outbound",
        r.total, r.standard, r.custom, r.disabled, r.inbound, r.outbound
    );
    if !s.custom_rules.is_empty() {
        let _ = writeln!(o, "\n{} (by precedence)", style.bold("Custom rules"));
        let width = crate::style::column_width(
            s.custom_rules
                .iter()
                .map(|c| e(&c.directory).chars().count()),
        );
        for c in &s.custom_rules {
            let _ = writeln!(
                o,
                "  {:>6}  {:<width$}  {:<8}  {}{}",
                c.precedence,
                e(&c.directory),
                e(&c.direction),
                e(&c.name),
                if c.disabled {
                    style.yellow("  (disabled)")
                } else {
                    String::new()
                },
            );
        }
    }

    let sv = &s.server;
    let _ = writeln!(
        o,
        "\n{}",
        style.bold("Server settings (kept by syncpolicy, not by Microsoft's file)")
    );
    row(
        &mut o,
        "staging mode",
        match sv.staging_mode {
            Some(b) => on_off(b),
            None => "(not recorded)",
        },
    );
    row(
        &mut o,
        "scheduler",
        &match (&sv.sync_interval, sv.scheduler_enabled) {
            (None, None) => "(not recorded)".to_owned(),
            (i, e) => format!(
                "every {}, {}",
                i.as_deref().unwrap_or("(default interval)"),
                match e {
                    Some(true) => "enabled",
                    Some(false) => "disabled",
                    None => "state not recorded",
                }
            ),
        },
    );
    if !sv.connector_order.is_empty() {
        row(&mut o, "connector order", &sv.connector_order.join(", "));
    }
    if sv.global_parameters > 0 {
        row(
            &mut o,
            "engine parameters kept",
            &sv.global_parameters.to_string(),
        );
    }
    o
}
