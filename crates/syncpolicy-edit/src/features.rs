//! Sign-in, optional features and identity mapping.

use crate::error::{EditError, EditResult};
use crate::select;
use syncpolicy_model::config::{Configuration, DirectoryExtensionAttribute};
use syncpolicy_model::identity::check_dn;
use syncpolicy_model::signin::{SignIn, SignInMethod};
use syncpolicy_model::values;

fn on_off(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

/// Sets the sign-in method; password hash sync and seamless SSO keep their state unless given.
pub fn set_sign_in(
    config: &mut Configuration,
    method: Option<SignInMethod>,
    password_hash_sync: Option<bool>,
    seamless_sso: Option<bool>,
) -> EditResult {
    let current = &config.sign_in;
    let method = method
        .or_else(|| current.method())
        .unwrap_or(SignInMethod::NotConfigured);
    let phs = password_hash_sync.unwrap_or_else(|| current.password_hash_sync())
        || method == SignInMethod::PasswordHashSync;
    let sso = seamless_sso.unwrap_or_else(|| current.seamless_sso());
    if sso && method.is_federated() {
        return Err(EditError::refused(
            "seamless single sign-on does not apply to federated sign-in",
            "turn it off (--sso off) or choose password hash sync or pass-through authentication",
        ));
    }
    let mut next = SignIn::new(method.clone(), phs, sso);
    // Keep entries this version does not know.
    next.tokens
        .extend(current.unknown_tokens().iter().map(|s| (*s).to_owned()));
    if next == config.sign_in {
        // Already so: the store reports the change as unchanged (exit 0).
        return Ok("sign-in is already set that way".to_owned());
    }
    config.sign_in = next;
    Ok(format!(
        "sign-in set to {} (password hash sync {}, seamless SSO {})",
        method.label(),
        on_off(phs),
        on_off(sso)
    ))
}

/// An optional feature that is a plain switch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Switch {
    PasswordWriteback,
    ExchangeHybrid,
    MailPublicFolders,
}

/// Turns a switch feature on or off.
pub fn set_switch(config: &mut Configuration, switch: Switch, on: bool) -> EditResult {
    let (slot, label) = match switch {
        Switch::PasswordWriteback => (&mut config.password_writeback, "password writeback"),
        Switch::ExchangeHybrid => (
            &mut config.exchange.hybrid_deployment,
            "Exchange hybrid deployment",
        ),
        Switch::MailPublicFolders => (
            &mut config.exchange.mail_public_folders,
            "mail-enabled public folders",
        ),
    };
    if *slot == on {
        // Already so: the store reports the change as unchanged (exit 0).
        return Ok(format!("{label} is already {}", on_off(on)));
    }
    *slot = on;
    Ok(format!("{label} {}", on_off(on)))
}

/// A per-directory feature set by a distinguished name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectoryDnFeature {
    /// Container for written-back groups.
    GroupWriteback,
    /// Container for written-back devices.
    DeviceWriteback,
    /// Pilot group whose members alone are synchronized.
    GroupFiltering,
}

impl DirectoryDnFeature {
    fn label(self) -> &'static str {
        match self {
            DirectoryDnFeature::GroupWriteback => "group writeback",
            DirectoryDnFeature::DeviceWriteback => "device writeback",
            DirectoryDnFeature::GroupFiltering => "group filtering",
        }
    }
}

/// Turns a per-directory feature on (with its DN) or off (`None`).
pub fn set_directory_dn(
    config: &mut Configuration,
    feature: DirectoryDnFeature,
    dir: &str,
    dn: Option<&str>,
) -> EditResult {
    if let Some(dn) = dn {
        check_dn(dn).map_err(|why| {
            EditError::invalid(
                format!("{dn:?} is not a valid distinguished name: {why}"),
                "write it as comma-separated attr=value parts, e.g. OU=Cloud Groups,DC=contoso,DC=com",
            )
        })?;
    }
    let i = select::onprem_directory(config, dir)?;
    let d = &mut config.onpremises_directories[i];
    let slot = match feature {
        DirectoryDnFeature::GroupWriteback => &mut d.group_writeback_dn,
        DirectoryDnFeature::DeviceWriteback => &mut d.device_writeback_dn,
        DirectoryDnFeature::GroupFiltering => &mut d.group_filtering_dn,
    };
    let new = dn.unwrap_or("").to_owned();
    if *slot == new {
        // Already so: the store reports the change as unchanged (exit 0).
        return Ok(format!(
            "{} of {} is already set that way",
            feature.label(),
            d.name
        ));
    }
    *slot = new;
    Ok(match dn {
        Some(dn) => format!("{} on for {} ({dn})", feature.label(), d.name),
        None => format!("{} off for {}", feature.label(), d.name),
    })
}

