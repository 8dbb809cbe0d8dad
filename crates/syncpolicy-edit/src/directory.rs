//! Directory-level changes: add or remove an on-premises forest, select partitions, OU
//! filtering, preferred domain controllers, object-type and attribute inclusions, run
//! profiles, the scheduler and staging mode.

use crate::error::{EditError, EditResult};
use crate::select;
use std::fmt::Write as _;
use syncpolicy_model::config::{Configuration, DirectoryRef, OnPremisesDirectory, Partition};
use syncpolicy_model::extension::{
    ConnectorExtension, RunProfile, RunStep, Scheduler, RUN_STEP_TYPES,
};
use syncpolicy_model::identity::{check_dn, dn_is_under, normalize_dn};
use syncpolicy_model::rule::SyncRule;
use syncpolicy_model::words;

/// Turns `contoso.com` into `DC=contoso,DC=com`.
pub fn fqdn_to_dn(fqdn: &str) -> String {
    fqdn.trim()
        .trim_end_matches('.')
        .split('.')
        .map(|p| format!("DC={p}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Turns a domain's partition DN (`DC=contoso,DC=com`, only `DC=` parts, any case and
/// spacing) into its DNS name (`contoso.com`); `None` for anything else.
pub fn dn_to_fqdn(dn: &str) -> Option<String> {
    let labels: Option<Vec<&str>> = dn
        .split(',')
        .map(|part| {
            let (attr, value) = part.split_once('=')?;
            let value = value.trim();
            (attr.trim().eq_ignore_ascii_case("DC") && !value.is_empty()).then_some(value)
        })
        .collect();
    labels.filter(|l| !l.is_empty()).map(|l| l.join("."))
}

fn valid_dn(dn: &str) -> Result<(), EditError> {
    check_dn(dn).map_err(|why| {
        EditError::invalid(
            format!("{dn:?} is not a valid distinguished name: {why}"),
            "write it as comma-separated attr=value parts, e.g. OU=Sales,DC=contoso,DC=com",
        )
    })
}

fn valid_fqdn(fqdn: &str) -> Result<(), EditError> {
    let ok = !fqdn.is_empty()
        && fqdn.split('.').count() >= 2
        && fqdn
            .split('.')
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    if ok {
        Ok(())
    } else {
        Err(EditError::invalid(
            format!("{fqdn:?} is not a fully qualified domain name"),
            "give the forest's DNS name, e.g. fabrikam.com",
        ))
    }
}

/// Adds an on-premises forest with its root domain as the one selected partition, the
/// standard object types and run profiles, and `standard_rules` (the out-of-box rules of a
/// forest, in catalogue order), numbered as the wizard numbers an additional forest's rules
/// (see [`crate::precedence::number_standard_rules_for_new_forest`]; other standard rules may
/// be renumbered). `id` is the new connector's identifier.
pub fn add_directory(
    config: &mut Configuration,
    forest: &str,
    name: Option<&str>,
    account: &str,
    id: String,
    connector: ConnectorExtension,
    standard_rules: Vec<SyncRule>,
) -> EditResult {
    valid_fqdn(forest)?;
    let name = name.unwrap_or(forest).trim().to_owned();
    if config.onpremises_directories.iter().any(|d| {
        d.name.eq_ignore_ascii_case(&name)
            || d.forest
                .as_deref()
                .is_some_and(|f| f.eq_ignore_ascii_case(forest))
    }) {
        return Err(EditError::refused(
            format!("a directory named {name:?} or for forest {forest:?} exists already"),
            "list the directories with `syncpolicy directory list`",
        ));
    }
    if account.trim().is_empty() {
        return Err(EditError::invalid(
            "the directory needs an account to connect with",
            "give --account DOMAIN\\name (its password is asked separately and never stored in the configuration)",
        ));
    }
    let root = fqdn_to_dn(forest);
    config.onpremises_directories.push(OnPremisesDirectory {
        name: name.clone(),
        unique_identifier: id.clone(),
        forest: Some(forest.to_owned()),
        account: Some(account.to_owned()),
        partitions: vec![Partition {
            fqdn: Some(forest.to_owned()),
            distinguished_name: Some(root.clone()),
            selected: true,
            inclusions: vec![root],
            ..Partition::default()
        }],
        partitions_present: true,
        standard_rules,
        connector,
        ..OnPremisesDirectory::default()
    });
    config.extension.connector_order.push(id);
    let added = config.onpremises_directories.len() - 1;
    let renumbered = crate::precedence::number_standard_rules_for_new_forest(config, added);
    let rules = config.onpremises_directories[added].standard_rules.len();
    let mut summary = format!("added directory {name} (forest {forest}, account {account})");
    if rules > 0 {
        let _ = write!(
            summary,
            " with {}",
            words::count(rules, "standard rule", "standard rules")
        );
    }
    if renumbered > 0 {
        let _ = write!(
            summary,
            "; renumbered {} of the other directories, as the wizard does",
            words::count(renumbered, "standard rule", "standard rules")
        );
    }
    Ok(summary)
}

/// Sets the account an on-premises directory's connector signs in with (its password is kept
/// apart, never in the configuration).
pub fn set_account(config: &mut Configuration, dir: &str, account: &str) -> EditResult {
    let account = account.trim();
    if account.is_empty() {
        return Err(EditError::invalid(
            "the directory needs an account to connect with",
            "give --account DOMAIN\\name",
        ));
    }
    let i = select::onprem_directory(config, dir)?;
    let d = &mut config.onpremises_directories[i];
    if d.account.as_deref() == Some(account) {
        // Already so: the store reports the change as unchanged (exit 0).
        return Ok(format!("the account of {} is already {account}", d.name));
    }
    d.account = Some(account.to_owned());
    Ok(format!("account of directory {} set to {account}", d.name))
}

/// Removes an on-premises directory and its rules.
pub fn remove_directory(config: &mut Configuration, name: &str) -> EditResult {
    let i = select::onprem_directory(config, name)?;
    let d = config.onpremises_directories.remove(i);
    config
        .extension
        .connector_order
        .retain(|id| !syncpolicy_model::identity::same_guid(id, &d.unique_identifier));
    let rules = d.standard_rules.len() + d.custom_rules.len();
    Ok(format!(
        "removed directory {} and its {}",
        d.name,
        syncpolicy_model::words::count(rules, "rule", "rules")
    ))
}

/// Adds a domain partition to a directory (not selected unless `selected`).
pub fn add_partition(
    config: &mut Configuration,
    dir: &str,
    fqdn: &str,
    selected: bool,
) -> EditResult {
    // The domain by its DNS name, or by its partition DN as `partition select` takes it.
    let from_dn = dn_to_fqdn(fqdn);
    let fqdn = from_dn.as_deref().unwrap_or(fqdn);
    valid_fqdn(fqdn)?;
    let i = select::onprem_directory(config, dir)?;
    if select::partition(config, i, fqdn).is_ok() {
        return Err(EditError::refused(
            format!("the directory already has the partition {fqdn}"),
            "select or deselect it with `syncpolicy partition select|deselect`",
        ));
    }
    let dn = fqdn_to_dn(fqdn);
    let d = &mut config.onpremises_directories[i];
    d.partitions.push(Partition {
        fqdn: Some(fqdn.to_owned()),
        distinguished_name: Some(dn.clone()),
        selected,
        inclusions: vec![dn.clone()],
        ..Partition::default()
    });
    d.partitions_present = true;
    Ok(format!(
        "added partition {dn} to {}{}",
        d.name,
        if selected { " (selected)" } else { "" }
    ))
}

/// Selects or deselects a partition.
pub fn select_partition(
    config: &mut Configuration,
    dir: &str,
    partition: &str,
    selected: bool,
) -> EditResult {
    let i = select::onprem_directory(config, dir)?;
    let p = select::partition(config, i, partition)?;
    let d = &mut config.onpremises_directories[i];
    let part = &mut d.partitions[p];
    let dn = part.distinguished_name.clone().unwrap_or_default();
    if part.selected == selected {
        // Already so: the store reports the change as unchanged (exit 0).
        return Ok(format!(
            "partition {dn} of {} is already {}",
            d.name,
            if selected { "selected" } else { "not selected" }
        ));
    }
    part.selected = selected;
    Ok(format!(
        "{} partition {dn} of {}",
        if selected { "selected" } else { "deselected" },
        d.name
    ))
}

/// How a container is filtered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerFilter {
    Include,
    Exclude,
    /// Remove the container from both lists.
    Clear,
}

/// Includes, excludes or clears a container (an OU) in the partition it lies in.
pub fn filter_container(
    config: &mut Configuration,
    dir: &str,
    dn: &str,
    filter: ContainerFilter,
) -> EditResult {
    valid_dn(dn)?;
    let i = select::onprem_directory(config, dir)?;
    let d = &mut config.onpremises_directories[i];
    let Some(part) = d
        .partitions
        .iter_mut()
        .filter(|p| {
            p.distinguished_name
                .as_deref()
                .is_some_and(|root| dn_is_under(dn, root))
        })
        .max_by_key(|p| p.distinguished_name.as_deref().map_or(0, str::len))
    else {
        return Err(EditError::not_found(
            format!("a partition of {} that contains {dn}", d.name),
            "containers must lie in one of the directory's partitions; add the domain first with `syncpolicy partition add`",
        ));
    };
    let key = normalize_dn(dn);
    let listed = |list: &[String]| list.iter().any(|x| normalize_dn(x) == key);
    let (in_inc, in_exc) = (listed(&part.inclusions), listed(&part.exclusions));
    let root = part.distinguished_name.clone().unwrap_or_default();
    let mut move_to = |include: bool| -> EditResult {
        let (into, from, state, prep) = if include {
            (&mut part.inclusions, &mut part.exclusions, "included", "in")
        } else {
            (
                &mut part.exclusions,
                &mut part.inclusions,
                "excluded",
                "from",
            )
        };
        if listed(into) {
            // Already so: the store reports the change as unchanged (exit 0).
            return Ok(format!("{dn} is already {state}"));
        }
        from.retain(|x| normalize_dn(x) != key);
        into.push(dn.to_owned());
        Ok(format!("{state} {dn} {prep} {} ({root})", d.name))
    };
    match filter {
        ContainerFilter::Include => move_to(true),
        ContainerFilter::Exclude => move_to(false),
        ContainerFilter::Clear => {
            if !in_inc && !in_exc {
                return Err(EditError::not_found(
                    format!("{dn} in the OU filter of {}", d.name),
                    "only containers listed as included or excluded can be cleared",
                ));
            }
            part.inclusions.retain(|x| normalize_dn(x) != key);
            part.exclusions.retain(|x| normalize_dn(x) != key);
            Ok(format!(
                "removed {dn} from the OU filter of {} ({root})",
                d.name
            ))
        }
    }
}

/// Sets the preferred domain controllers of a partition (empty: none).
pub fn set_preferred_controllers(
    config: &mut Configuration,
    dir: &str,
    partition: &str,
    controllers: Vec<String>,
) -> EditResult {
    let i = select::onprem_directory(config, dir)?;
    let p = select::partition(config, i, partition)?;
    for c in &controllers {
        valid_fqdn(c)?;
    }
    let part = &mut config.onpremises_directories[i].partitions[p];
    part.preferred_controllers = controllers.clone();
    let dn = part.distinguished_name.clone().unwrap_or_default();
    Ok(if controllers.is_empty() {
        format!("cleared the preferred domain controllers of {dn}")
    } else {
        format!(
            "set the preferred domain controllers of {dn} to {}",
            controllers.join(", ")
        )
    })
}

fn connector_mut<'a>(
    config: &'a mut Configuration,
    dir: &str,
) -> Result<(&'a mut ConnectorExtension, String), EditError> {
    match select::directory(config, dir)? {
        DirectoryRef::Azure => Ok((&mut config.azure_directory.connector, "Entra ID".to_owned())),
        DirectoryRef::OnPremises(i) => {
            let d = &mut config.onpremises_directories[i];
            Ok((&mut d.connector, d.name.clone()))
        }
    }
}

/// A run profile that a connector does not have, with the nearest of its profiles' names.
fn profile_not_found(
    c: &ConnectorExtension,
    profile: &str,
    name: &str,
    otherwise: &str,
) -> EditError {
    let names = c.run_profiles.iter().map(|p| p.name.as_str());
    let hint = match syncpolicy_model::suggest::hint(profile, names, "run profiles") {
        Some(h) => format!("{h}\nhint: {otherwise}"),
        None => otherwise.to_owned(),
    };
    EditError::not_found(format!("run profile {profile:?} of {name}"), hint)
}

fn clean_list(items: Vec<String>, what: &str) -> Result<Vec<String>, EditError> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        let t = item.trim().to_owned();
        // Object classes and attributes follow the same schema name syntax.
        if let Err(why) = syncpolicy_model::values::check_attribute_name(&t) {
            return Err(EditError::invalid(
                format!("{t:?} is not a valid {what} name: {why}"),
                format!("{what} names start with a letter and have letters, digits and '-'"),
            ));
        }
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&t)) {
            out.push(t);
        }
    }
    Ok(out)
}

