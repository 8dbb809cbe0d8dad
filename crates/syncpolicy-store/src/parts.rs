//! The configuration as rows: the settings file the writer produces, cut into parts (top-level
//! sections, directories, partitions, rules, extension-list entries), each compact JSON with a
//! stable key, and put back together. A change rewrites only the parts whose text changed.

use crate::error::{Result, StoreError};
use crate::scan::{self, Doc, Span};
use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use syncpolicy_json::keys;
use syncpolicy_model::config::{Configuration, OnPremisesDirectory};
use syncpolicy_model::rule::SyncRule;

/// Which table a part lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PartKind {
    /// A top-level section (`settings`).
    Setting,
    /// An on-premises directory without partitions and rules (`directories`).
    Directory,
    /// A domain partition with its OU filter (`partitions`).
    Partition,
    /// A synchronization rule (`rules`).
    Rule,
    /// An entry of one of the extension part's lists (`extension_items`).
    ExtensionItem,
}

impl PartKind {
    /// Every kind, in assembly order.
    pub const ALL: [PartKind; 5] = [
        PartKind::Setting,
        PartKind::Directory,
        PartKind::Partition,
        PartKind::Rule,
        PartKind::ExtensionItem,
    ];

    /// The table holding parts of this kind.
    pub fn table(self) -> &'static str {
        match self {
            PartKind::Setting => "settings",
            PartKind::Directory => "directories",
            PartKind::Partition => "partitions",
            PartKind::Rule => "rules",
            PartKind::ExtensionItem => "extension_items",
        }
    }

    /// The kind whose table is `name`.
    pub fn from_table(name: &str) -> Option<PartKind> {
        PartKind::ALL.into_iter().find(|k| k.table() == name)
    }
}

/// One row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Stable key, unique within its kind (e.g. `dir:<guid>/custom/<rule guid>`).
    pub key: String,
    /// The key of the container it belongs to (a directory, a rule list); empty for sections.
    pub parent: String,
    /// Position within its container.
    pub ordinal: i64,
    /// A readable name (section key, directory or rule name).
    pub label: String,
    /// Compact JSON text (shared: an unchanged row keeps the text it was stored with).
    pub body: Arc<str>,
}

/// Every part of one configuration, by kind and key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parts {
    pub map: HashMap<(PartKind, String), Part>,
}

impl Parts {
    /// Adds a part.
    pub fn insert(&mut self, kind: PartKind, part: Part) {
        self.map.insert((kind, part.key.clone()), part);
    }

    /// Removes a part.
    pub fn remove(&mut self, kind: PartKind, key: &str) {
        self.map.remove(&(kind, key.to_owned()));
    }

    /// A part.
    pub fn get(&self, kind: PartKind, key: &str) -> Option<&Part> {
        self.map.get(&(kind, key.to_owned()))
    }

    /// Number of parts.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when there is no part.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Number of parts of a kind.
    pub fn count(&self, kind: PartKind) -> usize {
        self.map.keys().filter(|(k, _)| *k == kind).count()
    }

    /// The parts of a kind under a parent, in order.
    fn children(&self, kind: PartKind, parent: &str) -> Vec<&Part> {
        let mut v: Vec<&Part> = self
            .map
            .iter()
            .filter(|((k, _), p)| *k == kind && p.parent == parent)
            .map(|(_, p)| p)
            .collect();
        v.sort_by(|a, b| a.ordinal.cmp(&b.ordinal).then_with(|| a.key.cmp(&b.key)));
        v
    }
}

/// What to write to go from one set of parts to another.
#[derive(Debug, Default)]
pub struct Delta<'a> {
    pub upserts: Vec<(PartKind, &'a Part)>,
    pub deletes: Vec<(PartKind, &'a str)>,
}

impl Delta<'_> {
    /// True when nothing changes.
    pub fn is_empty(&self) -> bool {
        self.upserts.is_empty() && self.deletes.is_empty()
    }
}

/// The rows to write and delete to turn `old` into `new`.
pub fn delta<'a>(old: &'a Parts, new: &'a Parts) -> Delta<'a> {
    let mut d = Delta::default();
    for ((kind, key), part) in &new.map {
        if old.map.get(&(*kind, key.clone())) != Some(part) {
            d.upserts.push((*kind, part));
        }
    }
    for (kind, key) in old.map.keys() {
        if !new.map.contains_key(&(*kind, key.clone())) {
            d.deletes.push((*kind, key.as_str()));
        }
    }
    d.upserts
        .sort_by(|a, b| (a.0, &a.1.key).cmp(&(b.0, &b.1.key)));
    d.deletes.sort();
    d
}

/// A JSON object whose keys keep their order, values kept as raw text.
struct Obj(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Obj {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Obj;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Obj, A::Error> {
                let mut v = Vec::new();
                while let Some((k, val)) = map.next_entry::<String, Box<RawValue>>()? {
                    v.push((k, val));
                }
                Ok(Obj(v))
            }
        }
        d.deserialize_map(V)
    }
}

impl Serialize for Obj {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl Obj {
    fn parse(text: &str, what: &str) -> Result<Obj> {
        serde_json::from_str(text).map_err(|e| StoreError::Corrupt {
            what: format!("{what} is not a JSON object: {e}"),
        })
    }