/// Checks an attribute name a change gives (see [`values::check_attribute_name`]).
fn valid_attribute(what: &str, name: &str) -> Result<(), EditError> {
    values::check_attribute_name(name).map_err(|why| {
        EditError::invalid(
            format!("{name:?} is not a valid {what}: {why}"),
            "give the attribute's schema name, e.g. mS-DS-ConsistencyGuid or employeeID",
        )
    })
}

/// Reads the name of a directory extension as a person gives it: bare (`department2`, with
/// `object_class` or `user`), or as `show` prints it (`user.department2`). Returns
/// `(object class, attribute)`.
pub fn extension_name(
    name: &str,
    object_class: Option<&str>,
) -> Result<(String, String), EditError> {
    let name = name.trim();
    let (class, attribute) = match name.split_once('.') {
        Some((class, attribute)) => {
            if let Some(given) = object_class {
                if !given.trim().eq_ignore_ascii_case(class.trim()) {
                    return Err(EditError::invalid(
                        format!("{name:?} names object class {class:?}, but --object-class says {given:?}"),
                        "give the name as OBJECTCLASS.ATTRIBUTE or give --object-class, not both differently",
                    ));
                }
            }
            (class.trim(), attribute.trim())
        }
        None => (object_class.map(str::trim).unwrap_or("user"), name),
    };
    if class.is_empty() || attribute.is_empty() {
        return Err(EditError::invalid(
            format!("{name:?} is not a directory extension name"),
            "give the attribute (e.g. department2) or OBJECTCLASS.ATTRIBUTE as `syncpolicy show` prints it (e.g. user.department2)",
        ));
    }
    Ok((class.to_owned(), attribute.to_owned()))
}

fn same_extension(e: &DirectoryExtensionAttribute, attribute: &str, object_class: &str) -> bool {
    e.attribute
        .as_deref()
        .is_some_and(|a| a.eq_ignore_ascii_case(attribute))
        && e.object_class
            .as_deref()
            .is_some_and(|o| o.eq_ignore_ascii_case(object_class))
}

/// Adds a directory extension attribute. `attribute` is bare or `OBJECTCLASS.ATTRIBUTE` (see
/// [`extension_name`]); the object class and data type must be ones the wizard offers
/// ([`values::check_extension`]).
pub fn add_directory_extension(
    config: &mut Configuration,
    attribute: &str,
    object_class: Option<&str>,
    data_type: &str,
    multi_valued: bool,
) -> EditResult {
    let (object_class, attribute) = extension_name(attribute, object_class)?;
    valid_attribute("attribute name", &attribute)?;
    values::check_extension(&object_class, data_type, multi_valued)
        .map_err(|(message, hint)| EditError::invalid(message, hint))?;
    // Spelled as the product spells them.
    let object_class = values::EXTENSION_OBJECT_CLASSES
        .iter()
        .find(|c| c.eq_ignore_ascii_case(&object_class))
        .map_or(object_class.clone(), |c| (*c).to_owned());
    let data_type = values::EXTENSION_DATA_TYPES
        .iter()
        .find(|t| t.eq_ignore_ascii_case(data_type.trim()))
        .map_or(data_type.to_owned(), |t| (*t).to_owned());
    let exts = &mut config.azure_directory.directory_extensions;
    if exts
        .iter()
        .any(|e| same_extension(e, &attribute, &object_class))
    {
        // Already so: the store reports the change as unchanged (exit 0).
        return Ok(format!(
            "{object_class}.{attribute} is already synchronized"
        ));
    }
    exts.push(DirectoryExtensionAttribute {
        attribute: Some(attribute.clone()),
        object_class: Some(object_class.clone()),
        data_type: Some(data_type.clone()),
        multi_valued,
        ..DirectoryExtensionAttribute::default()
    });
    Ok(format!(
        "added directory extension {object_class}.{attribute} ({data_type}{})",
        if multi_valued { ", multi-valued" } else { "" }
    ))
}

/// Removes a directory extension attribute, named bare or as `OBJECTCLASS.ATTRIBUTE`.
pub fn remove_directory_extension(
    config: &mut Configuration,
    attribute: &str,
    object_class: Option<&str>,
) -> EditResult {
    let (object_class, attribute) = extension_name(attribute, object_class)?;
    let exts = &mut config.azure_directory.directory_extensions;
    let before = exts.len();
    exts.retain(|e| !same_extension(e, &attribute, &object_class));
    if exts.len() == before {
        return Err(EditError::not_found(
            format!("directory extension {object_class}.{attribute}"),
            "list them with `syncpolicy show`",
        ));
    }
    Ok(format!(
        "removed directory extension {object_class}.{attribute}"
    ))
}

