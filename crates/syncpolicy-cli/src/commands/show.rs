//! `syncpolicy show`: the "view current configuration" summary of a settings file, a folder's
//! newest snapshot, a legacy export or the deployment, as text or JSON.

use crate::context::Context;
use crate::exit;
use crate::output::{OutputFormat, Style};
use crate::source;
use serde::Serialize;
use std::fmt::Write as _;
use std::process::ExitCode;
use syncpolicy_model::config::{Configuration, OnPremisesDirectory};
use syncpolicy_model::enums::Direction;
use syncpolicy_model::identity::same_guid;
use syncpolicy_model::rule::SyncRule;

/// Arguments of `syncpolicy show`.
#[derive(Debug, clap::Args)]
pub(crate) struct ShowArgs {
    /// What to show: a settings file, a folder (its newest snapshot), a legacy export folder,
    /// or a deployment snapshot (@latest, @~N). Without it, the deployment's current
    /// configuration.
    #[arg(value_name = "SOURCE")]
    pub(crate) source: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub(crate) format: OutputFormat,
}

pub(crate) fn run(args: &ShowArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let reference = args.source.as_deref().unwrap_or("@latest");
    let loaded = source::load(reference, ctx)?;
    let mut summary = summarize(&loaded.config, &loaded.label);
    if reference.starts_with('@') {
        mark_credentials(&mut summary, ctx)?;
    }
    let out = match args.format {
        OutputFormat::Json => serde_json::to_string_pretty(&summary)? + "\n",
        OutputFormat::Text => render_text(&summary, &Style::new(ctx.color_stdout)),
    };
    crate::output::print_stdout(&out)?;
    Ok(ExitCode::from(exit::OK))
}

/// For a deployment, says per directory whether its credential is set (never what it is).
fn mark_credentials(summary: &mut Summary, ctx: &Context) -> anyhow::Result<()> {
    let home = syncpolicy_store::Home::new(crate::deployment::home_dir(ctx)?);
    let secrets = home.secrets()?;
    for d in &mut summary.directories {
        d.credential = match secrets.directory(&d.identifier) {
            Some(c) if c.precreated => "pre-created account",
            Some(c) if c.secret.is_some() => "set",
            _ => "not set",
        };
    }
    Ok(())
}

