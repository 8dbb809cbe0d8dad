//! Puts the parsed files together: directories from connectors, global settings from the
//! `MV.xml` parameters, rules attached to their connectors, metadata from
//! `MigratedPolicy.json`, and the report of everything that was fixed, needs review or must be
//! redone by hand.

use crate::connector::{self, bool_text, ConnectorData, Kind};
use crate::globals::{self, Param};
use crate::report::{codes, Classification, MigrationReport, ReportItem, UnattachedRule};
use crate::rules::{self, RuleData};
use crate::{
    xml, LegacyError, LegacyFolder, CONNECTORS_DIR, MIGRATED_POLICY_FILE, MV_FILE,
    PERSISTED_STATE_FILE, RULES_DIR,
};
use std::sync::atomic::{AtomicUsize, Ordering};
use syncpolicy_model::config::{Configuration, DirectoryExtensionAttribute, OnPremisesDirectory};
use syncpolicy_model::diagnostic::Location;
use syncpolicy_model::enums::ScopeOperator;
use syncpolicy_model::extension::{GlobalParameter, Scheduler, EXTENSION_FORMAT_VERSION};
use syncpolicy_model::identity::normalize_guid;
use syncpolicy_model::rule::SyncRule;
use syncpolicy_model::signin::{SignIn, SignInMethod, PASSWORD_HASH_SYNC, SEAMLESS_SSO};

/// Parameter names of `MV.xml` (the engine's spelling).
mod p {
    pub(super) const STAGING: &str = "Microsoft.Synchronize.StagingMode";
    pub(super) const SCHEDULE: &str = "Microsoft.Synchronize.SynchronizationSchedule";
    pub(super) const INTERVAL: &str = "Microsoft.Synchronize.TimeInterval";
    pub(super) const MAINTENANCE: &str = "Microsoft.Synchronize.MaintenanceEnabled";
    pub(super) const PURGE: &str = "Microsoft.Synchronize.RunHistoryPurgeInterval";
    pub(super) const ANCHOR: &str = "Microsoft.SynchronizationOption.AnchorAttribute";
    pub(super) const UPN: &str = "Microsoft.SynchronizationOption.UPNAttribute";
    pub(super) const JOIN: &str = "Microsoft.SynchronizationOption.JoinCriteria";
    pub(super) const CUSTOM: &str = "Microsoft.SynchronizationOption.CustomAttribute";
    pub(super) const PHS: &str = "Microsoft.OptionalFeature.PasswordHashSync";
    pub(super) const SIGN_ON: &str = "Microsoft.UserSignIn.SignOnMethod";
    pub(super) const SSO: &str = "Microsoft.UserSignIn.DesktopSsoEnabled";
    pub(super) const PWD_WRITEBACK: &str = "Microsoft.OptionalFeature.PasswordWriteback";
    pub(super) const HYBRID: &str = "Microsoft.OptionalFeature.HybridExchange";
    pub(super) const PUBLIC_FOLDERS: &str = "Microsoft.OptionalFeature.ExchangeMailPublicFolder";
    pub(super) const THRESHOLD: &str = "Microsoft.OptionalFeature.ExportDeletionThreshold";
    pub(super) const THRESHOLD_VALUE: &str =
        "Microsoft.OptionalFeature.ExportDeletionThresholdValue";
    pub(super) const AUTO_UPGRADE: &str = "Microsoft.OptionalFeature.AutoUpgradeState";
    pub(super) const GROUP_WB: &str = "Microsoft.OptionalFeature.GroupWriteBack";
    pub(super) const GROUP_WB_FOREST: &str = "Microsoft.GroupWriteBack.Forest";
    pub(super) const GROUP_WB_CONTAINER: &str = "Microsoft.GroupWriteBack.Container";
    pub(super) const GROUP_WB_FORMAT: &str = "Microsoft.GroupWriteBack.FormatDistinguishedName";
    pub(super) const DEVICE_WB: &str = "Microsoft.OptionalFeature.DeviceWriteBack";
    pub(super) const DEVICE_WB_FOREST: &str = "Microsoft.DeviceWriteBack.Forest";
    pub(super) const DEVICE_WB_CONTAINER: &str = "Microsoft.DeviceWriteBack.Container";
    pub(super) const USER_WB_FOREST: &str = "Microsoft.UserWriteBack.Forest";
    pub(super) const USER_WB_CONTAINER: &str = "Microsoft.UserWriteBack.Container";
    pub(super) const FILTER_AAD: &str = "Microsoft.OptionalFeature.FilterAAD";
    pub(super) const APP_LIST: &str = "Microsoft.AADFilter.ApplicationList";
    pub(super) const ATTR_EXCLUSIONS: &str = "Microsoft.AADFilter.AttributeExclusionList";
    pub(super) const DIR_EXT: &str = "Microsoft.OptionalFeature.DirectoryExtension";
    pub(super) const DIR_EXT_ATTRS: &str = "Microsoft.OptionalFeature.DirectoryExtensionAttributes";
    pub(super) const DIR_EXT_MAP: &str = "Microsoft.DirectoryExtension.SourceTargetAttributesMap";
    pub(super) const GROUP_FILTERING: &str = "Microsoft.OptionalFeature.GroupFiltering";