    fn get(&self, key: &str) -> Option<&RawValue> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_ref())
    }

    fn set(&mut self, key: &str, value: Box<RawValue>) {
        if let Some(slot) = self.0.iter_mut().find(|(k, _)| k == key) {
            slot.1 = value;
        }
    }

    fn to_text(&self) -> String {
        // Serializing raw values and strings into a String cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

fn raw(text: String, what: &str) -> Result<Box<RawValue>> {
    RawValue::from_string(text).map_err(|e| StoreError::Corrupt {
        what: format!("{what} is not JSON: {e}"),
    })
}

fn norm_id(id: &str) -> String {
    id.trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .to_ascii_lowercase()
}

/// Makes keys unique by suffixing repeats with `~2`, `~3`, ...
struct KeyRegistry(HashMap<String, usize>);

impl KeyRegistry {
    fn unique(&mut self, key: String) -> String {
        let n = self.0.entry(key.clone()).or_insert(0);
        *n += 1;
        if *n == 1 {
            key
        } else {
            format!("{key}~{n}")
        }
    }
}

const AZURE_KEY: &str = "azure";
const SETS: [(&str, usize); 2] = [("standard", 5), ("custom", 6)];
const ONPREM_SETS: [(&str, usize); 2] = [("standard", 9), ("custom", 10)];
const EXT_LISTS: [usize; 2] = [5, 6];
const EXT_DIGEST: usize = keys::EXT.len() - 1;

/// Cuts a settings file (as written by `syncpolicy_json::write_settings`) into parts. The
/// extension part's digest is left out: the writer computes it again on every export.
pub fn split(settings: &[u8]) -> Result<Parts> {
    split_inner(settings, None, None, &[])
}

/// [`split`] for the writer's output of `config`: rule and directory keys are taken from the
/// model instead of parsing every rule again (falls back to parsing when the counts differ).
pub fn split_with(settings: &[u8], config: &Configuration) -> Result<Parts> {
    split_inner(settings, Some(config), None, &[])
}

/// [`split_with`] after a change from `previous` (stored as `previous_parts`): a rule equal
/// to the one at the same place before keeps its stored text instead of being cut from
/// `settings` again (the writer writes equal rules alike). `settings` must be
/// `syncpolicy_json::write_settings(config)` byte for byte: its layout is relied on to skip
/// over rules without reading them.
pub fn split_since(
    settings: &[u8],
    config: &Configuration,
    previous: &Configuration,
    previous_parts: &Parts,
) -> Result<Parts> {
    split_inner(
        settings,
        Some(config),
        Some((previous, Previous::Stored(previous_parts))),
        &[],
    )
}

/// The rows a change must write, without the stored rows at hand: every part of `settings`
/// but the rules equal to the rule at the same place of `previous` under the same key and
/// parent (their rows are left as they are), and the keys of `previous`'s rules that were
/// not kept so (their rows are read, to compare with or to delete). `settings` must be
/// `syncpolicy_json::write_settings_placed(config)` and `places` what it returned; `previous`
/// the configuration whose rows are stored (as [`split_with`] of its text cut them). `None`
/// when the text is not laid out as `config` says (then cut it in full).
pub fn split_touched(
    settings: &[u8],
    places: &[std::ops::Range<usize>],
    config: &Configuration,
    previous: &Configuration,
) -> Result<Option<Touched>> {
    if places.len() != config.rule_count() {
        return Ok(None);
    }
    let (keys, now) = std::thread::scope(|s| {
        let before = s.spawn(|| PlaceKeys::of(previous));
        let now = PlaceKeys::of(config);
        (before.join(), now)
    });
    let keys = keys.map_err(|_| StoreError::Corrupt {
        what: "the keys of the rows before the change could not be made".to_owned(),
    })?;
    let parts = split_inner(
        settings,
        Some(config),
        Some((
            previous,
            Previous::Keys {
                before: &keys,
                now: &now,
            },
        )),
        places,
    )?;
    if now.off.get() {
        return Ok(None);
    }
    // The directories' keys come from the text, the previous ones' from the model: the same
    // for the writer's output, checked (a kept rule's parent names its directory).
    let mut registry = KeyRegistry(HashMap::new());
    let same_directories = config
        .onpremises_directories
        .iter()
        .enumerate()
        .all(|(i, d)| {
            parts
                .get(PartKind::Directory, &directory_key(&mut registry, d, i))
                .is_some_and(|p| p.ordinal == i as i64)
        });
    if !same_directories || parts.count(PartKind::Directory) != config.onpremises_directories.len()
    {
        return Ok(None);
    }
    let mut old_rules = 0;
    let mut old_rule_keys = Vec::new();
    for list in keys.azure.iter().chain(keys.dirs.iter().flatten()) {
        old_rules += list.keys.len();
        for (key, kept) in list.keys.iter().zip(&list.kept) {
            if !kept.get() {
                old_rule_keys.push(key.clone());
            }
        }
    }
    Ok(Some(Touched {
        parts,
        old_rule_keys,
        old_rules,
    }))
}

/// What [`split_touched`] found.
#[derive(Debug)]
pub struct Touched {
    /// Every part of the text but the rules kept as they were.
    pub parts: Parts,
    /// The keys of the previous configuration's rules that were not kept.
    pub old_rule_keys: Vec<String>,
    /// How many rules the previous configuration has (as many rule rows are stored).
    pub old_rules: usize,
}

/// The key and parent [`split_with`] gives each rule of a configuration, by place.
struct PlaceKeys {
    azure: [ListKeys; 2],
    dirs: Vec<[ListKeys; 2]>,
    /// Set when the text was not laid out as the configuration says (the keys do not apply).
    off: std::cell::Cell<bool>,
}

/// One rule list's parent key and its rules' keys, with a mark for each rule kept.
#[derive(Default)]
struct ListKeys {
    parent: String,
    keys: Vec<String>,
    kept: Vec<std::cell::Cell<bool>>,
}

impl PlaceKeys {
    /// The keys in the order [`split_inner`] registers them: the Entra section's lists, then
    /// each directory's.
    fn of(config: &Configuration) -> PlaceKeys {
        // Every rule's key before it is made unique, in order, with the list it ends.
        let mut bases: Vec<String> = Vec::with_capacity(config.rule_count());
        let mut lists: Vec<(String, usize)> = Vec::new();
        let mut list = |owner: &str, set: &str, rules: &[SyncRule]| {
            let parent = format!("{owner}/{set}");
            bases.extend(rules.iter().enumerate().map(|(i, r)| {
                let id = rule_id(r)
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| format!("#{i}"));
                format!("{parent}/{id}")
            }));
            lists.push((parent, bases.len()));
        };
        let [a, b] = azure_lists(config);
        list(AZURE_KEY, SETS[0].0, a);
        list(AZURE_KEY, SETS[1].0, b);
        let mut dir_keys = KeyRegistry(HashMap::new());
        for (i, d) in config.onpremises_directories.iter().enumerate() {
            let owner = directory_key(&mut dir_keys, d, i);
            let [a, b] = dir_lists(d);
            list(&owner, ONPREM_SETS[0].0, a);
            list(&owner, ONPREM_SETS[1].0, b);
        }
        let mut keys = unique_all(bases).into_iter();
        let mut from = 0;
        let mut lists = lists.into_iter().map(|(parent, end)| {
            let keys: Vec<String> = keys.by_ref().take(end - from).collect();
            from = end;
            ListKeys {
                kept: vec![std::cell::Cell::new(false); keys.len()],
                parent,
                keys,
            }
        });
        let mut pair = || -> Option<[ListKeys; 2]> { Some([lists.next()?, lists.next()?]) };
        let azure = pair().unwrap_or_default();
        let dirs = std::iter::from_fn(pair).collect();
        PlaceKeys {
            azure,
            dirs,
            off: std::cell::Cell::new(false),
        }
    }
}