/// The summary, as data (the JSON output is this structure).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Summary {
    source: String,
    metadata: Metadata,
    sign_in: SignInSummary,
    identity_mapping: IdentitySummary,
    features: Features,
    entra: EntraSummary,
    directories: Vec<DirectorySummary>,
    rules: RuleCounts,
    custom_rules: Vec<CustomRuleLine>,
    server: ServerSummary,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Metadata {
    policy_type: String,
    author: Option<String>,
    time_created: Option<String>,
    product_version: Option<String>,
    host_name: Option<String>,
    database_type: Option<String>,
    database_server: String,
    database_name: String,
    service_account: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SignInSummary {
    method: Option<String>,
    method_label: String,
    password_hash_sync: bool,
    seamless_sso: bool,
    unknown_entries: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct IdentitySummary {
    source_anchor: Option<String>,
    user_principal_name: Option<String>,
    user_matching: Option<String>,
    user_matching_attribute: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Features {
    password_hash_sync: bool,
    password_writeback: bool,
    group_writeback: Vec<DirectoryValue>,
    device_writeback: Vec<DirectoryValue>,
    group_filtering: Vec<DirectoryValue>,
    exchange_hybrid: bool,
    mail_public_folders: bool,
    directory_extensions: Vec<String>,
    app_filter: Vec<String>,
    excluded_attributes: Vec<String>,
    export_deletion_threshold: Option<String>,
    metaverse_attributes: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct DirectoryValue {
    directory: String,
    value: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct EntraSummary {
    tenant_id: Option<String>,
    administrator: Option<String>,
    connector_name: Option<String>,
    standard_rules: usize,
    custom_rules: usize,
    disabled_rules: usize,
    object_types: Option<Vec<String>>,
    run_profiles: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct DirectorySummary {
    name: String,
    identifier: String,
    forest: Option<String>,
    account: Option<String>,
    credential: &'static str,
    partitions: Vec<PartitionSummary>,
    standard_rules: usize,
    custom_rules: usize,
    disabled_rules: usize,
    object_types: Option<Vec<String>>,
    attribute_inclusions: Option<usize>,
    run_profiles: Vec<String>,
    provisioning_hierarchy: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct PartitionSummary {
    distinguished_name: String,
    selected: bool,
    inclusions: Vec<String>,
    exclusions: Vec<String>,
    preferred_controllers: Vec<String>,
}

#[derive(Debug, Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct RuleCounts {
    total: usize,
    standard: usize,
    custom: usize,
    disabled: usize,
    inbound: usize,
    outbound: usize,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct CustomRuleLine {
    precedence: i32,
    directory: String,
    direction: String,
    name: String,
    disabled: bool,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ServerSummary {
    staging_mode: Option<bool>,
    sync_interval: Option<String>,
    scheduler_enabled: Option<bool>,
    connector_order: Vec<String>,
    global_parameters: usize,
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
pub(crate) fn summarize(config: &Configuration, label: &str) -> Summary {
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
pub(crate) fn render_text(s: &Summary, style: &Style) -> String {
    let mut o = String::new();
    let row = |o: &mut String, k: &str, v: &str| {
        let _ = writeln!(o, "  {k:<26}{v}");
    };
    let _ = writeln!(o, "{} {}", style.bold("Configuration"), s.source);
    let m = &s.metadata;
    let _ = writeln!(
        o,
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
    let _ = writeln!(
        o,
        "  from host {}; database {} {}/{}; service account {} (shown for comparison, never imported)",
        or_unset(&m.host_name),
        or_unset(&m.database_type),
        if m.database_server.is_empty() { "(not set)" } else { &m.database_server },
        if m.database_name.is_empty() { "(not set)" } else { &m.database_name },
        if m.service_account.is_empty() { "(not set)" } else { &m.service_account },
    );

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
                "{} apps ({}), {} excluded attributes",
                f.app_filter.len(),
                f.app_filter.join(", "),
                f.excluded_attributes.len()
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

    let e = &s.entra;
    let _ = writeln!(o, "\n{}", style.bold("Entra ID"));
    row(&mut o, "tenant", or_unset(&e.tenant_id));
    row(
        &mut o,
        "administrator",
        &format!("{} (suggested at import)", or_unset(&e.administrator)),
    );
    if let Some(n) = &e.connector_name {
        row(&mut o, "connector", n);
    }
    row(
        &mut o,
        "rules",
        &format!(
            "{} standard, {} custom, {} disabled",
            e.standard_rules, e.custom_rules, e.disabled_rules
        ),
    );
    if let Some(types) = &e.object_types {
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
            style.bold(&d.name),
            or_unset(&d.forest),
            or_unset(&d.account),
            d.credential
        );
        for p in &d.partitions {
            let _ = writeln!(
                o,
                "    partition {}  {}",
                p.distinguished_name,
                if p.selected {
                    style.green("selected")
                } else {
                    style.dim("not selected")
                }
            );
            for i in &p.inclusions {
                let _ = writeln!(o, "      {} {i}", style.green("include"));
            }
            for x in &p.exclusions {
                let _ = writeln!(o, "      {} {x}", style.red("exclude"));
            }
            if !p.preferred_controllers.is_empty() {
                let _ = writeln!(
                    o,
                    "      preferred DCs {}",
                    p.preferred_controllers.join(", ")
                );
            }
        }
        let _ = writeln!(
            o,
            "    rules {} standard, {} custom, {} disabled",
            d.standard_rules, d.custom_rules, d.disabled_rules
        );
        if let Some(t) = &d.object_types {
            let _ = writeln!(o, "    object types {}", t.join(", "));
        }
        if let Some(n) = d.attribute_inclusions {
            let _ = writeln!(o, "    attributes {n} included");
        }
        if !d.run_profiles.is_empty() {
            let _ = writeln!(o, "    run profiles {}", d.run_profiles.join(", "));
        }
        if let Some(h) = &d.provisioning_hierarchy {
            let _ = writeln!(o, "    provisioning hierarchy {h}");
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
        let width = s
            .custom_rules
            .iter()
            .map(|c| c.directory.chars().count())
            .max()
            .unwrap_or(0);
        for c in &s.custom_rules {
            let _ = writeln!(
                o,
                "  {:>6}  {:<width$}  {:<8}  {}{}",
                c.precedence,
                c.directory,
                c.direction,
                c.name,
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
