//! The comparison: pairs directories, walks every section of the two configurations and
//! collects [`Change`]s through [`Out`], which knows how to report a field, a set and an
//! identifier.

use crate::render;
use crate::rules;
use crate::{
    Area, Change, ChangeClass, ChangeKind, Diff, DiffOptions, MapError, Pairing, PairingHow,
    ValueType,
};
use std::collections::{BTreeMap, HashMap};
use syncpolicy_json::{keys, paths};
use syncpolicy_model::config::{Configuration, DirectoryRef, OnPremisesDirectory, Partition};
use syncpolicy_model::extension::ConnectorExtension;
use syncpolicy_model::identity::{is_guid, normalize_dn, normalize_guid, same_guid, Keyed};
use syncpolicy_model::preserved::Preserved;

/// The item changes are reported on: its area, class and readable label.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub(crate) area: Area,
    pub(crate) class: ChangeClass,
    pub(crate) label: String,
    pub(crate) standard: bool,
    /// JSON path of the item; fields append `.key`.
    pub(crate) json: Option<String>,
}

impl Item {
    pub(crate) fn new(area: Area, class: ChangeClass, label: impl Into<String>) -> Self {
        Item {
            area,
            class,
            label: label.into(),
            standard: false,
            json: None,
        }
    }

    pub(crate) fn json(mut self, path: impl Into<String>) -> Self {
        self.json = Some(path.into());
        self
    }

    fn json_of(&self, key: &str) -> Option<String> {
        self.json.as_ref().map(|j| {
            if key.is_empty() {
                j.clone()
            } else {
                format!("{j}.{key}")
            }
        })
    }
}

/// Standard-rule renumbering and tag bumps, reported as one product entry at the end.
#[derive(Debug, Default)]
pub(crate) struct ProductGroup {
    pub(crate) renumbered: Vec<String>,
    pub(crate) bumped: Vec<String>,
    pub(crate) old_range: Option<(i32, i32)>,
    pub(crate) new_range: Option<(i32, i32)>,
}

fn widen(range: &mut Option<(i32, i32)>, v: i32) {
    *range = Some(match *range {
        Some((a, b)) => (a.min(v), b.max(v)),
        None => (v, v),
    });
}

impl ProductGroup {
    pub(crate) fn renumber(&mut self, line: String, old: i32, new: i32) {
        self.renumbered.push(line);
        widen(&mut self.old_range, old);
        widen(&mut self.new_range, new);
    }
}

/// Collects changes.
pub(crate) struct Out {
    pub(crate) changes: Vec<Change>,
    pub(crate) ids: Vec<Change>,
    pub(crate) show_ids: bool,
    pub(crate) product: ProductGroup,
}

/// `None` for an absent or empty text.
pub(crate) fn opt(v: &Option<String>) -> Option<String> {
    v.as_deref().filter(|s| !s.is_empty()).map(str::to_owned)
}

/// `None` for an empty text.
pub(crate) fn text(v: &str) -> Option<String> {
    (!v.is_empty()).then(|| v.to_owned())
}

impl Out {
    /// Records a change of an item or one of its fields.
    pub(crate) fn push(
        &mut self,
        kind: ChangeKind,
        it: &Item,
        field: Option<&str>,
        json: Option<String>,
        old: Option<String>,
        new: Option<String>,
    ) {
        self.changes.push(Change {
            path: match field {
                Some(f) => format!("{} / {f}", it.label),
                None => it.label.clone(),
            },
            json_path: json,
            area: it.area,
            kind,
            class: it.class,
            old,
            new,
            item: it.label.clone(),
            field: field.map(str::to_owned),
            standard_rule: it.standard,
            details: Vec::new(),
            value_type: ValueType::Text,
        });
    }

    /// Gives the change just recorded the type of its values in the model.
    pub(crate) fn typed(&mut self, value_type: ValueType) {
        if let Some(last) = self.changes.last_mut() {
            last.value_type = value_type;
        }
    }

    /// A field whose values differ (`None` on a side: not set).
    pub(crate) fn modified(
        &mut self,
        it: &Item,
        field: &str,
        key: &str,
        old: Option<String>,
        new: Option<String>,
    ) {
        let json = it.json_of(key);
        self.push(ChangeKind::Modified, it, Some(field), json, old, new);
    }

    /// Compares two optional texts (absent and empty are the same).
    pub(crate) fn opt_field(
        &mut self,
        it: &Item,
        field: &str,
        key: &str,
        old: &Option<String>,
        new: &Option<String>,
    ) {
        if opt(old) != opt(new) {
            self.modified(it, field, key, opt(old), opt(new));
        }
    }

    /// Compares two texts (empty: not set).
    pub(crate) fn str_field(&mut self, it: &Item, field: &str, key: &str, old: &str, new: &str) {
        if old != new {
            self.modified(it, field, key, text(old), text(new));
        }
    }

    /// Compares two flags.
    pub(crate) fn bool_field(&mut self, it: &Item, field: &str, key: &str, old: bool, new: bool) {
        if old != new {
            self.modified(it, field, key, Some(old.to_string()), Some(new.to_string()));
            self.typed(ValueType::Boolean);
        }
    }

    /// Compares two distinguished names (case and spacing ignored).
    pub(crate) fn dn_field(&mut self, it: &Item, field: &str, key: &str, old: &str, new: &str) {
        if normalize_dn(old) != normalize_dn(new) {
            self.modified(it, field, key, text(old), text(new));
        }
    }

    /// Compares two identifiers: a difference is recorded only under `--show-ids`.
    pub(crate) fn id_field(
        &mut self,
        it: &Item,
        field: &str,
        key: &str,
        old: Option<&str>,
        new: Option<&str>,
    ) {
        if !self.show_ids {
            return;
        }
        let o = old.map(normalize_guid).filter(|s| !s.is_empty());
        let n = new.map(normalize_guid).filter(|s| !s.is_empty());
        if o != n {
            self.ids.push(Change {
                path: format!("{} / {field}", it.label),
                json_path: it.json_of(key),
                area: it.area,
                kind: ChangeKind::Modified,
                class: ChangeClass::Metadata,
                old: old.map(str::to_owned),
                new: new.map(str::to_owned),
                item: it.label.clone(),
                field: Some(field.to_owned()),
                standard_rule: it.standard,
                details: Vec::new(),
                value_type: ValueType::Text,
            });
        }
    }