    /// Run-time state and internal versions: left out of the settings file.
    pub(super) const NOISE: &[&str] = &[
        "Microsoft.Synchronize.NextStartTime",
        "Microsoft.Synchronize.ServerConfigurationVersion",
        "Microsoft.Synchronize.SynchronizationPolicy",
        "Microsoft.Synchronize.SchedulerSuspended",
        "Microsoft.Version.SynchronizationRuleImmutableTag",
        "Microsoft.Configuration.ImportDate",
    ];

    /// Known parameters that have no place in the model: kept as global parameters without a
    /// report item (an empty value carries nothing and is left out).
    pub(super) const KEPT_QUIETLY: &[&str] = &[
        "Microsoft.OptionalFeature.UserWriteBack",
        "Microsoft.OptionalFeature.DeviceWriteUp",
        "Microsoft.OptionalFeature.EnableAutoUpgrade",
        "Microsoft.OptionalFeature.AutoUpgradeSuspensionReason",
        USER_WB_FOREST,
        USER_WB_CONTAINER,
        DIR_EXT_MAP,
    ];
}

/// The MV.xml parameters with a consumed flag each.
struct Params {
    list: Vec<(Param, bool)>,
}

impl Params {
    fn get(&mut self, name: &str) -> Option<&Param> {
        let entry = self
            .list
            .iter_mut()
            .find(|(p, _)| p.name.eq_ignore_ascii_case(name))?;
        entry.1 = true;
        Some(&entry.0)
    }

    fn peek(&self, name: &str) -> Option<&Param> {
        self.list
            .iter()
            .find(|(p, _)| p.name.eq_ignore_ascii_case(name))
            .map(|(p, _)| p)
    }

    /// Marks a parameter as not consumed (so it is kept as a global parameter).
    fn keep(&mut self, name: &str) {
        if let Some(e) = self
            .list
            .iter_mut()
            .find(|(p, _)| p.name.eq_ignore_ascii_case(name))
        {
            e.1 = false;
        }
    }

    /// Marks an empty-valued parameter as consumed (it carries nothing).
    fn drop_if_empty(&mut self, name: &str) {
        if let Some(e) = self
            .list
            .iter_mut()
            .find(|(p, _)| p.name.eq_ignore_ascii_case(name))
        {
            if e.0.value.is_empty() {
                e.1 = true;
            }
        }
    }

    fn text(&mut self, name: &str) -> Option<String> {
        self.get(name).map(|p| p.value.clone())
    }

    fn bool(&mut self, name: &str, report: &mut MigrationReport) -> Option<bool> {
        let param = self.get(name)?.clone();
        match bool_text(&param.value) {
            Some(b) => Some(b),
            None => {
                self.keep(name);
                report.push(
                    Classification::NeedsReview,
                    codes::UNKNOWN_VALUE_KEPT,
                    format!(
                        "the parameter {name} holds {:?}, which is not a boolean; it is kept as a global parameter and not applied",
                        param.value
                    ),
                    param.location.clone(),
                    Some("set this feature again after the import".to_owned()),
                );
                None
            }
        }
    }
}