/// Sets the object types a connector imports.
pub fn set_object_types(config: &mut Configuration, dir: &str, types: Vec<String>) -> EditResult {
    let types = clean_list(types, "object type")?;
    let (c, name) = connector_mut(config, dir)?;
    let summary = format!("set the object types of {name} to {}", types.join(", "));
    c.object_types = Some(types);
    Ok(summary)
}

/// Sets the attributes a connector imports.
pub fn set_attribute_inclusions(
    config: &mut Configuration,
    dir: &str,
    attributes: Vec<String>,
) -> EditResult {
    let attributes = clean_list(attributes, "attribute")?;
    let (c, name) = connector_mut(config, dir)?;
    let summary = format!(
        "set the attribute inclusion list of {name} ({})",
        syncpolicy_model::words::count(attributes.len(), "attribute", "attributes")
    );
    c.attribute_inclusions = Some(attributes);
    Ok(summary)
}

/// Adds a run profile (with no steps yet) to a connector.
pub fn add_run_profile(config: &mut Configuration, dir: &str, profile: &str) -> EditResult {
    let (c, name) = connector_mut(config, dir)?;
    if profile.trim().is_empty() {
        return Err(EditError::invalid(
            "the run profile needs a name",
            "give --profile NAME",
        ));
    }
    if c.run_profiles
        .iter()
        .any(|p| p.name.eq_ignore_ascii_case(profile))
    {
        return Err(EditError::refused(
            format!("{name} already has a run profile named {profile:?}"),
            "add steps to it with `syncpolicy runprofile add-step`",
        ));
    }
    c.run_profiles.push(RunProfile {
        name: profile.trim().to_owned(),
        ..RunProfile::default()
    });
    Ok(format!("added run profile {profile:?} to {name}"))
}

