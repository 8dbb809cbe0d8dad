//! Semantic, identity-aware comparison of two configurations.
//!
//! [`diff`] pairs the items of two [`Configuration`]s with the model's identity keys
//! (`syncpolicy_model::identity`), compares them field by field and returns a [`Diff`]: a list
//! of [`Change`]s, each with a readable path, the JSON path in the settings file, an [`Area`],
//! a [`ChangeKind`] and a [`ChangeClass`]. Collections declare whether order matters (only
//! precedence, preferred domain controllers, run-profile steps and connector run order do);
//! scope and join groups are sets of sets, OU lists sets. Identifiers (GUIDs) are regenerated
//! on every server, so a changed identifier alone is not a change: those go to
//! [`Diff::identifiers`], shown on request. Every tricky case is recorded in
//! `docs/diff-cases.md`. No I/O.

mod engine;
mod groups;
mod render;
mod rules;
pub mod words;

use serde::Serialize;
use syncpolicy_model::config::Configuration;

/// Options of a comparison.
#[derive(Debug, Clone, Default)]
pub struct DiffOptions {
    /// Explicit directory pairings (`--map OLD=NEW`): each side is a directory name
    /// (case-insensitive) or its identifier (GUID) in the old and new configuration.
    pub directory_map: Vec<(String, String)>,
    /// Also collect identifier-only differences into [`Diff::identifiers`].
    pub show_ids: bool,
}

/// Where a change sits, for grouping and filtering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Area {
    /// Policy and deployment metadata (who, when, which host and version), file structure.
    Metadata,
    /// Sign-in method and options.
    SignIn,
    /// Source anchor, user principal name, user matching.
    IdentityMapping,
    /// Password writeback, Exchange hybrid, mail public folders.
    Features,
    /// Metaverse schema extensions.
    MetaverseSchema,
    /// The Entra directory: tenant, deletion threshold, directory extensions, app filter.
    EntraDirectory,
    /// On-premises directories: which exist, forest, account, writeback and filtering DNs.
    Directories,
    /// Domain partitions and their OU filters.
    Partitions,
    /// Synchronization rules.
    Rules,
    /// Connector settings kept by syncpolicy: object types, attributes, run profiles.
    Connectors,
    /// Server settings kept by syncpolicy: staging mode, scheduler, run order, parameters.
    Server,
    /// Fields this version does not know, kept verbatim.
    Other,
}

impl Area {
    /// Every area, in display order.
    pub const ALL: &'static [Area] = &[
        Area::Metadata,
        Area::SignIn,
        Area::IdentityMapping,
        Area::Features,
        Area::MetaverseSchema,
        Area::EntraDirectory,
        Area::Directories,
        Area::Partitions,
        Area::Rules,
        Area::Connectors,
        Area::Server,
        Area::Other,
    ];

    /// Stable kebab-case name (the JSON spelling).
    pub fn as_str(&self) -> &'static str {
        match self {
            Area::Metadata => "metadata",
            Area::SignIn => "sign-in",
            Area::IdentityMapping => "identity-mapping",
            Area::Features => "features",
            Area::MetaverseSchema => "metaverse-schema",
            Area::EntraDirectory => "entra-directory",
            Area::Directories => "directories",
            Area::Partitions => "partitions",
            Area::Rules => "rules",
            Area::Connectors => "connectors",
            Area::Server => "server",
            Area::Other => "other",
        }
    }

    /// A heading for people.
    pub fn label(&self) -> &'static str {
        match self {
            Area::Metadata => "Metadata",
            Area::SignIn => "Sign-in",
            Area::IdentityMapping => "Identity mapping",
            Area::Features => "Features",
            Area::MetaverseSchema => "Metaverse schema",
            Area::EntraDirectory => "Entra directory",
            Area::Directories => "On-premises directories",
            Area::Partitions => "Partitions and OU filters",
            Area::Rules => "Synchronization rules",
            Area::Connectors => "Connector settings",
            Area::Server => "Server settings",
            Area::Other => "Other fields",
        }
    }
}

/// What happened to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    Added,
    Removed,
    Modified,
    /// The same item under another name (paired by identifier, tag, or `--map`).
    Renamed,
    /// Moved in precedence (order that means something).
    Moved,
}

impl ChangeKind {
    /// Stable name (the JSON spelling).
    pub fn as_str(&self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Modified => "modified",
            ChangeKind::Renamed => "renamed",
            ChangeKind::Moved => "moved",
        }
    }

    /// The one-character marker of text output: `+`, `-` or `~`.
    pub fn marker(&self) -> char {
        match self {
            ChangeKind::Added => '+',
            ChangeKind::Removed => '-',
            ChangeKind::Modified | ChangeKind::Renamed | ChangeKind::Moved => '~',
        }
    }
}