/// What [`KeyRegistry::unique`] gives each of `keys` in turn, without a copy of each key: the
/// first of equal keys as it is, the nth with `~n`.
fn unique_all(mut keys: Vec<String>) -> Vec<String> {
    let mut nth = vec![0u32; keys.len()];
    {
        let mut seen: HashMap<&str, u32> = HashMap::with_capacity(keys.len());
        for (k, n) in keys.iter().zip(nth.iter_mut()) {
            let count = seen.entry(k.as_str()).or_insert(0);
            *count += 1;
            *n = *count;
        }
    }
    for (k, n) in keys.iter_mut().zip(nth) {
        if n > 1 {
            *k = format!("{k}~{n}");
        }
    }
    keys
}

/// A directory's key as [`split_with`] cuts it from the writer's text of `d` (the `i`th).
fn directory_key(registry: &mut KeyRegistry, d: &OnPremisesDirectory, i: usize) -> String {
    let id = Some(norm_id(&d.unique_identifier))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("#{i}"));
    registry.unique(format!("dir:{id}"))
}

/// What a split after a change knows of the configuration before it.
#[derive(Clone, Copy)]
enum Previous<'a> {
    /// Its stored rows (a kept rule keeps its stored text).
    Stored(&'a Parts),
    /// Its rules' keys by place, and those of the configuration cut (a kept rule is left out).
    Keys {
        before: &'a PlaceKeys,
        now: &'a PlaceKeys,
    },
}

/// [`Previous`] for one owner's rule lists.
#[derive(Clone, Copy)]
enum PreviousLists<'a> {
    Stored(&'a Parts),
    /// The keys of the lists before (`None`: no such owner before) and now, and where to say
    /// that the text is not laid out as the configuration says.
    Keys(
        Option<&'a [ListKeys; 2]>,
        Option<&'a [ListKeys; 2]>,
        &'a std::cell::Cell<bool>,
    ),
}

fn azure_lists(c: &Configuration) -> [&[SyncRule]; 2] {
    [
        &c.azure_directory.standard_rules[..],
        &c.azure_directory.custom_rules[..],
    ]
}

fn dir_lists(d: &OnPremisesDirectory) -> [&[SyncRule]; 2] {
    [&d.standard_rules[..], &d.custom_rules[..]]
}

/// The model of the rules a split is cutting: this configuration's lists and, after a
/// change, the previous configuration's lists at the same place with their stored rows.
#[derive(Clone, Copy)]
struct Known<'a> {
    now: [&'a [SyncRule]; 2],
    before: Option<([&'a [SyncRule]; 2], PreviousLists<'a>)>,
}

fn rule_id(rule: &SyncRule) -> Option<String> {
    rule.unique_identifier
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .or(Some(rule.internal_identifier.as_str()).filter(|s| !s.trim().is_empty()))
        .map(norm_id)
}

/// An object being cut: its members as key spans and value spans, a value replaced by `[]`
/// once its elements became rows of their own.
struct Members<'t> {
    doc: &'t Doc<'t>,
    text: &'t str,
    members: Vec<(Span, Option<Span>)>,
}

impl<'t> Members<'t> {
    fn scan(doc: &'t Doc<'t>, at: usize, what: &str) -> Result<Members<'t>> {
        let members = doc.object(at).map_err(|e| StoreError::Corrupt {
            what: format!("{what} is not a JSON object: {e}"),
        })?;
        Ok(Members {
            doc,
            text: doc.text,
            members: members.into_iter().map(|(k, v)| (k, Some(v))).collect(),
        })
    }

    fn key(&self, span: Span) -> std::borrow::Cow<'t, str> {
        key_text(self.text, span)
    }

    fn find(&self, key: &str) -> Option<usize> {
        self.members.iter().position(|(k, _)| self.key(*k) == key)
    }

    /// The string value under `key` (`None` when absent, null or not a string).
    fn string(&self, key: &str) -> Option<String> {
        let (_, v) = self.members.get(self.find(key)?)?;
        let (s, e) = (*v)?;
        serde_json::from_str::<Option<String>>(&self.text[s..e])
            .ok()
            .flatten()
    }

    /// Takes the elements of the array under `key`, leaving `[]` in its place. `None` when
    /// absent or null.
    fn take_array(&mut self, key: &str, what: &str) -> Result<Option<Vec<Span>>> {
        let Some(n) = self.find(key) else {
            return Ok(None);
        };
        let Some((s, e)) = self.members[n].1 else {
            return Ok(None);
        };
        if &self.text[s..e] == "null" {
            return Ok(None);
        }
        let items = self.doc.array(s).map_err(|err| StoreError::Corrupt {
            what: format!("{what}.{key} is not a JSON array: {err}"),
        })?;
        self.members[n].1 = None;
        Ok(Some(items))
    }

    fn remove(&mut self, key: &str) {
        let text = self.text;
        self.members.retain(|(k, _)| key_text(text, *k) != key);
    }

    /// Compact JSON text of the object.
    fn to_text(&self) -> String {
        let mut s = String::with_capacity(256);
        s.push('{');
        for (i, (k, v)) in self.members.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            s.push_str(&self.text[k.0..k.1]);
            s.push(':');
            match v {
                Some((a, b)) => scan::compact_into(&self.text[*a..*b], &mut s),
                None => s.push_str("[]"),
            }
        }
        s.push('}');
        s
    }
}