/// Removes a run profile of a connector.
pub fn remove_run_profile(config: &mut Configuration, dir: &str, profile: &str) -> EditResult {
    let (c, name) = connector_mut(config, dir)?;
    let before = c.run_profiles.len();
    c.run_profiles
        .retain(|p| !p.name.eq_ignore_ascii_case(profile));
    if c.run_profiles.len() == before {
        return Err(profile_not_found(
            c,
            profile,
            &name,
            "list them with `syncpolicy show`",
        ));
    }
    Ok(format!("removed run profile {profile:?} from {name}"))
}

/// Appends a step to a run profile.
pub fn add_run_step(
    config: &mut Configuration,
    dir: &str,
    profile: &str,
    step_type: &str,
    partition: &str,
) -> EditResult {
    if !RUN_STEP_TYPES.contains(&step_type) {
        return Err(EditError::invalid(
            format!("{step_type:?} is not a run step type"),
            match syncpolicy_model::suggest::hint(
                step_type,
                RUN_STEP_TYPES.iter().copied(),
                "run step types",
            ) {
                Some(h) => format!("{h} (the types are {})", RUN_STEP_TYPES.join(", ")),
                None => format!("use one of {}", RUN_STEP_TYPES.join(", ")),
            },
        ));
    }
    let (c, name) = connector_mut(config, dir)?;
    let Some(at) = c
        .run_profiles
        .iter()
        .position(|p| p.name.eq_ignore_ascii_case(profile))
    else {
        return Err(profile_not_found(
            c,
            profile,
            &name,
            "add it first with `syncpolicy runprofile add`",
        ));
    };
    let p = &mut c.run_profiles[at];
    p.steps.push(RunStep {
        step_type: step_type.to_owned(),
        partition: partition.to_owned(),
        ..RunStep::default()
    });
    Ok(format!(
        "added {} step on {partition} to run profile {profile:?} of {name}",
        syncpolicy_model::words::with_article(step_type)
    ))
}