    /// Compares two lists as sets under `norm`; each added or removed member is one change
    /// of the field `what`, the member as its value.
    pub(crate) fn set_members(
        &mut self,
        it: &Item,
        what: &str,
        key: &str,
        old: &[String],
        new: &[String],
        norm: impl Fn(&str) -> String,
    ) {
        if old == new {
            return;
        }
        let o: BTreeMap<String, &String> = old.iter().map(|v| (norm(v), v)).collect();
        let n: BTreeMap<String, &String> = new.iter().map(|v| (norm(v), v)).collect();
        if o.len() == n.len() && o.keys().eq(n.keys()) {
            return;
        }
        for v in new {
            if !o.contains_key(&norm(v)) {
                let json = it.json_of(key);
                self.push(
                    ChangeKind::Added,
                    it,
                    Some(what),
                    json,
                    None,
                    Some(v.clone()),
                );
            }
        }
        for v in old {
            if !n.contains_key(&norm(v)) {
                let json = it.json_of(key);
                self.push(
                    ChangeKind::Removed,
                    it,
                    Some(what),
                    json,
                    Some(v.clone()),
                    None,
                );
            }
        }
    }

    /// Compares two lists as sets under `norm`, reported as one change of the whole list.
    pub(crate) fn set_field(
        &mut self,
        it: &Item,
        field: &str,
        key: &str,
        old: &[String],
        new: &[String],
        norm: impl Fn(&str) -> String,
    ) {
        if old == new {
            return;
        }
        let o: BTreeMap<String, &String> = old.iter().map(|v| (norm(v), v)).collect();
        let n: BTreeMap<String, &String> = new.iter().map(|v| (norm(v), v)).collect();
        if o.keys().eq(n.keys()) {
            return;
        }
        let json = it.json_of(key);
        let mut details: Vec<String> = n
            .iter()
            .filter(|(k, _)| !o.contains_key(*k))
            .map(|(_, v)| format!("+ {v}"))
            .collect();
        details.extend(
            o.iter()
                .filter(|(k, _)| !n.contains_key(*k))
                .map(|(_, v)| format!("- {v}")),
        );
        self.push(
            ChangeKind::Modified,
            it,
            Some(field),
            json,
            Some(render::list(old)),
            Some(render::list(new)),
        );
        if let Some(last) = self.changes.last_mut() {
            last.details = details;
        }
    }

    /// Compares the unknown fields of an object, by key.
    pub(crate) fn preserved(&mut self, it: &Item, old: &Preserved, new: &Preserved) {
        if old == new {
            return;
        }
        let o: BTreeMap<&str, &str> = old
            .0
            .iter()
            .map(|f| (f.key.as_str(), f.raw.as_str()))
            .collect();
        let n: BTreeMap<&str, &str> = new
            .0
            .iter()
            .map(|f| (f.key.as_str(), f.raw.as_str()))
            .collect();
        for (k, v) in &n {
            let field = format!("unknown field '{k}'");
            match o.get(k) {
                None => {
                    let json = it.json_of(k);
                    self.push(
                        ChangeKind::Added,
                        it,
                        Some(&field),
                        json,
                        None,
                        Some((*v).to_owned()),
                    );
                    self.typed(ValueType::Json);
                }
                Some(ov) if ov != v => {
                    self.modified(it, &field, k, Some((*ov).to_owned()), Some((*v).to_owned()));
                    self.typed(ValueType::Json);
                }
                Some(_) => {}
            }
        }
        for (k, v) in &o {
            if !n.contains_key(k) {
                let field = format!("unknown field '{k}'");
                let json = it.json_of(k);
                self.push(
                    ChangeKind::Removed,
                    it,
                    Some(&field),
                    json,
                    Some((*v).to_owned()),
                    None,
                );
                self.typed(ValueType::Json);
            }
        }
    }
}

fn lower(s: &str) -> String {
    s.to_lowercase()
}

fn dn(s: &str) -> String {
    normalize_dn(s)
}

/// Finds an on-premises directory by name (case-insensitive) or identifier.
fn find_directory(dirs: &[OnPremisesDirectory], what: &str) -> Option<usize> {
    let what = what.trim();
    dirs.iter()
        .position(|d| d.name.eq_ignore_ascii_case(what))
        .or_else(|| {
            dirs.iter().position(|d| {
                is_guid(what)
                    && !d.unique_identifier.is_empty()
                    && same_guid(&d.unique_identifier, what)
            })
        })
}