/// The text of a key (its span includes the quotes).
fn key_text(text: &str, (s, e): Span) -> std::borrow::Cow<'_, str> {
    let inner = &text[s + 1..e.saturating_sub(1).max(s + 1)];
    if inner.contains('\\') {
        std::borrow::Cow::Owned(serde_json::from_str::<String>(&text[s..e]).unwrap_or_default())
    } else {
        std::borrow::Cow::Borrowed(inner)
    }
}

fn body(text: &str, (s, e): Span) -> Arc<str> {
    scan::compact(&text[s..e]).into()
}

fn split_inner(
    settings: &[u8],
    config: Option<&Configuration>,
    previous: Option<(&Configuration, Previous<'_>)>,
    places: &[std::ops::Range<usize>],
) -> Result<Parts> {
    let text = std::str::from_utf8(settings).map_err(|e| StoreError::Corrupt {
        what: format!("the settings text is not UTF-8: {e}"),
    })?;
    // After a change the text is the writer's own output (see `Doc::pretty`).
    let doc = if previous.is_some() {
        Doc::pretty_known(text, places)
    } else {
        Doc::new(text).map_err(|e| StoreError::Corrupt {
            what: format!("the settings text is not JSON: {e}"),
        })?
    };
    let top = Members::scan(&doc, 0, "the settings file")?;
    let mut parts = Parts::default();
    let mut rule_keys = KeyRegistry(HashMap::new());
    for (ordinal, (k, v)) in top.members.iter().enumerate() {
        let key = top.key(*k).into_owned();
        let Some(v) = *v else { continue };
        let body = if key == keys::TOP[7] {
            let mut azure = Members::scan(&doc, v.0, &key)?;
            let lists = azure_lists;
            let known = config.map(|c| Known {
                now: lists(c),
                before: previous.map(|(p, known)| {
                    let lists_before = match known {
                        Previous::Stored(parts) => PreviousLists::Stored(parts),
                        Previous::Keys { before, now } => {
                            PreviousLists::Keys(Some(&before.azure), Some(&now.azure), &now.off)
                        }
                    };
                    (lists(p), lists_before)
                }),
            });
            split_rules(
                &mut azure,
                AZURE_KEY,
                &SETS,
                &keys::AZURE,
                known,
                &mut parts,
                &mut rule_keys,
            )?;
            azure.to_text().into()
        } else if key == keys::TOP[8] {
            split_directories(&doc, v, config, previous, &mut parts, &mut rule_keys)?;
            "[]".into()
        } else if key == keys::EXTENSION {
            let mut ext = Members::scan(&doc, v.0, &key)?;
            ext.remove(keys::EXT[EXT_DIGEST]);
            for list in EXT_LISTS {
                let name = keys::EXT[list];
                let mut item_keys = KeyRegistry(HashMap::new());
                if let Some(items) = ext.take_array(name, &key)? {
                    for (i, item) in items.into_iter().enumerate() {
                        let id = Members::scan(&doc, item.0, name)
                            .ok()
                            .and_then(|o| o.string(keys::ONPREM[1]))
                            .map(|s| norm_id(&s))
                            .filter(|s| !s.is_empty())
                            .unwrap_or_else(|| format!("#{i}"));
                        parts.insert(
                            PartKind::ExtensionItem,
                            Part {
                                key: item_keys.unique(format!("{name}:{id}")),
                                parent: name.to_owned(),
                                ordinal: i as i64,
                                label: id,
                                body: body(text, item),
                            },
                        );
                    }
                }
            }
            ext.to_text().into()
        } else {
            body(text, v)
        };
        parts.insert(
            PartKind::Setting,
            Part {
                key: key.clone(),
                parent: String::new(),
                ordinal: ordinal as i64,
                label: key,
                body,
            },
        );
    }
    Ok(parts)
}

fn split_rules(
    obj: &mut Members<'_>,
    owner: &str,
    sets: &[(&str, usize); 2],
    key_table: &[&str],
    known: Option<Known<'_>>,
    parts: &mut Parts,
    rule_keys: &mut KeyRegistry,
) -> Result<()> {
    let text = obj.text;
    for (n, (set, index)) in sets.iter().enumerate() {
        let list_key = key_table[*index];
        let Some(rules) = obj.take_array(list_key, owner)? else {
            continue;
        };
        let parent = format!("{owner}/{set}");
        let model = known.map(|k| k.now[n]).filter(|m| m.len() == rules.len());
        let before_lists = known.and_then(|k| k.before);
        let before = before_lists.map(|(b, p)| (b[n], p));
        if let Some((b, PreviousLists::Keys(was, now, off))) = before_lists {
            // The keys were made from the models; they apply when the text's lists are the
            // model's (always, for the writer's output).
            let was = was.map(|l| &l[n]);
            let now = now.map(|l| &l[n]);
            let (Some(m), Some(now)) = (model, now) else {
                off.set(true);
                return Ok(());
            };
            if now.parent != parent || now.keys.len() != rules.len() {
                off.set(true);
                return Ok(());
            }
            for (i, rule) in rules.into_iter().enumerate() {
                let key = &now.keys[i];
                if let Some(was) = was {
                    if was.parent == parent
                        && was.keys.get(i) == Some(key)
                        && b[n].get(i) == Some(&m[i])
                    {
                        // Its row stays as it is stored.
                        was.kept[i].set(true);
                        continue;
                    }
                }
                parts.insert(
                    PartKind::Rule,
                    Part {
                        key: key.clone(),
                        parent: parent.clone(),
                        ordinal: i as i64,
                        label: m[i].name().to_owned(),
                        body: body(text, rule),
                    },
                );
            }
            continue;
        }
        for (i, rule) in rules.into_iter().enumerate() {
            let (id, label) = match model {
                Some(m) => (rule_id(&m[i]), None),
                None => {
                    let fields = Members::scan(obj.doc, rule.0, &format!("{parent} rule {i}"))?;
                    let id = fields
                        .string(keys::RULE[1])
                        .or_else(|| fields.string(keys::RULE[2]))
                        .map(|s| norm_id(&s));
                    (id, Some(fields.string(keys::RULE[0]).unwrap_or_default()))
                }
            };
            let id = id
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| format!("#{i}"));
            let key = (PartKind::Rule, rule_keys.unique(format!("{parent}/{id}")));
            // The stored text of the same rule at the same place, when the rule is unchanged.
            let kept = match (model, before) {
                (Some(m), Some((b, PreviousLists::Stored(stored)))) if b.get(i) == Some(&m[i]) => {
                    stored
                        .map
                        .get(&key)
                        .filter(|p| p.parent == parent && p.ordinal == i as i64)
                        .map(|p| p.body.clone())
                }
                _ => None,
            };
            let label =
                label.unwrap_or_else(|| model.map_or_else(String::new, |m| m[i].name().to_owned()));
            parts.insert(
                PartKind::Rule,
                Part {
                    key: key.1,
                    parent: parent.clone(),
                    ordinal: i as i64,
                    label,
                    body: kept.unwrap_or_else(|| body(text, rule)),
                },
            );
        }
    }
    Ok(())
}