/// Removes step `index` (1-based) of a run profile.
pub fn remove_run_step(
    config: &mut Configuration,
    dir: &str,
    profile: &str,
    index: usize,
) -> EditResult {
    let (c, name) = connector_mut(config, dir)?;
    let Some(at) = c
        .run_profiles
        .iter()
        .position(|p| p.name.eq_ignore_ascii_case(profile))
    else {
        return Err(profile_not_found(
            c,
            profile,
            &name,
            "list them with `syncpolicy show`",
        ));
    };
    let p = &mut c.run_profiles[at];
    if index == 0 || index > p.steps.len() {
        return Err(EditError::not_found(
            format!("step {index} of run profile {profile:?}"),
            format!(
                "the profile has {}, numbered from 1",
                syncpolicy_model::words::count(p.steps.len(), "step", "steps")
            ),
        ));
    }
    let step = p.steps.remove(index - 1);
    Ok(format!(
        "removed step {index} ({}) from run profile {profile:?} of {name}",
        step.step_type
    ))
}

/// Checks a TimeSpan text `[d.]hh:mm:ss`.
pub fn check_timespan(text: &str) -> Result<(), EditError> {
    let (days, rest) = match text.split_once('.') {
        Some((d, r)) if r.contains(':') => (Some(d), r),
        _ => (None, text),
    };
    let parts: Vec<&str> = rest.split(':').collect();
    let ok = days.is_none_or(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
        && parts.len() == 3
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_digit()))
        && parts[1] < "60"
        && parts[2] < "60"
        && parts[0] < "24";
    if ok {
        Ok(())
    } else {
        Err(EditError::invalid(
            format!("{text:?} is not an interval"),
            "write it as hh:mm:ss or d.hh:mm:ss, e.g. 00:30:00",
        ))
    }
}