pub(crate) fn assemble(
    folder: &LegacyFolder,
) -> Result<(Configuration, MigrationReport), LegacyError> {
    let mut report = MigrationReport::default();
    let mut config = Configuration::default();
    config.extension.format_version = Some(EXTENSION_FORMAT_VERSION);

    // Metadata from MigratedPolicy.json: taken as written, missing pieces reported.
    if let Some(mp) = &folder.migrated_policy {
        config.policy_metadata = mp.policy_metadata.clone();
        config.deployment_metadata = mp.deployment_metadata.clone();
        report_missing_metadata(&config, &mp.file, &mut report);
    }

    // PersistedState.xml: the wizard's own state; only checked to be safe, well-formed XML.
    if let Some(bytes) = folder.file(PERSISTED_STATE_FILE) {
        let text = xml::decode(bytes, PERSISTED_STATE_FILE)?;
        xml::parse(&text, PERSISTED_STATE_FILE, &[])?;
    }
    report_missing_script_files(folder, &mut report);

    // Connectors.
    let rule_files = folder.xml_files_in(RULES_DIR);
    let (parsed_connectors, parsed_rules) =
        parse_in_parallel(&folder.xml_files_in(CONNECTORS_DIR), &rule_files);
    let mut connectors = Vec::new();
    let mut raw_ids_normalized = 0usize;
    for parsed in parsed_connectors {
        let (c, items) = parsed?;
        report.items.extend(items);
        connectors.push(c);
    }
    let order: Vec<String> = config
        .deployment_metadata
        .connector_ids
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|s| normalize_guid(s))
        .collect();
    connectors.sort_by_key(|c| order.iter().position(|o| *o == c.id).unwrap_or(usize::MAX));
    config.extension.connector_order = order.clone();
    report.counts.connectors = connectors.len();

    let mut entra_seen = false;
    for c in &connectors {
        match c.kind {
            Kind::ActiveDirectory => config.onpremises_directories.push(directory_of(c)),
            Kind::Entra if !entra_seen => {
                entra_seen = true;
                config.azure_directory.connector_id = Some(c.id.clone());
                config.azure_directory.connector = c.ext.clone();
            }
            Kind::Entra => report.push(
                Classification::RedoByHand,
                codes::SECOND_ENTRA_CONNECTOR,
                format!(
                    "a second Entra ID connector {:?} was found; a settings file holds one, so it and its rules are not migrated",
                    c.name
                ),
                conn_location(c),
                Some("one server synchronizes to one tenant; remove the extra connector on the old server or migrate it separately".to_owned()),
            ),
            Kind::Other => report.push(
                Classification::RedoByHand,
                codes::UNSUPPORTED_CONNECTOR,
                format!(
                    "connector {:?} (category {:?}, subtype {:?}) is neither Active Directory nor Entra ID; the settings file cannot hold it, so it and its rules are not migrated",
                    c.name, c.category, c.subtype
                ),
                conn_location(c),
                Some("set this connector up again by hand on the new server".to_owned()),
            ),
        }
        if c.raw_id != c.id {
            raw_ids_normalized += 1;
        }
    }
    report.counts.entra_connector = entra_seen;
    report.counts.ad_connectors = config.onpremises_directories.len();
    if !entra_seen {
        report.push(
            Classification::NeedsReview,
            codes::NOT_IN_LEGACY_EXPORT,
            "the folder has no Entra ID connector (category Extensible2, Azure Active Directory subtype)",
            Location::file(CONNECTORS_DIR),
            Some("the settings file needs the Entra directory; check that every Connector_*.xml file was copied".to_owned()),
        );
    }

    // Global settings.
    let mv_bytes = folder.file(MV_FILE).unwrap_or_default();
    let globals = globals::parse(mv_bytes, MV_FILE)?;
    report.counts.global_parameters = globals.params.len();
    let mut params = Params {
        list: globals.params.into_iter().map(|p| (p, false)).collect(),
    };
    apply_globals(&mut config, &mut params, &mut report);

    // Rules.
    report.counts.rules = rule_files.len();
    if rule_files.is_empty() {
        report.push(
            Classification::NeedsReview,
            codes::NOT_IN_LEGACY_EXPORT,
            "SynchronizationRules/ holds no rule file",
            Location::file(RULES_DIR),
            Some("a server always has the standard rules; check that the folder was copied completely".to_owned()),
        );
    }
    let mut normalized_rule_ids = 0usize;
    for parsed in parsed_rules {
        let (data, items) = parsed?;
        report.items.extend(items);
        if data.connector_raw.trim() != normalize_guid(&data.connector_raw) {
            normalized_rule_ids += 1;
        }
        attach(&mut config, data, &mut report);
    }
    for rules in rule_lists_mut(&mut config) {
        rules.sort_by(|a, b| {
            a.precedence
                .cmp(&b.precedence)
                .then_with(|| a.name().cmp(b.name()))
        });
    }

    // Group filtering: the pilot group is the ISMEMBEROF clause of the forest's rules.
    if params.bool(p::GROUP_FILTERING, &mut report) == Some(true) {
        let mut found = false;
        for d in &mut config.onpremises_directories {
            let dn = d
                .standard_rules
                .iter()
                .flat_map(|r| r.scope_groups.iter().flatten())
                .find(|c| c.operator == Some(ScopeOperator::IsMemberOf))
                .map(|c| c.value.clone());
            if let Some(dn) = dn {
                d.group_filtering_dn = dn;
                found = true;
            }
        }
        if !found {
            let loc = params
                .peek(p::GROUP_FILTERING)
                .map(|p| p.location.clone())
                .unwrap_or_else(|| Location::file(MV_FILE));
            report.push(
                Classification::NeedsReview,
                codes::GROUP_FILTER_NOT_FOUND,
                "group filtering is on, but no standard rule has an ISMEMBEROF scope clause naming the pilot group",
                loc,
                Some("choose the pilot group again in the wizard after the import".to_owned()),
            );
        }
    }

    // What is left of the parameters is kept verbatim.
    let mut unknown = Vec::new();
    for (param, consumed) in params.list {
        if consumed || p::NOISE.iter().any(|n| n.eq_ignore_ascii_case(&param.name)) {
            continue;
        }
        let quiet = p::KEPT_QUIETLY
            .iter()
            .any(|n| n.eq_ignore_ascii_case(&param.name));
        if quiet && param.value.is_empty() {
            continue;
        }
        if !quiet && !is_known_param(&param.name) {
            unknown.push(param.name.clone());
        }
        config.extension.global_parameters.push(GlobalParameter {
            name: param.name,
            value: param.value,
        });
    }
    if !unknown.is_empty() {
        report.push(
            Classification::FixedAutomatically,
            codes::UNKNOWN_PARAMETER_KEPT,
            format!(
                "{} parameter(s) this version does not know are kept verbatim as global parameters: {}",
                unknown.len(),
                unknown.join(", ")
            ),
            Location::file(MV_FILE),
            None,
        );
    }

    if raw_ids_normalized + normalized_rule_ids > 0 {
        report.push(
            Classification::FixedAutomatically,
            codes::IDENTIFIERS_NORMALIZED,
            "connector and rule identifiers were written as GUIDs without braces in lowercase; rules were matched to connectors ignoring case and braces",
            Location::file(RULES_DIR),
            None,
        );
    }

    notes(&config, &mut report);
    count(&config, &mut report);
    Ok((config, report))
}