fn split_directories(
    doc: &Doc<'_>,
    span: Span,
    config: Option<&Configuration>,
    previous: Option<(&Configuration, Previous<'_>)>,
    parts: &mut Parts,
    rule_keys: &mut KeyRegistry,
) -> Result<()> {
    let text = doc.text;
    let dirs = doc.array(span.0).map_err(|e| StoreError::Corrupt {
        what: format!("{} is not a JSON array: {e}", keys::TOP[8]),
    })?;
    let mut dir_keys = KeyRegistry(HashMap::new());
    let model = config
        .map(|c| &c.onpremises_directories)
        .filter(|m| m.len() == dirs.len());
    for (i, d) in dirs.into_iter().enumerate() {
        let mut obj = Members::scan(doc, d.0, &format!("{}[{i}]", keys::TOP[8]))?;
        let id = obj
            .string(keys::ONPREM[1])
            .map(|s| norm_id(&s))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| format!("#{i}"));
        let dir_key = dir_keys.unique(format!("dir:{id}"));
        let label = obj.string(keys::ONPREM[0]).unwrap_or_default();
        if let Some(partitions) = obj.take_array(keys::ONPREM[8], &dir_key)? {
            let mut part_keys = KeyRegistry(HashMap::new());
            for (pi, p) in partitions.into_iter().enumerate() {
                let fields = Members::scan(doc, p.0, &format!("{dir_key} partition {pi}"))?;
                let name = fields
                    .string(keys::PARTITION[1])
                    .or_else(|| fields.string(keys::PARTITION[0]))
                    .unwrap_or_default();
                let id = if name.is_empty() {
                    format!("#{pi}")
                } else {
                    name.to_lowercase()
                };
                parts.insert(
                    PartKind::Partition,
                    Part {
                        key: part_keys.unique(format!("{dir_key}/partition:{id}")),
                        parent: dir_key.clone(),
                        ordinal: pi as i64,
                        label: name,
                        body: body(text, p),
                    },
                );
            }
        }
        let lists = dir_lists;
        let known = model.map(|m| Known {
            now: lists(&m[i]),
            before: previous.and_then(|(p, known)| {
                let d = p.onpremises_directories.get(i);
                let lists_before = match known {
                    Previous::Stored(parts) => {
                        d?;
                        PreviousLists::Stored(parts)
                    }
                    Previous::Keys { before, now } => {
                        PreviousLists::Keys(before.dirs.get(i), now.dirs.get(i), &now.off)
                    }
                };
                // A directory new at this place has no rules before: none is kept.
                Some((d.map_or([&[][..], &[][..]], lists), lists_before))
            }),
        });
        split_rules(
            &mut obj,
            &dir_key,
            &ONPREM_SETS,
            &keys::ONPREM,
            known,
            parts,
            rule_keys,
        )?;
        parts.insert(
            PartKind::Directory,
            Part {
                key: dir_key,
                parent: String::new(),
                ordinal: i as i64,
                label,
                body: obj.to_text().into(),
            },
        );
    }
    Ok(())
}

/// Puts parts back together into settings text (compact JSON), readable with
/// `syncpolicy_json::read_settings_str`.
pub fn assemble(parts: &Parts) -> Result<String> {
    let mut top = Obj(Vec::new());
    for section in parts.children(PartKind::Setting, "") {
        let value = if section.key == keys::TOP[7] {
            let mut azure = Obj::parse(&section.body, &section.key)?;
            put_rules(&mut azure, AZURE_KEY, &SETS, &keys::AZURE, parts)?;
            raw(azure.to_text(), &section.key)?
        } else if section.key == keys::TOP[8] {
            let mut dirs = Vec::new();
            for d in parts.children(PartKind::Directory, "") {
                let mut obj = Obj::parse(&d.body, &d.key)?;
                let partitions: Vec<Box<RawValue>> = parts
                    .children(PartKind::Partition, &d.key)
                    .into_iter()
                    .map(|p| raw(p.body.to_string(), &p.key))
                    .collect::<Result<_>>()?;
                if obj.get(keys::ONPREM[8]).is_some() {
                    obj.set(keys::ONPREM[8], raw(list_text(&partitions), &d.key)?);
                }
                put_rules(&mut obj, &d.key, &ONPREM_SETS, &keys::ONPREM, parts)?;
                dirs.push(raw(obj.to_text(), &d.key)?);
            }
            raw(list_text(&dirs), &section.key)?
        } else if section.key == keys::EXTENSION {
            let mut ext = Obj::parse(&section.body, &section.key)?;
            for list in EXT_LISTS {
                let name = keys::EXT[list];
                if ext.get(name).is_some() {
                    let items: Vec<Box<RawValue>> = parts
                        .children(PartKind::ExtensionItem, name)
                        .into_iter()
                        .map(|p| raw(p.body.to_string(), &p.key))
                        .collect::<Result<_>>()?;
                    ext.set(name, raw(list_text(&items), name)?);
                }
            }
            raw(ext.to_text(), &section.key)?
        } else {
            raw(section.body.to_string(), &section.key)?
        };
        top.0.push((section.key.clone(), value));
    }
    Ok(top.to_text())
}