/// Who made a change: a person, the product, or nobody that matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeClass {
    /// What a person changed.
    Configuration,
    /// What an upgrade or a connector addition changed: standard-rule tag versions and
    /// precedence renumbering, and content changes of standard rules whose tag version moved.
    Product,
    /// Policy and deployment metadata (time, author, host, version, database, service
    /// account) and the recorded digest.
    Metadata,
}

impl ChangeClass {
    /// Stable name (the JSON spelling).
    pub fn as_str(&self) -> &'static str {
        match self {
            ChangeClass::Configuration => "configuration",
            ChangeClass::Product => "product",
            ChangeClass::Metadata => "metadata",
        }
    }
}

/// What kind of value a change's `old` and `new` texts hold, from the model: JSON output
/// writes a flag as a boolean, a count or precedence as a number and a kept unknown field as
/// the JSON value it is, and every other value as text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum ValueType {
    /// Text (names, DNs, expressions, lists shown as text, whole items).
    #[default]
    Text,
    /// A flag: `true` or `false` (or `(not recorded)` when the source did not record it).
    Boolean,
    /// A whole number (precedence, format version, deletion threshold).
    Number,
    /// The JSON text of a kept unknown field.
    Json,
}

/// One difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Readable path: the item, then the field, separated by ` / `, e.g.
    /// `contoso.com / rule 'In from AD - User Join' (Inbound) / scope group 1 / clause 2`.
    pub path: String,
    /// JSON path in the settings file: in the new file, or the old one for a removed item.
    pub json_path: Option<String>,
    pub area: Area,
    pub kind: ChangeKind,
    pub class: ChangeClass,
    /// The old value (`None`: absent or not set). Multi-line for a whole added/removed item.
    pub old: Option<String>,
    /// The new value (`None`: absent or not set).
    pub new: Option<String>,
    /// The changed item (the path without the field): field changes of one item share it.
    pub item: String,
    /// The field of the item, when the change is to a field.
    pub field: Option<String>,
    /// True when the change concerns a standard (out-of-box) rule.
    pub standard_rule: bool,
    /// Further lines, e.g. each rule of a grouped product entry.
    pub details: Vec<String>,
    /// The type of `old` and `new` in the model.
    pub value_type: ValueType,
}

/// One side of a change in JSON: typed by [`ValueType`] when the text is of that type (a flag
/// that was not recorded stays text), `null` when absent.
struct TypedValue<'a>(Option<&'a str>, ValueType);

impl Serialize for TypedValue<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Some(text) = self.0 else {
            return s.serialize_none();
        };
        match self.1 {
            ValueType::Boolean => match text {
                "true" => return s.serialize_bool(true),
                "false" => return s.serialize_bool(false),
                _ => {}
            },
            ValueType::Number => {
                if let Ok(n) = text.trim().parse::<i64>() {
                    return s.serialize_i64(n);
                }
            }
            ValueType::Json => {
                if let Ok(raw) = serde_json::from_str::<&serde_json::value::RawValue>(text) {
                    return raw.serialize(s);
                }
            }
            ValueType::Text => {}
        }
        s.serialize_str(text)
    }
}

/// The JSON form of a change (schema `syncpolicy-diff/2`, docs/json-output.md): identity
/// (path, JSON path), classification, the typed values, then the path split and details.
impl Serialize for Change {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Change", 11)?;
        st.serialize_field("path", &self.path)?;
        st.serialize_field("jsonPath", &self.json_path)?;
        st.serialize_field("area", &self.area)?;
        st.serialize_field("kind", &self.kind)?;
        st.serialize_field("class", &self.class)?;
        st.serialize_field("old", &TypedValue(self.old.as_deref(), self.value_type))?;
        st.serialize_field("new", &TypedValue(self.new.as_deref(), self.value_type))?;
        st.serialize_field("item", &self.item)?;
        st.serialize_field("field", &self.field)?;
        st.serialize_field("standardRule", &self.standard_rule)?;
        st.serialize_field("details", &self.details)?;
        st.end()
    }
}

/// How two directories were paired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PairingHow {
    /// Same connector identifier.
    Identifier,
    /// Same name and forest.
    NameAndForest,
    /// Same name (case-insensitive).
    Name,
    /// Given with `--map`.
    Mapped,
    /// The only unpaired directory on each side: proposed, confirm with `--map`.
    Proposed,
}

impl PairingHow {
    /// Stable name (the JSON spelling).
    pub fn as_str(&self) -> &'static str {
        match self {
            PairingHow::Identifier => "identifier",
            PairingHow::NameAndForest => "name-and-forest",
            PairingHow::Name => "name",
            PairingHow::Mapped => "mapped",
            PairingHow::Proposed => "proposed",
        }
    }
}

/// Two on-premises directories treated as the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pairing {
    /// Name in the old configuration.
    pub old: String,
    /// Name in the new configuration.
    pub new: String,
    pub old_identifier: String,
    pub new_identifier: String,
    pub how: PairingHow,
}