/// Sets Entra ID app filtering (the applications whose attributes are synchronized; empty: all)
/// and the attributes excluded from synchronization.
pub fn set_app_filter(
    config: &mut Configuration,
    apps: Option<Vec<String>>,
    excluded: Option<Vec<String>>,
) -> EditResult {
    if apps.is_none() && excluded.is_none() {
        return Err(EditError::invalid(
            "nothing to change",
            "give --apps and/or --exclude-attributes",
        ));
    }
    let apps = match apps {
        Some(list) => Some(
            list.iter()
                .map(|a| {
                    values::application(a).map(str::to_owned).ok_or_else(|| {
                        EditError::invalid(
                            format!("{a:?} is not an application of app filtering"),
                            format!(
                                "use the names the wizard offers: {}",
                                values::application_names()
                            ),
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
        None => None,
    };
    if let Some(x) = &excluded {
        for a in x {
            valid_attribute("attribute name", a)?;
        }
    }
    let f = &mut config.azure_directory.exported_attributes;
    let mut parts = Vec::new();
    if let Some(a) = apps {
        parts.push(if a.is_empty() {
            "app filtering off".to_owned()
        } else {
            format!("apps {}", a.join(", "))
        });
        f.application_restrictions = a;
    }
    if let Some(x) = excluded {
        parts.push(if x.is_empty() {
            "no excluded attributes".to_owned()
        } else {
            format!("excluded attributes {}", x.join(", "))
        });
        f.excluded_attributes = x;
    }
    Ok(format!(
        "set app and attribute filtering: {}",
        parts.join("; ")
    ))
}

/// Sets the accidental-delete threshold (`None`: off).
pub fn set_deletion_threshold(config: &mut Configuration, threshold: Option<u32>) -> EditResult {
    let new = threshold.map(|t| t.to_string()).unwrap_or_default();
    if config.azure_directory.export_deletion_limit == new {
        // Already so: the store reports the change as unchanged (exit 0).
        return Ok("the deletion threshold is already set that way".to_owned());
    }
    config.azure_directory.export_deletion_limit = new;
    Ok(match threshold {
        Some(t) => format!("deletion threshold set to {t}"),
        None => "deletion threshold off".to_owned(),
    })
}

/// Sets identity mapping fields that are given.
pub fn set_identity(
    config: &mut Configuration,
    source_anchor: Option<&str>,
    upn: Option<&str>,
    matching: Option<&str>,
    matching_attribute: Option<&str>,
) -> EditResult {
    if let Some(a) = source_anchor {
        valid_attribute("source anchor attribute", a)?;
    }
    if let Some(u) = upn {
        valid_attribute("user principal name attribute", u)?;
    }
    if let Some(a) = matching_attribute.filter(|a| !a.is_empty()) {
        valid_attribute("matching attribute", a)?;
    }
    let matching = match matching {
        Some(p) => Some(
            values::matching_option(p)
                .ok_or_else(|| {
                    EditError::invalid(
                        format!("{p:?} is not a user-matching option"),
                        format!("use one of {}", values::matching_values()),
                    )
                })?
                .value,
        ),
        None => None,
    };
    let needs_attribute = matching
        .or(config.identity_mapping.user_matching_policy.as_deref())
        .and_then(values::matching_option)
        .is_some_and(|o| o.needs_attribute);
    let attribute_after =
        matching_attribute.unwrap_or(config.identity_mapping.user_matching_attribute.as_str());
    if needs_attribute && attribute_after.trim().is_empty() {
        return Err(EditError::invalid(
            "matching on a specific attribute needs the attribute",
            "give --matching-attribute ATTRIBUTE as well",
        ));
    }
    let m = &mut config.identity_mapping;
    let mut parts = Vec::new();
    if let Some(a) = source_anchor {
        m.source_anchor_attribute = Some(a.to_owned());
        parts.push(format!("source anchor {a}"));
    }
    if let Some(u) = upn {
        m.user_principal_name_attribute = Some(u.to_owned());
        parts.push(format!("user principal name from {u}"));
    }
    if let Some(p) = matching {
        m.user_matching_policy = Some(p.to_owned());
        parts.push(format!("user matching {p}"));
    }
    if let Some(a) = matching_attribute {
        m.user_matching_attribute = a.to_owned();
        parts.push(format!("matching attribute {a}"));
    }
    if parts.is_empty() {
        return Err(EditError::invalid(
            "nothing to change",
            "give --source-anchor, --upn, --matching or --matching-attribute",
        ));
    }
    Ok(format!("identity mapping: {}", parts.join(", ")))
}