fn put_rules(
    obj: &mut Obj,
    owner: &str,
    sets: &[(&str, usize); 2],
    key_table: &[&str],
    parts: &Parts,
) -> Result<()> {
    for (set, index) in sets {
        let list_key = key_table[*index];
        if obj.get(list_key).is_none() {
            continue;
        }
        let rules: Vec<Box<RawValue>> = parts
            .children(PartKind::Rule, &format!("{owner}/{set}"))
            .into_iter()
            .map(|p| raw(p.body.to_string(), &p.key))
            .collect::<Result<_>>()?;
        obj.set(list_key, raw(list_text(&rules), owner)?);
    }
    Ok(())
}

fn list_text(items: &[Box<RawValue>]) -> String {
    let mut s = String::with_capacity(items.iter().map(|i| i.get().len() + 1).sum::<usize>() + 2);
    s.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(item.get());
    }
    s.push(']');
    s
}

/// The previous implementation (a serde parse per level), kept to check the scanner against.
#[cfg(test)]
mod reference {
    use super::*;

    impl Obj {
        fn string(&self, key: &str) -> Option<String> {
            self.get(key).and_then(|v| {
                serde_json::from_str::<Option<String>>(v.get())
                    .ok()
                    .flatten()
            })
        }

        /// Takes the array under `key` out, leaving `[]` in its place. `None` when absent.
        fn take_array(&mut self, key: &str, what: &str) -> Result<Option<Vec<Box<RawValue>>>> {
            let Some(slot) = self.0.iter_mut().find(|(k, _)| k == key) else {
                return Ok(None);
            };
            if slot.1.get().trim() == "null" {
                return Ok(None);
            }
            let items: Vec<Box<RawValue>> =
                serde_json::from_str(slot.1.get()).map_err(|e| StoreError::Corrupt {
                    what: format!("{what}.{key} is not a JSON array: {e}"),
                })?;
            slot.1 = empty_array();
            Ok(Some(items))
        }
    }

    fn empty_array() -> Box<RawValue> {
        RawValue::from_string("[]".to_owned()).unwrap_or_else(|_| unreachable_raw())
    }

    fn unreachable_raw() -> Box<RawValue> {
        // `[]` and `null` are valid JSON; RawValue::from_string accepts them.
        serde_json::from_str("null").unwrap_or_else(|_| Box::<RawValue>::default())
    }

    /// Removes whitespace outside strings (the writer's indentation). Works on bytes: the
    /// characters that matter (`"`, `\\`, whitespace) are ASCII and never part of a multi-byte
    /// UTF-8 sequence.
    pub(super) fn compact(text: &str) -> String {
        let bytes = text.as_bytes();
        let n = bytes.len();
        let mut out = Vec::with_capacity(n);
        let mut i = 0;
        while i < n {
            let b = bytes[i];
            if b == b'"' {
                let start = i;
                i += 1;
                loop {
                    match bytes[i.min(n)..]
                        .iter()
                        .position(|&c| c == b'"' || c == b'\\')
                    {
                        Some(p) if bytes[i + p] == b'\\' => i += p + 2,
                        Some(p) => {
                            i += p + 1;
                            break;
                        }
                        None => {
                            i = n;
                            break;
                        }
                    }
                }
                out.extend_from_slice(&bytes[start..i.min(n)]);
            } else {
                if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                    out.push(b);
                }
                i += 1;
            }
        }
        // Only ASCII whitespace outside strings was removed, so the bytes are still UTF-8.
        String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    pub(super) fn split_inner(settings: &[u8], config: Option<&Configuration>) -> Result<Parts> {
        let text = std::str::from_utf8(settings).map_err(|e| StoreError::Corrupt {
            what: format!("the settings text is not UTF-8: {e}"),
        })?;
        let text = compact(text);
        let top = Obj::parse(&text, "the settings file")?;
        let mut parts = Parts::default();
        let mut rule_keys = KeyRegistry(HashMap::new());
        for (ordinal, (key, value)) in top.0.into_iter().enumerate() {
            let body = if key == keys::TOP[7] {
                let mut azure = Obj::parse(value.get(), &key)?;
                let known = config.map(|c| {
                    [
                        &c.azure_directory.standard_rules[..],
                        &c.azure_directory.custom_rules[..],
                    ]
                });
                split_rules(
                    &mut azure,
                    AZURE_KEY,
                    &SETS,
                    &keys::AZURE,
                    known,
                    &mut parts,
                    &mut rule_keys,
                )?;
                azure.to_text()
            } else if key == keys::TOP[8] {
                split_directories(value.get(), config, &mut parts, &mut rule_keys)?;
                "[]".to_owned()
            } else if key == keys::EXTENSION {
                let mut ext = Obj::parse(value.get(), &key)?;
                ext.0.retain(|(k, _)| k != keys::EXT[EXT_DIGEST]);
                for list in EXT_LISTS {
                    let name = keys::EXT[list];
                    let mut item_keys = KeyRegistry(HashMap::new());
                    if let Some(items) = ext.take_array(name, &key)? {
                        for (i, item) in items.into_iter().enumerate() {
                            let id = serde_json::from_str::<Obj>(item.get())
                                .ok()
                                .and_then(|o| o.string(keys::ONPREM[1]))
                                .map(|s| norm_id(&s))
                                .filter(|s| !s.is_empty())
                                .unwrap_or_else(|| format!("#{i}"));
                            parts.insert(
                                PartKind::ExtensionItem,
                                Part {
                                    key: item_keys.unique(format!("{name}:{id}")),
                                    parent: name.to_owned(),
                                    ordinal: i as i64,
                                    label: id,
                                    body: item.get().into(),
                                },
                            );
                        }
                    }
                }
                ext.to_text()
            } else {
                value.get().to_owned()
            };
            parts.insert(
                PartKind::Setting,
                Part {
                    key: key.clone(),
                    parent: String::new(),
                    ordinal: ordinal as i64,
                    label: key,
                    body: body.into(),
                },
            );
        }
        Ok(parts)
    }