/// Counts of changes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    pub total: usize,
    pub added: usize,
    pub removed: usize,
    pub modified: usize,
    pub renamed: usize,
    pub moved: usize,
    pub configuration: usize,
    pub product: usize,
    pub metadata: usize,
}

/// Which classes to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filter {
    /// Keep product changes (`--hide-product` turns this off).
    pub product: bool,
    /// Keep metadata changes (`--all` turns this on).
    pub metadata: bool,
}

impl Default for Filter {
    /// What a reviewer sees by default: configuration and product changes, no metadata.
    fn default() -> Self {
        Filter {
            product: true,
            metadata: false,
        }
    }
}

impl Filter {
    /// Everything.
    pub fn all() -> Self {
        Filter {
            product: true,
            metadata: true,
        }
    }

    /// True when a change of this class is kept.
    pub fn keeps(&self, class: ChangeClass) -> bool {
        match class {
            ChangeClass::Configuration => true,
            ChangeClass::Product => self.product,
            ChangeClass::Metadata => self.metadata,
        }
    }
}

/// The result of a comparison.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diff {
    /// The changes, ordered by area, then in the order of the new configuration.
    pub changes: Vec<Change>,
    /// Directory pairings used (every paired on-premises directory, and how).
    pub pairings: Vec<Pairing>,
    /// Identifier-only differences (regenerated GUIDs): not changes; collected only with
    /// [`DiffOptions::show_ids`].
    pub identifiers: Vec<Change>,
    /// Changes removed by [`Diff::filtered`], by class.
    pub hidden: Counts,
    /// `--map` entries that named no directory (also rejected by [`check_options`]).
    pub unresolved_maps: Vec<String>,
}

impl Diff {
    /// True when there is no change (identifier-only differences do not count).
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Counts of the changes by kind and class.
    pub fn counts(&self) -> Counts {
        count(&self.changes)
    }

    /// The diff with only the changes the filter keeps; the rest are counted in `hidden`.
    pub fn filtered(&self, filter: &Filter) -> Diff {
        let (kept, dropped): (Vec<&Change>, Vec<&Change>) =
            self.changes.iter().partition(|c| filter.keeps(c.class));
        let dropped: Vec<Change> = dropped.into_iter().cloned().collect();
        let mut hidden = count(&dropped);
        add_counts(&mut hidden, &self.hidden);
        Diff {
            changes: kept.into_iter().cloned().collect(),
            pairings: self.pairings.clone(),
            identifiers: self.identifiers.clone(),
            hidden,
            unresolved_maps: self.unresolved_maps.clone(),
        }
    }

    /// Number of changes of a class.
    pub fn count_class(&self, class: ChangeClass) -> usize {
        self.changes.iter().filter(|c| c.class == class).count()
    }

    /// Number of changes of a kind.
    pub fn count_kind(&self, kind: ChangeKind) -> usize {
        self.changes.iter().filter(|c| c.kind == kind).count()
    }
}

fn count(changes: &[Change]) -> Counts {
    let mut n = Counts::default();
    for c in changes {
        n.total += 1;
        match c.kind {
            ChangeKind::Added => n.added += 1,
            ChangeKind::Removed => n.removed += 1,
            ChangeKind::Modified => n.modified += 1,
            ChangeKind::Renamed => n.renamed += 1,
            ChangeKind::Moved => n.moved += 1,
        }
        match c.class {
            ChangeClass::Configuration => n.configuration += 1,
            ChangeClass::Product => n.product += 1,
            ChangeClass::Metadata => n.metadata += 1,
        }
    }
    n
}

fn add_counts(a: &mut Counts, b: &Counts) {
    a.total += b.total;
    a.added += b.added;
    a.removed += b.removed;
    a.modified += b.modified;
    a.renamed += b.renamed;
    a.moved += b.moved;
    a.configuration += b.configuration;
    a.product += b.product;
    a.metadata += b.metadata;
}

/// A `--map` entry that names no directory.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--map {entry}: {problem}\nhint: {hint}")]
pub struct MapError {
    /// The entry as given, `OLD=NEW`.
    pub entry: String,
    /// What is wrong.
    pub problem: String,
    /// What to do (lists the directory names of the side concerned).
    pub hint: String,
}

/// Checks the options against the two configurations: every `--map` entry must name an
/// on-premises directory (by name or identifier) on each side, each directory at most once.
pub fn check_options(
    old: &Configuration,
    new: &Configuration,
    options: &DiffOptions,
) -> Result<(), MapError> {
    engine::resolve_map(old, new, &options.directory_map).map(|_| ())
}

/// Compares two configurations.
pub fn diff(old: &Configuration, new: &Configuration, options: &DiffOptions) -> Diff {
    engine::run(old, new, options)
}

/// Renders a rule as readable multi-line text (header, scope, joins, mappings): the value of
/// an added or removed rule, for side-by-side views.
pub fn render_rule(rule: &syncpolicy_model::rule::SyncRule) -> String {
    render::rule(rule)
}