fn names(dirs: &[OnPremisesDirectory]) -> String {
    if dirs.is_empty() {
        return "(it has no on-premises directory)".to_owned();
    }
    dirs.iter()
        .map(|d| d.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Resolves `--map` entries to (old index, new index); each entry that names no directory, or
/// a directory already mapped, is an error.
fn resolve_entries(
    old: &Configuration,
    new: &Configuration,
    map: &[(String, String)],
) -> (Vec<(usize, usize)>, Vec<MapError>) {
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut errors = Vec::new();
    for (a, b) in map {
        let entry = format!("{a}={b}");
        let o = find_directory(&old.onpremises_directories, a);
        let n = find_directory(&new.onpremises_directories, b);
        match (o, n) {
            (None, _) => errors.push(MapError {
                entry,
                problem: format!("the old configuration has no on-premises directory named {a:?}"),
                hint: format!(
                    "use a directory name or identifier of the old configuration: {}",
                    names(&old.onpremises_directories)
                ),
            }),
            (_, None) => errors.push(MapError {
                entry,
                problem: format!("the new configuration has no on-premises directory named {b:?}"),
                hint: format!(
                    "use a directory name or identifier of the new configuration: {}",
                    names(&new.onpremises_directories)
                ),
            }),
            (Some(o), Some(n)) => {
                if pairs.iter().any(|&(po, pn)| po == o || pn == n) {
                    errors.push(MapError {
                        entry,
                        problem: "a directory of this entry is already mapped by an earlier --map"
                            .to_owned(),
                        hint: "map each directory once".to_owned(),
                    });
                } else {
                    pairs.push((o, n));
                }
            }
        }
    }
    (pairs, errors)
}

/// Resolves `--map` entries; the first problem is the error.
pub(crate) fn resolve_map(
    old: &Configuration,
    new: &Configuration,
    map: &[(String, String)],
) -> Result<Vec<(usize, usize)>, MapError> {
    let (pairs, mut errors) = resolve_entries(old, new, map);
    if errors.is_empty() {
        Ok(pairs)
    } else {
        Err(errors.remove(0))
    }
}

/// A test of whether two directories are the same.
type SameDirectory = dyn Fn(&OnPremisesDirectory, &OnPremisesDirectory) -> bool;

/// Pairs the on-premises directories: `--map` first, then identifier, name and forest, name,
/// and finally the only unpaired directory on each side (proposed).
fn pair_directories(
    old: &Configuration,
    new: &Configuration,
    options: &DiffOptions,
) -> (Vec<Option<(usize, PairingHow)>>, Vec<String>) {
    let od = &old.onpremises_directories;
    let nd = &new.onpremises_directories;
    let mut of_new: Vec<Option<(usize, PairingHow)>> = vec![None; nd.len()];
    let mut old_used = vec![false; od.len()];
    let (mapped, errors) = resolve_entries(old, new, &options.directory_map);
    for (o, n) in mapped {
        of_new[n] = Some((o, PairingHow::Mapped));
        old_used[o] = true;
    }
    let passes: [(PairingHow, &SameDirectory); 3] = [
        (PairingHow::Identifier, &|a, b| {
            !a.unique_identifier.trim().is_empty()
                && normalize_guid(&a.unique_identifier) == normalize_guid(&b.unique_identifier)
        }),
        (PairingHow::NameAndForest, &|a, b| {
            a.name.to_lowercase() == b.name.to_lowercase()
                && a.forest.as_deref().unwrap_or("").to_lowercase()
                    == b.forest.as_deref().unwrap_or("").to_lowercase()
        }),
        (PairingHow::Name, &|a, b| {
            a.name.to_lowercase() == b.name.to_lowercase()
        }),
    ];
    for (how, same) in passes {
        for (n, slot) in of_new.iter_mut().enumerate() {
            if slot.is_some() {
                continue;
            }
            if let Some(o) = (0..od.len()).find(|&o| !old_used[o] && same(&od[o], &nd[n])) {
                old_used[o] = true;
                *slot = Some((o, how));
            }
        }
    }
    let free_old: Vec<usize> = (0..od.len()).filter(|&o| !old_used[o]).collect();
    let free_new: Vec<usize> = (0..nd.len()).filter(|&n| of_new[n].is_none()).collect();
    if let ([o], [n]) = (free_old.as_slice(), free_new.as_slice()) {
        of_new[*n] = Some((*o, PairingHow::Proposed));
    }
    (of_new, errors.into_iter().map(|e| e.entry).collect())
}

/// Runs the comparison.
pub(crate) fn run(old: &Configuration, new: &Configuration, options: &DiffOptions) -> Diff {
    let mut out = Out {
        changes: Vec::new(),
        ids: Vec::new(),
        show_ids: options.show_ids,
        product: ProductGroup::default(),
    };
    metadata(&mut out, old, new);
    sign_in(&mut out, old, new);
    identity_and_features(&mut out, old, new);
    metaverse(&mut out, old, new);
    entra(&mut out, old, new);

    let (of_new, unresolved_maps) = pair_directories(old, new, options);
    let mut pairings = Vec::new();
    let mut old_paired = vec![false; old.onpremises_directories.len()];
    for (n, slot) in of_new.iter().enumerate() {
        let nd = &new.onpremises_directories[n];
        match *slot {
            Some((o, how)) => {
                old_paired[o] = true;
                let od = &old.onpremises_directories[o];
                pairings.push(Pairing {
                    old: od.name.clone(),
                    new: nd.name.clone(),
                    old_identifier: od.unique_identifier.clone(),
                    new_identifier: nd.unique_identifier.clone(),
                    how,
                });
                directory(&mut out, old, o, new, n);
            }
            None => directory_added(&mut out, new, n),
        }
    }
    for (o, paired) in old_paired.iter().enumerate() {
        if !paired {
            directory_removed(&mut out, old, o);
        }
    }
    server(&mut out, old, new, &of_new);
    out.preserved(
        &Item::new(Area::Other, ChangeClass::Configuration, "settings file"),
        &old.preserved,
        &new.preserved,
    );
    rules::finish_product_group(&mut out);

    let mut changes = out.changes;
    changes.sort_by_key(|c| c.area);
    let mut identifiers = out.ids;
    identifiers.sort_by_key(|c| c.area);
    Diff {
        changes,
        pairings,
        identifiers,
        hidden: Default::default(),
        unresolved_maps,
    }
}

fn metadata(out: &mut Out, old: &Configuration, new: &Configuration) {
    let (o, n) = (&old.policy_metadata, &new.policy_metadata);
    if o != n {
        let pm = keys::POLICY_METADATA;
        let it =
            Item::new(Area::Metadata, ChangeClass::Metadata, "policy metadata").json(keys::TOP[0]);
        out.str_field(&it, "type", pm[0], &o.policy_type, &n.policy_type);
        out.opt_field(&it, "author", pm[1], &o.author, &n.author);
        out.opt_field(&it, "time created", pm[2], &o.time_created, &n.time_created);
        out.opt_field(
            &it,
            "product version",
            pm[3],
            &o.product_version,
            &n.product_version,
        );
        out.opt_field(
            &it,
            "schema version",
            pm[4],
            &o.policy_schema_version,
            &n.policy_schema_version,
        );
        out.preserved(&it, &o.preserved, &n.preserved);
    }
    let (o, n) = (&old.deployment_metadata, &new.deployment_metadata);
    if o != n {
        let dm = keys::DEPLOYMENT_METADATA;
        let it = Item::new(Area::Metadata, ChangeClass::Metadata, "deployment metadata")
            .json(keys::TOP[1]);
        out.opt_field(&it, "host name", dm[0], &o.host_name, &n.host_name);
        out.str_field(
            &it,
            "service account",
            dm[1],
            &o.service_account,
            &n.service_account,
        );
        out.str_field(
            &it,
            "service account type",
            dm[2],
            &o.service_account_type,
            &n.service_account_type,
        );
        out.opt_field(
            &it,
            "database type",
            dm[3],
            &o.database_type,
            &n.database_type,
        );
        out.str_field(
            &it,
            "database server",
            dm[4],
            &o.database_server,
            &n.database_server,
        );
        out.str_field(
            &it,
            "database instance",
            dm[5],
            &o.database_instance,
            &n.database_instance,
        );
        out.str_field(
            &it,
            "database name",
            dm[6],
            &o.database_name,
            &n.database_name,
        );
        out.str_field(
            &it,
            "auto-upgrade state",
            dm[7],
            &o.auto_upgrade_state,
            &n.auto_upgrade_state,
        );
        let ids = |v: &Option<Vec<String>>| v.as_ref().map(|l| l.join(", "));
        out.id_field(
            &it,
            "connector identifiers",
            dm[8],
            ids(&o.connector_ids).as_deref(),
            ids(&n.connector_ids).as_deref(),
        );
        out.preserved(&it, &o.preserved, &n.preserved);
    }
    let (o, n) = (&old.extension, &new.extension);
    let digest = |d: &Option<syncpolicy_model::extension::RecordedDigest>| {
        d.as_ref().map(|d| format!("{}:{}", d.algorithm, d.content))
    };
    let it = Item::new(Area::Metadata, ChangeClass::Metadata, "extension").json(keys::EXTENSION);
    if digest(&o.recorded_digest) != digest(&n.recorded_digest) {
        out.modified(
            &it,
            "digest",
            keys::EXT[keys::EXT.len() - 1],
            digest(&o.recorded_digest),
            digest(&n.recorded_digest),
        );
    }
    if o.accepted_findings != n.accepted_findings {
        let list = |a: &[syncpolicy_model::extension::AcceptedFinding]| {
            (!a.is_empty()).then(|| {
                a.iter()
                    .map(|f| match &f.rule {
                        Some(rule) => format!("{} ({rule}): {}", f.code, f.reason),
                        None => format!("{}: {}", f.code, f.reason),
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            })
        };
        out.modified(
            &it,
            "accepted findings",
            keys::EXT[8],
            list(&o.accepted_findings),
            list(&n.accepted_findings),
        );
    }
    if o.format_version != n.format_version {
        out.modified(
            &it,
            "format version",
            keys::EXT[0],
            o.format_version.map(|v| v.to_string()),
            n.format_version.map(|v| v.to_string()),
        );
        out.typed(ValueType::Number);
    }
    if old.missing_sections != new.missing_sections {
        let show = |c: &Configuration| {
            let v: Vec<String> = c
                .missing_sections
                .iter()
                .map(|s| format!("{s:?}"))
                .collect();
            render::list(&v)
        };
        let it = Item::new(Area::Metadata, ChangeClass::Configuration, "settings file");
        out.modified(
            &it,
            "sections missing (Microsoft's import requires them)",
            "",
            Some(show(old)),
            Some(show(new)),
        );
    }
}

fn sign_in(out: &mut Out, old: &Configuration, new: &Configuration) {
    let (o, n) = (&old.sign_in, &new.sign_in);
    if o == n {
        return;
    }
    let it = Item::new(Area::SignIn, ChangeClass::Configuration, "sign-in").json(keys::TOP[2]);
    let method = |s: &syncpolicy_model::signin::SignIn| s.method().map(|m| m.label().to_owned());
    if method(o) != method(n) {
        out.modified(&it, "method", "", method(o), method(n));
    }
    out.bool_field(
        &it,
        "password hash sync",
        "",
        o.password_hash_sync(),
        n.password_hash_sync(),
    );
    out.bool_field(
        &it,
        "seamless single sign-on",
        "",
        o.seamless_sso(),
        n.seamless_sso(),
    );
    let unknown = |s: &syncpolicy_model::signin::SignIn| -> Vec<String> {
        s.unknown_tokens().iter().map(|t| (*t).to_owned()).collect()
    };
    out.set_members(
        &it,
        "unrecognized entry",
        "",
        &unknown(o),
        &unknown(n),
        lower,
    );
}

fn identity_and_features(out: &mut Out, old: &Configuration, new: &Configuration) {
    let (o, n) = (&old.identity_mapping, &new.identity_mapping);
    if o != n {
        let k = keys::IDENTITY_MAPPING;
        let it = Item::new(
            Area::IdentityMapping,
            ChangeClass::Configuration,
            "identity mapping",
        )
        .json(keys::TOP[4]);
        out.opt_field(
            &it,
            "source anchor",
            k[0],
            &o.source_anchor_attribute,
            &n.source_anchor_attribute,
        );
        out.opt_field(
            &it,
            "user principal name",
            k[1],
            &o.user_principal_name_attribute,
            &n.user_principal_name_attribute,
        );
        out.opt_field(
            &it,
            "user matching",
            k[2],
            &o.user_matching_policy,
            &n.user_matching_policy,
        );
        out.str_field(
            &it,
            "user matching attribute",
            k[3],
            &o.user_matching_attribute,
            &n.user_matching_attribute,
        );
        out.preserved(&it, &o.preserved, &n.preserved);
    }
    let it = Item::new(Area::Features, ChangeClass::Configuration, "features");
    if old.password_writeback != new.password_writeback {
        let it = it.clone().json(keys::TOP[3]);
        out.bool_field(
            &it,
            "password writeback",
            "",
            old.password_writeback,
            new.password_writeback,
        );
    }
    let (o, n) = (&old.exchange, &new.exchange);
    if o != n {
        let it = it.json(keys::TOP[5]);
        out.bool_field(
            &it,
            "Exchange hybrid",
            keys::EXCHANGE[0],
            o.hybrid_deployment,
            n.hybrid_deployment,
        );
        out.bool_field(
            &it,
            "mail public folders",
            keys::EXCHANGE[1],
            o.mail_public_folders,
            n.mail_public_folders,
        );
        out.preserved(&it, &o.preserved, &n.preserved);
    }
}

/// Pairs two keyed lists: each new item with the next unused old item of the same key.
/// Returns, per new item, its old partner; and the old items without one.
pub(crate) fn pair_keyed<T: Keyed>(old: &[T], new: &[T]) -> (Vec<Option<usize>>, Vec<usize>) {
    let mut by_key: HashMap<T::Key, Vec<usize>> = HashMap::with_capacity(old.len());
    for (i, o) in old.iter().enumerate().rev() {
        by_key.entry(o.key()).or_default().push(i);
    }
    let of_new: Vec<Option<usize>> = new
        .iter()
        .map(|n| by_key.get_mut(&n.key()).and_then(Vec::pop))
        .collect();
    let mut used = vec![false; old.len()];
    for o in of_new.iter().flatten() {
        used[*o] = true;
    }
    let unpaired = (0..old.len()).filter(|&i| !used[i]).collect();
    (of_new, unpaired)
}

/// What a keyed list of items is called, where its items sit in the JSON and how a pair of
/// items is compared, so that one walk, [`keyed`], can report the changes of metaverse
/// attributes, metaverse object types, directory extensions and the partitions of a directory.
struct KeyedList<'a, T> {
    /// The area of the list's changes.
    area: Area,
    /// An item's readable label: `metaverse attribute 'cn'`.
    label: &'a dyn Fn(&T) -> String,
    /// The JSON path of the old item at a position (for a removed item).
    old_path: &'a dyn Fn(usize) -> String,
    /// The JSON path of the new item at a position (for an added or a compared item).
    new_path: &'a dyn Fn(usize) -> String,
    /// An item as readable text: the value of an added or a removed item.
    show: fn(&T) -> String,
    /// Reports how an old item and its new partner differ, on the new item.
    compare: &'a dyn Fn(&mut Out, &Item, &T, &T),
}

/// Reports how the keyed list described by `list` differs between `old` and `new`. Items are
/// paired by key (see [`pair_keyed`]); each new item, in order, is either reported added or
/// compared with its partner by `list.compare`; then each old item without a partner, in
/// order, is reported removed. Every change is of class configuration.
fn keyed<T: Keyed>(out: &mut Out, old: &[T], new: &[T], list: &KeyedList<'_, T>) {
    let (of_new, removed) = pair_keyed(old, new);
    for (j, n) in new.iter().enumerate() {
        let it = Item::new(list.area, ChangeClass::Configuration, (list.label)(n))
            .json((list.new_path)(j));
        match of_new[j] {
            None => out.push(
                ChangeKind::Added,
                &it,
                None,
                it.json.clone(),
                None,
                Some((list.show)(n)),
            ),
            Some(i) => (list.compare)(out, &it, &old[i], n),
        }
    }
    for i in removed {
        let o = &old[i];
        let it = Item::new(list.area, ChangeClass::Configuration, (list.label)(o));
        out.push(
            ChangeKind::Removed,
            &it,
            None,
            Some((list.old_path)(i)),
            Some((list.show)(o)),
            None,
        );
    }
}

/// Reports a changed definition of the item `it`: `was` and `now` are the old and the new
/// definition as text; `also` tells of a difference that the text does not show.
fn definition(out: &mut Out, it: &Item, was: String, now: String, also: bool) {
    if was != now || also {
        out.modified(it, "definition", "", Some(was), Some(now));
    }
}

fn metaverse(out: &mut Out, old: &Configuration, new: &Configuration) {
    let (o, n) = (&old.metaverse_extensions, &new.metaverse_extensions);
    if o == n {
        return;
    }
    let show_attribute = render::metaverse_attribute;
    keyed(
        out,
        &o.attributes,
        &n.attributes,
        &KeyedList {
            area: Area::MetaverseSchema,
            label: &|a| format!("metaverse attribute '{}'", a.name.as_deref().unwrap_or("?")),
            old_path: &paths::metaverse_attribute,
            new_path: &paths::metaverse_attribute,
            show: show_attribute,
            compare: &|out, it, oa, na| {
                let metadata =
                    oa.sql_metadata != na.sql_metadata || oa.syntax_metadata != na.syntax_metadata;
                definition(out, it, show_attribute(oa), show_attribute(na), metadata);
                out.preserved(it, &oa.preserved, &na.preserved);
            },
        },
    );
    let show_type = render::metaverse_object_type;
    let type_path = |i: usize| format!("{}.{}[{i}]", keys::TOP[6], keys::METAVERSE[1]);
    keyed(
        out,
        &o.object_types,
        &n.object_types,
        &KeyedList {
            area: Area::MetaverseSchema,
            label: &|t| {
                format!(
                    "metaverse object type '{}'",
                    t.name.as_deref().unwrap_or("?")
                )
            },
            old_path: &type_path,
            new_path: &type_path,
            show: show_type,
            compare: &|out, it, ot, nt| {
                definition(out, it, show_type(ot), show_type(nt), false);
                out.preserved(it, &ot.preserved, &nt.preserved);
            },
        },
    );
    out.preserved(
        &Item::new(
            Area::MetaverseSchema,
            ChangeClass::Configuration,
            "metaverse schema",
        )
        .json(keys::TOP[6]),
        &o.preserved,
        &n.preserved,
    );
}

fn entra(out: &mut Out, old: &Configuration, new: &Configuration) {
    let (o, n) = (&old.azure_directory, &new.azure_directory);
    let k = keys::AZURE;
    let it =
        Item::new(Area::EntraDirectory, ChangeClass::Configuration, "Entra ID").json(keys::TOP[7]);
    out.opt_field(
        &it,
        "administrator",
        k[0],
        &o.administrator,
        &n.administrator,
    );
    let tenant = |t: &Option<String>| opt(t).map(|t| normalize_guid(&t));
    if tenant(&o.tenant_id) != tenant(&n.tenant_id) {
        out.modified(&it, "tenant", k[1], opt(&o.tenant_id), opt(&n.tenant_id));
    }
    out.str_field(
        &it,
        "deletion threshold",
        k[2],
        &o.export_deletion_limit,
        &n.export_deletion_limit,
    );
    if o.export_deletion_limit != n.export_deletion_limit {
        out.typed(ValueType::Number);
    }
    out.id_field(
        &it,
        "connector identifier",
        "",
        o.connector_id.as_deref(),
        n.connector_id.as_deref(),
    );
    if o.directory_extensions != n.directory_extensions {
        let show = render::directory_extension;
        keyed(
            out,
            &o.directory_extensions,
            &n.directory_extensions,
            &KeyedList {
                area: Area::EntraDirectory,
                label: &|e| {
                    format!(
                        "Entra ID / directory extension '{}.{}'",
                        e.object_class.as_deref().unwrap_or("?"),
                        e.attribute.as_deref().unwrap_or("?")
                    )
                },
                old_path: &paths::directory_extension,
                new_path: &paths::directory_extension,
                show,
                compare: &|out, it, oe, ne| {
                    definition(out, it, show(oe), show(ne), false);
                    out.preserved(it, &oe.preserved, &ne.preserved);
                },
            },
        );
    }
    let (oa, na) = (&o.exported_attributes, &n.exported_attributes);
    if oa != na {
        let item = Item::new(
            Area::EntraDirectory,
            ChangeClass::Configuration,
            "Entra ID / app and attribute filter",
        )
        .json(format!("{}.{}", keys::TOP[7], k[4]));
        let ek = keys::EXPORTED_ATTRIBUTES;
        out.set_members(
            &item,
            "application",
            ek[0],
            &oa.application_restrictions,
            &na.application_restrictions,
            lower,
        );
        out.set_members(
            &item,
            "excluded attribute",
            ek[1],
            &oa.excluded_attributes,
            &na.excluded_attributes,
            lower,
        );
        out.preserved(&item, &oa.preserved, &na.preserved);
    }
    connector(out, "Entra ID", &o.connector, &n.connector);
    out.preserved(&it, &o.preserved, &n.preserved);
    rules::compare_directory_rules(
        out,
        old,
        Some(DirectoryRef::Azure),
        new,
        Some(DirectoryRef::Azure),
        "Entra ID",
    );
}

/// The settings of a connector kept by syncpolicy.
fn connector(out: &mut Out, dir: &str, o: &ConnectorExtension, n: &ConnectorExtension) {
    if o == n {
        return;
    }
    let it = Item::new(
        Area::Connectors,
        ChangeClass::Configuration,
        format!("{dir} / connector"),
    );
    out.opt_field(&it, "engine name", "", &o.name, &n.name);
    recorded_set(out, &it, "object types", &o.object_types, &n.object_types);
    recorded_set(
        out,
        &it,
        "attribute inclusions",
        &o.attribute_inclusions,
        &n.attribute_inclusions,
    );
    // Run profiles by name; the steps of one profile run in order.
    let steps = |p: &syncpolicy_model::extension::RunProfile| -> String {
        let v: Vec<String> = p
            .steps
            .iter()
            .map(|s| {
                let mut t = format!("{} on {}", s.step_type, normalize_dn(&s.partition));
                for (k, v) in &s.settings {
                    t.push_str(&format!(" {k}={v}"));
                }
                t
            })
            .collect();
        v.join("; ")
    };
    let (of_new, removed) = pair_keyed(&o.run_profiles, &n.run_profiles);
    for (j, np) in n.run_profiles.iter().enumerate() {
        let field = format!("run profile '{}'", np.name);
        match of_new[j] {
            None => out.push(
                ChangeKind::Added,
                &it,
                Some(&field),
                None,
                None,
                Some(steps(np)),
            ),
            Some(i) => {
                if steps(&o.run_profiles[i]) != steps(np) {
                    out.modified(
                        &it,
                        &field,
                        "",
                        Some(steps(&o.run_profiles[i])),
                        Some(steps(np)),
                    );
                }
            }
        }
    }
    for i in removed {
        let op = &o.run_profiles[i];
        out.push(
            ChangeKind::Removed,
            &it,
            Some(&format!("run profile '{}'", op.name)),
            None,
            Some(steps(op)),
            None,
        );
    }
    let hierarchy = |h: &Option<syncpolicy_model::extension::ProvisioningHierarchy>| {
        h.as_ref().map(|h| {
            let mut m: Vec<String> = h
                .mappings
                .iter()
                .map(|m| format!("{} -> {} ({})", m.component, m.object_class, m.attribute))
                .collect();
            m.sort_by_key(|s| s.to_lowercase());
            format!(
                "{}; {}",
                if h.enabled { "on" } else { "off" },
                render::list(&m)
            )
        })
    };
    if hierarchy(&o.provisioning_hierarchy) != hierarchy(&n.provisioning_hierarchy) {
        out.modified(
            &it,
            "provisioning hierarchy",
            "",
            hierarchy(&o.provisioning_hierarchy),
            hierarchy(&n.provisioning_hierarchy),
        );
    }
    out.preserved(&it, &o.preserved, &n.preserved);
}

/// Compares two lists that may not have been captured (`None`), as sets.
fn recorded_set(
    out: &mut Out,
    it: &Item,
    field: &str,
    old: &Option<Vec<String>>,
    new: &Option<Vec<String>>,
) {
    match (old, new) {
        (Some(o), Some(n)) => out.set_field(it, field, "", o, n, lower),
        (None, None) => {}
        _ => {
            let show = |v: &Option<Vec<String>>| {
                Some(
                    v.as_ref()
                        .map(|l| render::list(l))
                        .unwrap_or_else(|| "(not recorded)".to_owned()),
                )
            };
            out.modified(it, field, "", show(old), show(new));
        }
    }
}

fn directory_summary(d: &OnPremisesDirectory) -> String {
    let mut lines = vec![
        format!("name: {}", d.name),
        format!("forest: {}", d.forest.as_deref().unwrap_or("(not set)")),
        format!("account: {}", d.account.as_deref().unwrap_or("(not set)")),
    ];
    for p in &d.partitions {
        lines.push(render::partition(p));
    }
    lines.push(format!(
        "rules: {} standard, {} custom",
        d.standard_rules.len(),
        d.custom_rules.len()
    ));
    lines.join("\n")
}

fn directory_added(out: &mut Out, new: &Configuration, n: usize) {
    let d = &new.onpremises_directories[n];
    let it = Item::new(
        Area::Directories,
        ChangeClass::Configuration,
        d.name.clone(),
    )
    .json(paths::directory(DirectoryRef::OnPremises(n)));
    out.push(
        ChangeKind::Added,
        &it,
        None,
        it.json.clone(),
        None,
        Some(directory_summary(d)),
    );
    // Custom rules are listed one by one; standard rules are counted in the summary.
    rules::list_custom_rules(
        out,
        new,
        DirectoryRef::OnPremises(n),
        &d.name,
        ChangeKind::Added,
    );
}

fn directory_removed(out: &mut Out, old: &Configuration, o: usize) {
    let d = &old.onpremises_directories[o];
    let it = Item::new(
        Area::Directories,
        ChangeClass::Configuration,
        d.name.clone(),
    );
    out.push(
        ChangeKind::Removed,
        &it,
        None,
        Some(paths::directory(DirectoryRef::OnPremises(o))),
        Some(directory_summary(d)),
        None,
    );
    rules::list_custom_rules(
        out,
        old,
        DirectoryRef::OnPremises(o),
        &d.name,
        ChangeKind::Removed,
    );
}

fn directory(out: &mut Out, old: &Configuration, o: usize, new: &Configuration, n: usize) {
    let (od, nd) = (
        &old.onpremises_directories[o],
        &new.onpremises_directories[n],
    );
    let k = keys::ONPREM;
    let it = Item::new(
        Area::Directories,
        ChangeClass::Configuration,
        nd.name.clone(),
    )
    .json(paths::directory(DirectoryRef::OnPremises(n)));
    if od.name != nd.name {
        out.push(
            ChangeKind::Renamed,
            &it,
            Some("name"),
            it.json_of(k[0]),
            Some(od.name.clone()),
            Some(nd.name.clone()),
        );
    }
    out.id_field(
        &it,
        "identifier",
        k[1],
        Some(&od.unique_identifier),
        Some(&nd.unique_identifier),
    );
    let forest = |f: &Option<String>| opt(f).map(|s| s.to_lowercase());
    if forest(&od.forest) != forest(&nd.forest) {
        out.modified(&it, "forest", k[2], opt(&od.forest), opt(&nd.forest));
    }
    let account = |a: &Option<String>| opt(a).map(|s| s.to_lowercase());
    if account(&od.account) != account(&nd.account) {
        out.modified(&it, "account", k[3], opt(&od.account), opt(&nd.account));
    }
    out.dn_field(
        &it,
        "group filtering",
        k[4],
        &od.group_filtering_dn,
        &nd.group_filtering_dn,
    );
    out.dn_field(
        &it,
        "group writeback",
        k[5],
        &od.group_writeback_dn,
        &nd.group_writeback_dn,
    );
    out.bool_field(
        &it,
        "format group writeback DN",
        k[6],
        od.format_group_writeback_dn,
        nd.format_group_writeback_dn,
    );
    out.dn_field(
        &it,
        "device writeback",
        k[7],
        &od.device_writeback_dn,
        &nd.device_writeback_dn,
    );
    out.preserved(&it, &od.preserved, &nd.preserved);
    partitions(out, &nd.name, o, &od.partitions, n, &nd.partitions);
    connector(out, &nd.name, &od.connector, &nd.connector);
    rules::compare_directory_rules(
        out,
        old,
        Some(DirectoryRef::OnPremises(o)),
        new,
        Some(DirectoryRef::OnPremises(n)),
        &nd.name,
    );
}

fn partition_name(p: &Partition) -> String {
    p.distinguished_name
        .clone()
        .filter(|s| !s.trim().is_empty())
        .or_else(|| p.fqdn.clone())
        .unwrap_or_else(|| "?".to_owned())
}

fn partitions(
    out: &mut Out,
    dir: &str,
    o_dir: usize,
    old: &[Partition],
    n_dir: usize,
    new: &[Partition],
) {
    if old == new {
        return;
    }
    let pk = keys::PARTITION;
    let compare = |out: &mut Out, it: &Item, op: &Partition, np: &Partition| {
        if op == np {
            return;
        }
        let fqdn = |f: &Option<String>| opt(f).map(|s| s.to_lowercase());
        if fqdn(&op.fqdn) != fqdn(&np.fqdn) {
            out.modified(it, "domain", pk[0], opt(&op.fqdn), opt(&np.fqdn));
        }
        out.bool_field(it, "selected", pk[2], op.selected, np.selected);
        // Preferred domain controllers are tried in order: order matters.
        let dcs = |v: &[String]| v.iter().map(|s| s.to_lowercase()).collect::<Vec<_>>();
        if dcs(&op.preferred_controllers) != dcs(&np.preferred_controllers) {
            out.modified(
                it,
                "preferred domain controllers",
                pk[3],
                Some(render::list(&op.preferred_controllers)),
                Some(render::list(&np.preferred_controllers)),
            );
        }
        out.set_field(
            it,
            "connectivity options",
            pk[4],
            &op.connectivity_options,
            &np.connectivity_options,
            lower,
        );
        out.set_members(
            it,
            "OU inclusion",
            pk[5],
            &op.inclusions,
            &np.inclusions,
            dn,
        );
        out.set_members(
            it,
            "OU exclusion",
            pk[6],
            &op.exclusions,
            &np.exclusions,
            dn,
        );
        out.preserved(it, &op.preserved, &np.preserved);
    };
    keyed(
        out,
        old,
        new,
        &KeyedList {
            area: Area::Partitions,
            label: &|p| format!("{dir} / partition {}", partition_name(p)),
            old_path: &|i| paths::partition(o_dir, i, None),
            new_path: &|j| paths::partition(n_dir, j, None),
            show: render::partition,
            compare: &compare,
        },
    );
}

/// The name of a connector identifier in a configuration (the identifier itself when unknown).
fn connector_name(config: &Configuration, id: &str) -> String {
    if config
        .azure_directory
        .connector_id
        .as_deref()
        .is_some_and(|a| same_guid(a, id))
    {
        return "Entra ID".to_owned();
    }
    config
        .onpremises_directories
        .iter()
        .find(|d| same_guid(&d.unique_identifier, id))
        .map(|d| d.name.clone())
        .unwrap_or_else(|| id.to_owned())
}

fn server(
    out: &mut Out,
    old: &Configuration,
    new: &Configuration,
    of_new: &[Option<(usize, PairingHow)>],
) {
    let (o, n) = (&old.extension, &new.extension);
    let it = Item::new(Area::Server, ChangeClass::Configuration, "server").json(keys::EXTENSION);
    let flag = |v: Option<bool>| {
        Some(
            v.map(|b| b.to_string())
                .unwrap_or_else(|| "(not recorded)".to_owned()),
        )
    };
    if o.staging_mode != n.staging_mode {
        out.modified(
            &it,
            "staging mode",
            keys::EXT[1],
            flag(o.staging_mode),
            flag(n.staging_mode),
        );
        out.typed(ValueType::Boolean);
    }
    if o.scheduler != n.scheduler {
        let d = Default::default();
        let os = o.scheduler.as_ref().unwrap_or(&d);
        let ns = n.scheduler.as_ref().unwrap_or(&d);
        let sk = keys::EXT_SCHEDULER;
        let sit = Item::new(
            Area::Server,
            ChangeClass::Configuration,
            "server / scheduler",
        )
        .json(paths::extension(keys::EXT[2]));
        out.opt_field(
            &sit,
            "sync interval",
            sk[0],
            &os.sync_interval,
            &ns.sync_interval,
        );
        if os.enabled != ns.enabled {
            out.modified(&sit, "enabled", sk[1], flag(os.enabled), flag(ns.enabled));
            out.typed(ValueType::Boolean);
        }
        if os.maintenance_enabled != ns.maintenance_enabled {
            out.modified(
                &sit,
                "maintenance",
                sk[2],
                flag(os.maintenance_enabled),
                flag(ns.maintenance_enabled),
            );
            out.typed(ValueType::Boolean);
        }
        out.opt_field(
            &sit,
            "run-history purge interval",
            sk[3],
            &os.purge_run_history_interval,
            &ns.purge_run_history_interval,
        );
        out.preserved(&sit, &os.preserved, &ns.preserved);
    }
    // Connector run order: compared by directory, old names translated through the pairing.
    if o.connector_order != n.connector_order {
        let mut old_to_new: HashMap<String, String> = HashMap::new();
        for (j, slot) in of_new.iter().enumerate() {
            if let Some((i, _)) = slot {
                old_to_new.insert(
                    old.onpremises_directories[*i].name.clone(),
                    new.onpremises_directories[j].name.clone(),
                );
            }
        }
        let old_names: Vec<String> = o
            .connector_order
            .iter()
            .map(|id| {
                let name = connector_name(old, id);
                old_to_new.get(&name).cloned().unwrap_or(name)
            })
            .collect();
        let new_names: Vec<String> = n
            .connector_order
            .iter()
            .map(|id| connector_name(new, id))
            .collect();
        let low = |v: &[String]| v.iter().map(|s| s.to_lowercase()).collect::<Vec<_>>();
        if low(&old_names) != low(&new_names) {
            let old_shown: Vec<String> = o
                .connector_order
                .iter()
                .map(|id| connector_name(old, id))
                .collect();
            out.modified(
                &it,
                "connector run order",
                keys::EXT[3],
                Some(render::list(&old_shown)),
                Some(render::list(&new_names)),
            );
        } else {
            out.id_field(
                &it,
                "connector run order",
                keys::EXT[3],
                Some(&o.connector_order.join(", ")),
                Some(&n.connector_order.join(", ")),
            );
        }
    }
    if o.global_parameters != n.global_parameters {
        let (of, removed) = pair_keyed(&o.global_parameters, &n.global_parameters);
        for (j, np) in n.global_parameters.iter().enumerate() {
            let pit = Item::new(
                Area::Server,
                ChangeClass::Configuration,
                format!("server / engine parameter '{}'", np.name),
            );
            match of[j] {
                None => out.push(
                    ChangeKind::Added,
                    &pit,
                    None,
                    None,
                    None,
                    Some(np.value.clone()),
                ),
                Some(i) => {
                    out.str_field(&pit, "value", "", &o.global_parameters[i].value, &np.value)
                }
            }
        }
        for i in removed {
            let op = &o.global_parameters[i];
            let pit = Item::new(
                Area::Server,
                ChangeClass::Configuration,
                format!("server / engine parameter '{}'", op.name),
            );
            out.push(
                ChangeKind::Removed,
                &pit,
                None,
                None,
                Some(op.value.clone()),
                None,
            );
        }
    }
    let same = |s: &str| s.to_owned();
    out.set_members(
        &it,
        "orphaned rule entry",
        keys::EXT[6],
        &o.orphaned_rule_entries,
        &n.orphaned_rule_entries,
        same,
    );
    out.set_members(
        &it,
        "orphaned connector entry",
        keys::EXT[5],
        &o.orphaned_connector_entries,
        &n.orphaned_connector_entries,
        same,
    );
    out.preserved(&it, &o.preserved, &n.preserved);
}