    fn split_rules(
        obj: &mut Obj,
        owner: &str,
        sets: &[(&str, usize); 2],
        key_table: &[&str],
        known: Option<[&[SyncRule]; 2]>,
        parts: &mut Parts,
        rule_keys: &mut KeyRegistry,
    ) -> Result<()> {
        for (n, (set, index)) in sets.iter().enumerate() {
            let list_key = key_table[*index];
            let Some(rules) = obj.take_array(list_key, owner)? else {
                continue;
            };
            let parent = format!("{owner}/{set}");
            let model = known.map(|k| k[n]).filter(|m| m.len() == rules.len());
            for (i, rule) in rules.into_iter().enumerate() {
                let (id, label) = match model {
                    Some(m) => (rule_id(&m[i]), m[i].name().to_owned()),
                    None => {
                        let fields = Obj::parse(rule.get(), &format!("{parent} rule {i}"))?;
                        let id = fields
                            .string(keys::RULE[1])
                            .or_else(|| fields.string(keys::RULE[2]))
                            .map(|s| norm_id(&s));
                        (id, fields.string(keys::RULE[0]).unwrap_or_default())
                    }
                };
                let id = id
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| format!("#{i}"));
                parts.insert(
                    PartKind::Rule,
                    Part {
                        key: rule_keys.unique(format!("{parent}/{id}")),
                        parent: parent.clone(),
                        ordinal: i as i64,
                        label,
                        body: rule.get().into(),
                    },
                );
            }
        }
        Ok(())
    }

    fn split_directories(
        text: &str,
        config: Option<&Configuration>,
        parts: &mut Parts,
        rule_keys: &mut KeyRegistry,
    ) -> Result<()> {
        let dirs: Vec<Box<RawValue>> =
            serde_json::from_str(text).map_err(|e| StoreError::Corrupt {
                what: format!("{} is not a JSON array: {e}", keys::TOP[8]),
            })?;
        let mut dir_keys = KeyRegistry(HashMap::new());
        let model = config
            .map(|c| &c.onpremises_directories)
            .filter(|m| m.len() == dirs.len());
        for (i, d) in dirs.into_iter().enumerate() {
            let mut obj = Obj::parse(d.get(), &format!("{}[{i}]", keys::TOP[8]))?;
            let id = obj
                .string(keys::ONPREM[1])
                .map(|s| norm_id(&s))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| format!("#{i}"));
            let dir_key = dir_keys.unique(format!("dir:{id}"));
            let label = obj.string(keys::ONPREM[0]).unwrap_or_default();
            if let Some(partitions) = obj.take_array(keys::ONPREM[8], &dir_key)? {
                let mut part_keys = KeyRegistry(HashMap::new());
                for (pi, p) in partitions.into_iter().enumerate() {
                    let fields = Obj::parse(p.get(), &format!("{dir_key} partition {pi}"))?;
                    let name = fields
                        .string(keys::PARTITION[1])
                        .or_else(|| fields.string(keys::PARTITION[0]))
                        .unwrap_or_default();
                    let id = if name.is_empty() {
                        format!("#{pi}")
                    } else {
                        name.to_lowercase()
                    };
                    parts.insert(
                        PartKind::Partition,
                        Part {
                            key: part_keys.unique(format!("{dir_key}/partition:{id}")),
                            parent: dir_key.clone(),
                            ordinal: pi as i64,
                            label: name,
                            body: p.get().into(),
                        },
                    );
                }
            }
            let known = model.map(|m| [&m[i].standard_rules[..], &m[i].custom_rules[..]]);
            split_rules(
                &mut obj,
                &dir_key,
                &ONPREM_SETS,
                &keys::ONPREM,
                known,
                parts,
                rule_keys,
            )?;
            parts.insert(
                PartKind::Directory,
                Part {
                    key: dir_key,
                    parent: String::new(),
                    ordinal: i as i64,
                    label,
                    body: obj.to_text().into(),
                },
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_keeps_string_whitespace() {
        assert_eq!(
            reference::compact("{ \"a b\" : [ 1, \"x \\\" y\" ] }"),
            "{\"a b\":[1,\"x \\\" y\"]}"
        );
    }

    #[test]
    fn scanner_cuts_like_the_serde_reference() {
        let mut configs = syncpolicy_samples::samples::all();
        let opts = syncpolicy_samples::generate::GenerateOptions {
            forests: 3,
            custom_rules_per_forest: 20,
            ous_per_domain: 4,
            seed: 11,
        };
        configs.push(("generated", syncpolicy_samples::generate::generate(&opts)));
        for (name, config) in configs {
            let bytes = syncpolicy_json::write_settings(&config);
            let want = reference::split_inner(&bytes, None).unwrap();
            assert_eq!(split(&bytes).unwrap(), want, "{name}");
            assert_eq!(split_with(&bytes, &config).unwrap(), want, "{name}");
            assert_eq!(
                reference::split_inner(&bytes, Some(&config)).unwrap(),
                want,
                "{name}"
            );
        }
    }

    #[test]
    fn scanner_names_what_is_broken() {
        let err = split(br#"{"azureDirectoryPolicy": {"standardSynchronizationRules": [1, ]}}"#)
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("standardSynchronizationRules is not a JSON array"),
            "{err}"
        );
        let err = split(br#"{"azureDirectoryPolicy": {"standardRules": [1, }}"#).unwrap_err();
        assert!(err.to_string().contains("not JSON"), "{err}");
        assert!(split(b"[]").is_err());
    }

    #[test]
    fn split_since_keeps_unchanged_rules_and_cuts_changed_ones() {
        type Edit = (&'static str, fn(&mut Configuration));
        let edits: [Edit; 5] = [
            ("threshold", |c| {
                c.azure_directory.export_deletion_limit = "7".to_owned()
            }),
            ("description", |c| {
                c.onpremises_directories[0].custom_rules[0].description = "changed".to_owned();
            }),
            ("insert first", |c| {
                let r = c.onpremises_directories[0].custom_rules[1].clone();
                c.onpremises_directories[0].custom_rules.insert(0, r);
            }),
            ("remove directory", |c| {
                c.onpremises_directories.remove(0);
            }),
            ("move rule to azure", |c| {
                let r = c.onpremises_directories[0].custom_rules.remove(0);
                c.azure_directory.custom_rules.insert(0, r);
            }),
        ];
        let base = syncpolicy_samples::samples::multi_forest_custom();
        let base_parts = split_with(&syncpolicy_json::write_settings(&base), &base).unwrap();
        for (name, edit) in edits {
            let mut after = base.clone();
            edit(&mut after);
            let bytes = syncpolicy_json::write_settings(&after);
            assert_eq!(
                split_since(&bytes, &after, &base, &base_parts).unwrap(),
                split(&bytes).unwrap(),
                "{name}"
            );
        }
    }

    #[test]
    fn unique_all_gives_what_the_registry_gives() {
        let keys: Vec<String> = ["a", "b", "a", "a~2", "a", "b", "", "", "c"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let mut registry = KeyRegistry(HashMap::new());
        let one_by_one: Vec<String> = keys.iter().map(|k| registry.unique(k.clone())).collect();
        assert_eq!(unique_all(keys), one_by_one);
    }

    /// The rows a change writes when only what it touched is cut ([`split_touched`], the
    /// previous rows read only for the rules not kept and the other kinds), applied to the
    /// stored rows, are the rows of a full cut, over a sequence of edits of every kind.
    #[test]
    fn split_touched_writes_what_a_full_cut_writes() {
        type Edit = (&'static str, fn(&mut Configuration));
        let edits: [Edit; 12] = [
            ("threshold", |c| {
                c.azure_directory.export_deletion_limit = "7".to_owned()
            }),
            ("description", |c| {
                c.onpremises_directories[0].custom_rules[0].description =
                    "changed \"quoted\" \\ {x} [y]\n".to_owned();
            }),
            ("insert first", |c| {
                let r = c.onpremises_directories[0].custom_rules[1].clone();
                c.onpremises_directories[0].custom_rules.insert(0, r);
            }),
            ("same id twice", |c| {
                let r = c.onpremises_directories[1].standard_rules[2].clone();
                c.onpremises_directories[0].standard_rules.insert(1, r);
            }),
            ("remove a repeat", |c| {
                c.onpremises_directories[0].custom_rules.remove(0);
            }),
            ("move rule to azure", |c| {
                let r = c.onpremises_directories[0].custom_rules.remove(0);
                c.azure_directory.custom_rules.insert(0, r);
            }),
            ("directory id changed", |c| {
                c.onpremises_directories[0].unique_identifier =
                    "{0BADC0DE-0000-4000-8000-000000000001}".to_owned();
            }),
            ("directories reversed", |c| {
                c.onpremises_directories.reverse()
            }),
            ("rule removed at the end", |c| {
                c.onpremises_directories[1].custom_rules.pop();
            }),
            ("every rule of a list changed", |c| {
                for r in &mut c.azure_directory.standard_rules {
                    r.disabled = !r.disabled;
                }
            }),
            ("remove directory", |c| {
                c.onpremises_directories.remove(0);
            }),
            ("nothing", |_| {}),
        ];
        let mut before = syncpolicy_samples::samples::multi_forest_custom();
        let mut stored = split_with(&syncpolicy_json::write_settings(&before), &before).unwrap();
        for (name, edit) in edits {
            let mut after = before.clone();
            edit(&mut after);
            let mut bytes = Vec::new();
            let places = syncpolicy_json::write_settings_placed(&after, &mut bytes);
            let touched = split_touched(&bytes, &places, &after, &before)
                .unwrap()
                .unwrap_or_else(|| panic!("{name}: the shortcut applies to the writer's text"));
            assert_eq!(touched.old_rules, stored.count(PartKind::Rule), "{name}");
            let cut = touched.parts.count(PartKind::Rule);
            match name {
                "description" => assert_eq!(cut, 1, "{name}: only the changed rule is cut"),
                "nothing" | "threshold" => assert_eq!(cut, 0, "{name}"),
                _ => {}
            }
            let wanted: std::collections::HashSet<&str> =
                touched.old_rule_keys.iter().map(String::as_str).collect();
            let mut old = Parts::default();
            for ((kind, key), part) in &stored.map {
                if *kind != PartKind::Rule || wanted.contains(key.as_str()) {
                    old.insert(*kind, part.clone());
                }
            }
            assert_eq!(old.count(PartKind::Rule), wanted.len(), "{name}");
            let d = delta(&old, &touched.parts);
            let mut next = stored.clone();
            for (kind, key) in &d.deletes {
                next.remove(*kind, key);
            }
            for (kind, part) in &d.upserts {
                next.insert(*kind, (*part).clone());
            }
            let full = split(&bytes).unwrap();
            assert_eq!(next, full, "{name}");
            // As many rows written as a full cut writes.
            let full_delta = delta(&stored, &full);
            assert_eq!(
                (d.upserts.len(), d.deletes.len()),
                (full_delta.upserts.len(), full_delta.deletes.len()),
                "{name}"
            );
            before = after;
            stored = full;
        }
    }

    #[test]
    fn split_and_assemble_round_trip_every_sample() {
        for (name, config) in syncpolicy_samples::samples::all() {
            let bytes = syncpolicy_json::write_settings(&config);
            let parts = split(&bytes).unwrap();
            assert!(parts.count(PartKind::Rule) > 10, "{name}");
            let text = assemble(&parts).unwrap();
            let mut back = syncpolicy_json::read_settings_str(&text, name).unwrap();
            back.extension.recorded_digest = None;
            assert_eq!(syncpolicy_json::write_settings(&back), bytes, "{name}");
        }
    }

    #[test]
    fn one_rule_edit_touches_one_row() {
        let mut config = syncpolicy_samples::samples::multi_forest_custom();
        let before = split(&syncpolicy_json::write_settings(&config)).unwrap();
        assert_eq!(
            before,
            split_with(&syncpolicy_json::write_settings(&config), &config).unwrap()
        );
        config.onpremises_directories[0].custom_rules[0].description = "changed".to_owned();
        let after = split(&syncpolicy_json::write_settings(&config)).unwrap();
        let d = delta(&before, &after);
        let kinds: Vec<PartKind> = d.upserts.iter().map(|(k, _)| *k).collect();
        // The rule, plus the extension section (its digest is not stored, but nothing else).
        assert_eq!(
            kinds,
            vec![PartKind::Rule],
            "{:?}",
            d.upserts.iter().map(|(_, p)| &p.key).collect::<Vec<_>>()
        );
        assert!(d.deletes.is_empty());
    }
}