/// A parsed file with the report items its parse gave, or the error that stopped it.
type Parsed<T> = Result<(T, Vec<ReportItem>), LegacyError>;

/// Parses the connector and rule files on up to [`MAX_THREADS`] threads (the biggest files
/// first, taken from a shared counter) and returns the results in the order of the lists, so
/// the caller sees the same report and the same first error as a sequential parse.
fn parse_in_parallel(
    connector_files: &[(&str, &[u8])],
    rule_files: &[(&str, &[u8])],
) -> (Vec<Parsed<ConnectorData>>, Vec<Parsed<RuleData>>) {
    enum Out {
        Connector(Parsed<ConnectorData>),
        Rule(Parsed<RuleData>),
    }
    let n = connector_files.len() + rule_files.len();
    let total: usize = connector_files
        .iter()
        .chain(rule_files)
        .map(|(_, b)| b.len())
        .sum();
    // Work items by size, biggest first (the connectors with their schemas).
    let mut order: Vec<usize> = (0..n).collect();
    let size = |i: usize| {
        if i < connector_files.len() {
            connector_files[i].1.len()
        } else {
            rule_files[i - connector_files.len()].1.len()
        }
    };
    order.sort_by_key(|i| std::cmp::Reverse(size(*i)));
    let work = |i: usize| -> Out {
        let mut report = MigrationReport::default();
        if i < connector_files.len() {
            let (file, bytes) = connector_files[i];
            Out::Connector(connector::parse(bytes, file, &mut report).map(|c| (c, report.items)))
        } else {
            let (file, bytes) = rule_files[i - connector_files.len()];
            Out::Rule(rules::parse(bytes, file, &mut report).map(|r| (r, report.items)))
        }
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(MAX_THREADS);
    let mut results: Vec<Option<Out>> = (0..n).map(|_| None).collect();
    if threads < 2 || total < PARALLEL_FROM_BYTES {
        for &i in &order {
            results[i] = Some(work(i));
        }
    } else {
        let next = AtomicUsize::new(0);
        let worker = || {
            let mut done = Vec::new();
            loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some(&i) = order.get(k) else {
                    return done;
                };
                done.push((i, work(i)));
            }
        };
        std::thread::scope(|scope| {
            let handles: Vec<_> = (1..threads).map(|_| scope.spawn(worker)).collect();
            for (i, out) in worker() {
                results[i] = Some(out);
            }
            for h in handles {
                match h.join() {
                    Ok(done) => {
                        for (i, out) in done {
                            results[i] = Some(out);
                        }
                    }
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
        });
    }
    let mut connectors = Vec::with_capacity(connector_files.len());
    let mut rules = Vec::with_capacity(rule_files.len());
    for out in results.into_iter().flatten() {
        match out {
            Out::Connector(c) => connectors.push(c),
            Out::Rule(r) => rules.push(r),
        }
    }
    (connectors, rules)
}

/// Threads that parse files at most (the work is reading memory; more do not help).
const MAX_THREADS: usize = 4;
/// Below this many bytes in all, the files are parsed on the calling thread.
const PARALLEL_FROM_BYTES: usize = 1 << 20;

fn is_known_param(name: &str) -> bool {
    // Every name this module consumes is "known"; only truly new names are listed.
    const KNOWN: &[&str] = &[
        p::STAGING,
        p::SCHEDULE,
        p::INTERVAL,
        p::MAINTENANCE,
        p::PURGE,
        p::ANCHOR,
        p::UPN,
        p::JOIN,
        p::CUSTOM,
        p::PHS,
        p::SIGN_ON,
        p::SSO,
        p::PWD_WRITEBACK,
        p::HYBRID,
        p::PUBLIC_FOLDERS,
        p::THRESHOLD,
        p::THRESHOLD_VALUE,
        p::AUTO_UPGRADE,
        p::GROUP_WB,
        p::GROUP_WB_FOREST,
        p::GROUP_WB_CONTAINER,
        p::GROUP_WB_FORMAT,
        p::DEVICE_WB,
        p::DEVICE_WB_FOREST,
        p::DEVICE_WB_CONTAINER,
        p::FILTER_AAD,
        p::APP_LIST,
        p::ATTR_EXCLUSIONS,
        p::DIR_EXT,
        p::DIR_EXT_ATTRS,
        p::GROUP_FILTERING,
    ];
    KNOWN.iter().any(|k| k.eq_ignore_ascii_case(name))
}

fn directory_of(c: &ConnectorData) -> OnPremisesDirectory {
    OnPremisesDirectory {
        name: c.name.clone(),
        unique_identifier: c.id.clone(),
        forest: c.forest.clone(),
        account: c.account.clone(),
        partitions: c.partitions.clone(),
        partitions_present: true,
        connector: c.ext.clone(),
        ..OnPremisesDirectory::default()
    }
}

fn conn_location(c: &ConnectorData) -> Location {
    let mut l = Location::file(c.file.clone()).with_position(c.line, c.column);
    l.xml_element = Some("ma-data".to_owned());
    l
}

fn rule_lists_mut(config: &mut Configuration) -> Vec<&mut Vec<SyncRule>> {
    let mut out = vec![
        &mut config.azure_directory.standard_rules,
        &mut config.azure_directory.custom_rules,
    ];
    for d in &mut config.onpremises_directories {
        out.push(&mut d.standard_rules);
        out.push(&mut d.custom_rules);
    }
    out
}

fn attach(config: &mut Configuration, data: RuleData, report: &mut MigrationReport) {
    let id = normalize_guid(&data.connector_raw);
    let standard = data.rule.is_standard();
    let target = if config.azure_directory.connector_id.as_deref() == Some(id.as_str()) {
        Some((
            &mut config.azure_directory.standard_rules,
            &mut config.azure_directory.custom_rules,
        ))
    } else {
        config
            .onpremises_directories
            .iter_mut()
            .find(|d| d.unique_identifier == id)
            .map(|d| (&mut d.standard_rules, &mut d.custom_rules))
    };
    match target {
        Some((std_rules, custom_rules)) => {
            if data.rule.disabled && !standard {
                let (line, column) = data.disabled_at.unwrap_or((data.line, data.column));
                let mut loc = Location::file(data.file.clone()).with_position(line, column);
                loc.xml_element = Some(format!("{}/disabled", data.path));
                report.push(
                    Classification::NeedsReview,
                    codes::DISABLED_CUSTOM_RULE,
                    format!(
                        "custom rule {:?} is disabled; it is migrated as disabled, but Microsoft's import enables disabled custom rules",
                        data.rule.name()
                    ),
                    loc,
                    Some("after importing with the wizard, disable the rule again".to_owned()),
                );
            }
            if standard {
                std_rules.push(data.rule);
            } else {
                custom_rules.push(data.rule);
            }
        }
        None => {
            let mut loc = Location::file(data.file.clone()).with_position(data.line, data.column);
            loc.xml_element = Some(format!("{}/connector", data.path));
            report.push(
                Classification::RedoByHand,
                codes::UNATTACHED_RULE,
                format!(
                    "rule {:?} belongs to connector {}, which is not a migrated directory; the rule is kept in the report's unattached list, not in the settings file",
                    data.rule.name(),
                    data.connector_raw.trim()
                ),
                loc,
                Some("add the rule again to the right directory after the import (its full content is in the report)".to_owned()),
            );
            report.unattached_rules.push(UnattachedRule {
                file: data.file,
                connector: data.connector_raw.trim().to_owned(),
                rule: data.rule,
            });
        }
    }
}

fn apply_globals(config: &mut Configuration, params: &mut Params, report: &mut MigrationReport) {
    config.extension.staging_mode = params.bool(p::STAGING, report);
    let scheduler = Scheduler {
        sync_interval: params.text(p::INTERVAL).filter(|s| !s.is_empty()),
        enabled: params.bool(p::SCHEDULE, report),
        maintenance_enabled: params.bool(p::MAINTENANCE, report),
        purge_run_history_interval: params.text(p::PURGE).filter(|s| !s.is_empty()),
        ..Scheduler::default()
    };
    if scheduler != Scheduler::default() {
        config.extension.scheduler = Some(scheduler);
    }

    let idm = &mut config.identity_mapping;
    idm.source_anchor_attribute = params.text(p::ANCHOR).filter(|s| !s.is_empty());
    idm.user_principal_name_attribute = params.text(p::UPN).filter(|s| !s.is_empty());
    idm.user_matching_policy = params.text(p::JOIN).filter(|s| !s.is_empty());
    idm.user_matching_attribute = params.text(p::CUSTOM).unwrap_or_default();

    // Sign-in.
    let phs = params.bool(p::PHS, report).unwrap_or(false);
    let sso = params.bool(p::SSO, report).unwrap_or(false);
    let method_param = params
        .get(p::SIGN_ON)
        .cloned()
        .filter(|m| !m.value.is_empty());
    config.sign_in = match &method_param {
        Some(m) => match SignInMethod::from_token(&m.value) {
            Some(method) => SignIn::new(method, phs, sso),
            None => {
                report.push(
                    Classification::NeedsReview,
                    codes::UNKNOWN_VALUE_KEPT,
                    format!(
                        "the sign-in method {:?} is not one this version knows; it is kept as written",
                        m.value
                    ),
                    m.location.clone(),
                    Some("check the sign-in method in the wizard at import".to_owned()),
                );
                let mut tokens = vec![m.value.clone()];
                if phs {
                    tokens.push(PASSWORD_HASH_SYNC.to_owned());
                }
                if sso {
                    tokens.push(SEAMLESS_SSO.to_owned());
                }
                SignIn { tokens }
            }
        },
        None => {
            let (sign_in, message) = if phs {
                (
                    SignIn::new(SignInMethod::PasswordHashSync, true, sso),
                    "the sign-in method is not recorded (older server); password hash synchronization is on, so it is taken as the sign-in method",
                )
            } else {
                (
                    SignIn::default(),
                    "the sign-in method is not recorded (older server) and password hash synchronization is off; the settings file names no sign-in method",
                )
            };
            report.push(
                Classification::NeedsReview,
                codes::SIGN_IN_NOT_RECORDED,
                message,
                Location::file(MV_FILE),
                Some("choose the sign-in method in the wizard at import (pass-through authentication and federation are not visible in MV.xml of older servers)".to_owned()),
            );
            sign_in
        }
    };

    config.password_writeback = params.bool(p::PWD_WRITEBACK, report).unwrap_or(false);
    config.exchange.hybrid_deployment = params.bool(p::HYBRID, report).unwrap_or(false);
    config.exchange.mail_public_folders = params.bool(p::PUBLIC_FOLDERS, report).unwrap_or(false);

    // Export deletion threshold: the value only when the threshold is on.
    match params.bool(p::THRESHOLD, report) {
        Some(true) => {
            config.azure_directory.export_deletion_limit =
                params.text(p::THRESHOLD_VALUE).unwrap_or_default();
        }
        _ => params.drop_if_empty(p::THRESHOLD_VALUE),
    }

    if let Some(state) = params.text(p::AUTO_UPGRADE).filter(|s| !s.is_empty()) {
        config.deployment_metadata.auto_upgrade_state = state;
    }

    writeback(config, params, report, WritebackKind::Group);
    writeback(config, params, report, WritebackKind::Device);
    for name in [p::USER_WB_FOREST, p::USER_WB_CONTAINER, p::DIR_EXT_MAP] {
        params.drop_if_empty(name);
    }

    // Entra app and attribute filtering.
    let filter = params.bool(p::FILTER_AAD, report).unwrap_or(false);
    if filter {
        config
            .azure_directory
            .exported_attributes
            .application_restrictions = split_list(&params.text(p::APP_LIST).unwrap_or_default());
        config
            .azure_directory
            .exported_attributes
            .excluded_attributes = split_list(&params.text(p::ATTR_EXCLUSIONS).unwrap_or_default());
    } else {
        params.drop_if_empty(p::APP_LIST);
        params.drop_if_empty(p::ATTR_EXCLUSIONS);
    }

    // Directory extensions.
    if params.bool(p::DIR_EXT, report) == Some(true) {
        if let Some(param) = params.get(p::DIR_EXT_ATTRS).cloned() {
            match parse_extensions(&param.value) {
                Some(list) => config.azure_directory.directory_extensions = list,
                None => {
                    params.keep(p::DIR_EXT_ATTRS);
                    report.push(
                        Classification::NeedsReview,
                        codes::LIST_NOT_UNDERSTOOD,
                        "the directory extension attribute list is not in the form attribute.objectClass.dataType.multiValued; it is kept as a global parameter",
                        param.location.clone(),
                        Some("select the directory extension attributes again in the wizard after the import".to_owned()),
                    );
                }
            }
        }
    } else {
        params.drop_if_empty(p::DIR_EXT_ATTRS);
    }
}

#[derive(Clone, Copy)]
enum WritebackKind {
    Group,
    Device,
}

fn writeback(
    config: &mut Configuration,
    params: &mut Params,
    report: &mut MigrationReport,
    kind: WritebackKind,
) {
    let (flag, forest_name, container_name) = match kind {
        WritebackKind::Group => (p::GROUP_WB, p::GROUP_WB_FOREST, p::GROUP_WB_CONTAINER),
        WritebackKind::Device => (p::DEVICE_WB, p::DEVICE_WB_FOREST, p::DEVICE_WB_CONTAINER),
    };
    let on = params.bool(flag, report);
    let format = match kind {
        WritebackKind::Group => params.bool(p::GROUP_WB_FORMAT, report).unwrap_or(false),
        WritebackKind::Device => false,
    };
    let forest = params.get(forest_name).cloned();
    let container = params.get(container_name).cloned();
    if on != Some(true) {
        // Off: a leftover forest or container is kept, an empty one carries nothing.
        params.keep(forest_name);
        params.keep(container_name);
        params.drop_if_empty(forest_name);
        params.drop_if_empty(container_name);
        return;
    }
    let forest_value = forest.as_ref().map(|f| f.value.clone()).unwrap_or_default();
    let container_value = container
        .as_ref()
        .map(|c| c.value.clone())
        .unwrap_or_default();
    let dir = config.onpremises_directories.iter_mut().find(|d| {
        !forest_value.is_empty()
            && (d
                .forest
                .as_deref()
                .is_some_and(|f| f.eq_ignore_ascii_case(&forest_value))
                || d.name.eq_ignore_ascii_case(&forest_value))
    });
    match dir {
        Some(d) if !container_value.is_empty() => match kind {
            WritebackKind::Group => {
                d.group_writeback_dn = container_value;
                d.format_group_writeback_dn = format;
            }
            WritebackKind::Device => d.device_writeback_dn = container_value,
        },
        _ => {
            params.keep(forest_name);
            params.keep(container_name);
            let what = match kind {
                WritebackKind::Group => "group",
                WritebackKind::Device => "device",
            };
            report.push(
                Classification::NeedsReview,
                codes::WRITEBACK_FOREST_UNKNOWN,
                format!(
                    "{what} writeback is on, but its forest {forest_value:?} is not a migrated directory or its container is empty; the parameters are kept as global parameters"
                ),
                forest
                    .map(|f| f.location)
                    .unwrap_or_else(|| Location::file(MV_FILE)),
                Some(format!("choose the {what} writeback forest and container again in the wizard after the import")),
            );
        }
    }
}

/// Splits a list parameter on `;`, `,` or line breaks.
fn split_list(text: &str) -> Vec<String> {
    text.split([';', ',', '\n', '\r'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Reads `attribute.objectClass.dataType.multiValued` entries; `None` when one is not.
fn parse_extensions(text: &str) -> Option<Vec<DirectoryExtensionAttribute>> {
    let mut out = Vec::new();
    for entry in split_list(text) {
        let parts: Vec<&str> = entry.split('.').map(str::trim).collect();
        if parts.len() > 4 || parts.iter().any(|p| p.is_empty()) {
            return None;
        }
        let multi = match parts.get(3) {
            Some(m) => bool_text(m)?,
            None => false,
        };
        out.push(DirectoryExtensionAttribute {
            attribute: parts.first().map(|s| (*s).to_owned()),
            object_class: parts.get(1).map(|s| (*s).to_owned()),
            data_type: parts.get(2).map(|s| (*s).to_owned()),
            multi_valued: multi,
            ..DirectoryExtensionAttribute::default()
        });
    }
    Some(out)
}

/// `PersistedState.xml` and `MigratedPolicy.json` are added by `MigrateSettings.ps1`; a folder
/// written by `Get-ADSyncServerConfiguration` alone has neither. Each missing one is a
/// needs-review item saying what it would have supplied; nothing is filled in for it.
fn report_missing_script_files(folder: &LegacyFolder, report: &mut MigrationReport) {
    if folder.migrated_policy.is_none() {
        report.push(
            Classification::NeedsReview,
            codes::EXPORT_FILE_MISSING,
            "the folder has no MigratedPolicy.json (MigrateSettings.ps1 writes it; Get-ADSyncServerConfiguration alone does not): the policy metadata (type, author, time created, product version) and the deployment metadata (host name, service account and its type, database, connector order) of the old server are unknown; they stay empty in the settings file, and the connectors are taken in the order of their file names",
            Location::file(MIGRATED_POLICY_FILE),
            Some("the metadata is informational; fill it in only if you know the values, or run MigrateSettings.ps1 on the old server and migrate the folder it writes".to_owned()),
        );
    }
    if folder.file(PERSISTED_STATE_FILE).is_none() {
        report.push(
            Classification::NeedsReview,
            codes::EXPORT_FILE_MISSING,
            "the folder has no PersistedState.xml (MigrateSettings.ps1 copies it from %ProgramData%\\AADConnect; Get-ADSyncServerConfiguration alone does not): the wizard's own state of the old server is not part of the export; nothing of it is mapped into the settings file, but the Entra Connect wizard requires the file to import this folder directly",
            Location::file(PERSISTED_STATE_FILE),
            Some("nothing to do for the settings file; to import the folder itself in the wizard, run MigrateSettings.ps1 on the old server".to_owned()),
        );
    }
}

fn report_missing_metadata(config: &Configuration, file: &str, report: &mut MigrationReport) {
    let pm = &config.policy_metadata;
    let dm = &config.deployment_metadata;
    let mut missing = Vec::new();
    if pm.policy_type.is_empty() {
        missing.push("policy type");
    }
    if pm.author.as_deref().unwrap_or("").is_empty() {
        missing.push("author");
    }
    if pm.time_created.as_deref().unwrap_or("").is_empty() {
        missing.push("time created");
    }
    if pm.product_version.as_deref().unwrap_or("").is_empty() {
        missing.push("product version");
    }
    if dm.host_name.as_deref().unwrap_or("").is_empty() {
        missing.push("host name");
    }
    if dm.service_account.is_empty() {
        missing.push("service account");
    }
    if dm.service_account_type.is_empty() {
        missing.push("service account type");
    }
    if dm.database_server.is_empty() && dm.database_name.is_empty() {
        missing.push("database");
    }
    if dm.connector_ids.is_none() {
        missing.push("connector identifiers (connector order)");
    }
    if !missing.is_empty() {
        report.push(
            Classification::NeedsReview,
            codes::METADATA_MISSING,
            format!(
                "MigratedPolicy.json does not say: {}; these stay empty in the settings file",
                missing.join(", ")
            ),
            Location::file(file),
            Some("the metadata is informational; fill it in only if you know the values (older MigrateSettings.ps1 versions write less)".to_owned()),
        );
    }
}

fn notes(config: &Configuration, report: &mut MigrationReport) {
    let az = &config.azure_directory;
    if az.administrator.is_none() || az.tenant_id.is_none() {
        report.push(
            Classification::NeedsReview,
            codes::NOT_IN_LEGACY_EXPORT,
            "the legacy export does not record the Entra administrator account or the tenant identifier",
            Location::file(MV_FILE),
            Some("the wizard asks for the administrator account at import".to_owned()),
        );
    }
    report.push(
        Classification::NeedsReview,
        codes::METAVERSE_SCHEMA_NOT_COMPARED,
        "metaverse schema extensions are not migrated: MV.xml holds the whole metaverse schema, and the shipped schema to compare it with is not part of the export",
        Location::file(MV_FILE),
        Some("if the old server has custom metaverse attributes, add them under metaverseExtensionPolicy or re-create them after the import".to_owned()),
    );

    // What the extension part keeps.
    let mut kept = Vec::new();
    let ext = &config.extension;
    if let Some(s) = ext.staging_mode {
        kept.push(format!("staging mode ({})", if s { "on" } else { "off" }));
    }
    if let Some(s) = &ext.scheduler {
        kept.push(format!(
            "scheduler (interval {}, {})",
            s.sync_interval.as_deref().unwrap_or("not set"),
            match s.enabled {
                Some(true) => "enabled",
                Some(false) => "disabled",
                None => "enabled state not set",
            }
        ));
    }
    if !ext.connector_order.is_empty() {
        kept.push(format!(
            "connector order ({})",
            syncpolicy_model::words::count(ext.connector_order.len(), "connector", "connectors")
        ));
    }
    let conns: Vec<_> = std::iter::once(&az.connector)
        .chain(config.onpremises_directories.iter().map(|d| &d.connector))
        .collect();
    let n_types = conns.iter().filter(|c| c.object_types.is_some()).count();
    if n_types > 0 {
        kept.push(format!("object-type inclusions of {n_types} connector(s)"));
    }
    let n_attrs = conns
        .iter()
        .filter(|c| c.attribute_inclusions.is_some())
        .count();
    if n_attrs > 0 {
        kept.push(format!(
            "attribute inclusion lists of {n_attrs} connector(s)"
        ));
    }
    let profiles: usize = conns.iter().map(|c| c.run_profiles.len()).sum();
    if profiles > 0 {
        kept.push(format!("{profiles} run profile(s) with their steps"));
    }
    let hier = conns
        .iter()
        .filter(|c| c.provisioning_hierarchy.is_some())
        .count();
    if hier > 0 {
        kept.push(format!("provisioning hierarchy of {hier} connector(s)"));
    }
    if az.connector_id.is_some() {
        kept.push("Entra connector identifier and name".to_owned());
    }
    let placed = config
        .rules()
        .filter(|(_, r)| !r.extension.is_default())
        .count();
    if placed > 0 {
        kept.push(format!(
            "precedence before/after or soft-delete expiry of {placed} rule(s)"
        ));
    }
    if !ext.global_parameters.is_empty() {
        kept.push(format!(
            "{} global parameter(s) with no place in Microsoft's format",
            ext.global_parameters.len()
        ));
    }
    if !kept.is_empty() {
        report.push(
            Classification::FixedAutomatically,
            codes::KEPT_IN_EXTENSION,
            format!(
                "kept in the settings file's x-syncpolicy part (Microsoft's format has no place for it): {}",
                kept.join("; ")
            ),
            Location::file(MV_FILE),
            None,
        );
    }
    report.kept_in_extension = kept;
}

fn count(config: &Configuration, report: &mut MigrationReport) {
    let c = &mut report.counts;
    for d in &config.onpremises_directories {
        c.partitions += d.partitions.len();
        c.selected_partitions += d.partitions.iter().filter(|p| p.selected).count();
    }
    for (_, r) in config.rules() {
        if r.is_standard() {
            c.standard_rules += 1;
        } else {
            c.custom_rules += 1;
        }
        if r.disabled {
            c.disabled_rules += 1;
        }
    }
    c.unattached_rules = report.unattached_rules.len();
}