/// Sets the sync cycle interval and/or whether the scheduler is enabled.
pub fn set_scheduler(
    config: &mut Configuration,
    interval: Option<&str>,
    enabled: Option<bool>,
) -> EditResult {
    if interval.is_none() && enabled.is_none() {
        return Err(EditError::invalid(
            "nothing to change",
            "give --interval and/or --enable/--disable",
        ));
    }
    if let Some(i) = interval {
        check_timespan(i)?;
        if i < "00:30:00" && !i.contains('.') {
            return Err(EditError::refused(
                format!("{i} is shorter than the shortest allowed sync cycle (30 minutes)"),
                "use 00:30:00 or longer",
            ));
        }
    }
    let s = config
        .extension
        .scheduler
        .get_or_insert_with(Scheduler::default);
    let mut parts = Vec::new();
    if let Some(i) = interval {
        s.sync_interval = Some(i.to_owned());
        parts.push(format!("sync interval {i}"));
    }
    if let Some(e) = enabled {
        s.enabled = Some(e);
        parts.push(format!(
            "scheduler {}",
            if e { "enabled" } else { "disabled" }
        ));
    }
    Ok(format!("set {}", parts.join(", ")))
}

/// Turns staging mode on or off.
pub fn set_staging(config: &mut Configuration, on: bool) -> EditResult {
    if config.extension.staging_mode == Some(on) {
        // Already so: the store reports the change as unchanged (exit 0).
        return Ok(format!(
            "staging mode is already {}",
            if on { "on" } else { "off" }
        ));
    }
    config.extension.staging_mode = Some(on);
    Ok(format!("staging mode {}", if on { "on" } else { "off" }))
}
