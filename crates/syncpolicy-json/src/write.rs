//! Settings-file writer: deterministic pretty JSON (two-space indent), Microsoft's key order,
//! every known key written, unknown keys back where they were, and the extension part last
//! with a digest of the content.

use crate::digest::{DigestBuilder, DIGEST_ALGORITHM};
use crate::keys;
use crate::raw;
use crate::reuse::WriteCache;
use syncpolicy_model::config::{
    AttributeBinding, AzureDirectory, Configuration, DeploymentMetadata,
    DirectoryExtensionAttribute, ExchangeFeatures, ExportedAttributeFilter, IdentityMapping,
    MetaverseAttribute, MetaverseExtensions, MetaverseObjectType, OnPremisesDirectory, Partition,
    PolicyMetadata,
};
use syncpolicy_model::extension::{
    ConnectorExtension, Extension, HierarchyMapping, ProvisioningHierarchy, RecordedDigest,
    RunProfile, RunStep, Scheduler, EXTENSION_FORMAT_VERSION,
};
use syncpolicy_model::preserved::Preserved;
use syncpolicy_model::rule::{
    AttributeMapping, JoinCondition, RuleExtension, ScopeCondition, SyncRule,
};

/// Writes a configuration as a settings file (UTF-8, no BOM, trailing newline).
pub fn write_settings(config: &Configuration) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 * 1024);
    write_settings_to(config, &mut out);
    out
}

/// Appends a configuration as a settings file to `out`.
pub fn write_settings_to(config: &Configuration, out: &mut Vec<u8>) {
    write_with_digest(config, out);
}

/// Appends a configuration as a settings file to `out`, byte for byte as [`write_settings_to`]
/// does, and returns where each rule's text (from its `{` to after its `}`) is in `out`, in
/// the order the rules are written: the Entra section's standard then custom rules, then each
/// directory's standard then custom rules. Recording a place costs one push per rule.
pub fn write_settings_placed(
    config: &Configuration,
    out: &mut Vec<u8>,
) -> Vec<std::ops::Range<usize>> {
    let mut w = Writer::new(std::mem::take(out));
    w.places = Some(Vec::with_capacity(config.rule_count()));
    write_body(&mut w, config);
    *out = std::mem::take(&mut w.out);
    w.places.take().unwrap_or_default()
}

/// Where [`write_settings_streamed`] gives the text as it is written.
pub type Sink = Box<dyn FnMut(&[u8]) + Send>;

/// [`write_settings_placed`], also giving the text to `sink` while it is written (for a
/// large file written to disk as it is made): at the end of a rule, whenever at least `every`
/// bytes were written since the last piece, `sink` gets the new piece, and at the end the
/// rest. The pieces, in order, are what was appended to `out`.
pub fn write_settings_streamed(
    config: &Configuration,
    out: &mut Vec<u8>,
    every: usize,
    sink: Sink,
) -> Vec<std::ops::Range<usize>> {
    let mut w = Writer::new(std::mem::take(out));
    w.places = Some(Vec::with_capacity(config.rule_count()));
    w.stream = Some(Stream {
        every: every.max(1),
        given: w.out.len(),
        sink,
    });
    write_body(&mut w, config);
    if let Some(mut stream) = w.stream.take() {
        if stream.given < w.out.len() {
            (stream.sink)(&w.out[stream.given..]);
        }
    }
    *out = std::mem::take(&mut w.out);
    w.places.take().unwrap_or_default()
}

/// The text given away while it is written ([`write_settings_streamed`]).
struct Stream {
    /// Give a piece once it has at least this many bytes.
    every: usize,
    /// How much of `out` was given.
    given: usize,
    sink: Sink,
}

/// Writes a configuration as a settings file, byte for byte as [`write_settings`] does, reusing
/// from `cache` the text of every rule equal to the rule at the same place of `previous` and
/// the digest of every section whose text did not change, and recording what it wrote for
/// the next write (the text itself, shared, and where each rule and section is in it: a first
/// write costs no more than [`write_settings`]). `previous` must be the configuration `cache`
/// was last written from (its state after that write, unchanged), or `None` (then nothing is
/// reused).
pub fn write_settings_reusing(
    config: &Configuration,
    previous: Option<&Configuration>,
    cache: &mut WriteCache,
) -> std::sync::Arc<Vec<u8>> {
    let mut w = Writer::new(Vec::with_capacity(64 * 1024));
    cache.begin(config, previous);
    w.cache = Some(std::mem::take(cache));
    write_body(&mut w, config);
    match w.cache.take() {
        Some(mut used) => {
            let out = used.finish(w.out);
            *cache = used;
            out
        }
        None => std::sync::Arc::new(w.out),
    }
}

/// Appends a configuration as a settings file to `out`; returns the digest it recorded.
pub(crate) fn write_with_digest(config: &Configuration, out: &mut Vec<u8>) -> RecordedDigest {
    let mut w = Writer::new(std::mem::take(out));
    let digest = write_body(&mut w, config);
    *out = w.out;
    digest
}

/// Writes the whole settings file into `w`; returns the digest it recorded.
fn write_body(w: &mut Writer, config: &Configuration) -> RecordedDigest {
    let mut digest = DigestBuilder::new();
    w.begin(b'{');
    let p = &config.preserved;
    for (i, key) in keys::TOP.iter().enumerate().take(keys::TOP.len() - 1) {
        w.preserved_before(p, i);
        w.key(key);
        let start = w.out.len();
        section(w, config, i);
        w.digest_section(&mut digest, key, start);
    }
    w.preserved_before(p, keys::TOP.len() - 1);
    w.key(keys::EXTENSION);
    extension(w, config, &mut digest);
    w.preserved_trailing(p, keys::TOP.len());
    w.end(b'}');
    w.out.push(b'\n');
    digest.finish()
}

/// Writes top-level section `i` (an index of [`keys::TOP`], not the extension part).
fn section(w: &mut Writer, config: &Configuration, i: usize) {
    match i {
        0 => policy(w, &config.policy_metadata),
        1 => deployment(w, &config.deployment_metadata),
        2 => w.strings(&config.sign_in.tokens),
        3 => w.bool(config.password_writeback),
        4 => identity(w, &config.identity_mapping),
        5 => exchange(w, &config.exchange),
        6 => metaverse(w, &config.metaverse_extensions),
        7 => azure(w, &config.azure_directory),
        _ => w.array(&config.onpremises_directories, onprem),
    }
}

/// The digest [`write_with_digest`] records, without holding the written file: each section is
/// hashed and dropped as soon as it is written, and the directories (nearly all of a large
/// file) are written in parts on the machine's cores and hashed in order, a few parts at a time. The same result as
/// writing the file.
pub(crate) fn digest_only(config: &Configuration) -> RecordedDigest {
    let mut w = Writer::new(Vec::with_capacity(64 * 1024));
    let mut digest = DigestBuilder::new();
    w.begin(b'{');
    let p = &config.preserved;
    for (i, key) in keys::TOP.iter().enumerate().take(keys::TOP.len() - 1) {
        w.preserved_before(p, i);
        w.key(key);
        if i == 8 {
            let hasher = directories_hash(&config.onpremises_directories, w.open.len());
            digest.section_hash(key, hasher);
            continue;
        }
        w.out.clear();
        section(&mut w, config, i);
        digest.section(key, &w.out);
    }
    w.out.clear();
    w.key(keys::EXTENSION);
    extension(&mut w, config, &mut digest);
    digest.finish()
}

/// SHA-256 of the directory list as `w.array(dirs, onprem)` writes it inside `depth` open
/// containers.
fn directories_hash(dirs: &[OnPremisesDirectory], depth: usize) -> sha2::Sha256 {
    use sha2::Digest as _;
    let mut hasher = sha2::Sha256::new();
    hasher.update(b"[");
    if dirs.is_empty() {
        hasher.update(b"]");
        return hasher;
    }
    // Rounds of a few directories per core, so that what is written but not yet hashed stays
    // small: each core writes a part of the round, then the parts are hashed in order.
    let rules: usize = dirs
        .iter()
        .map(|d| d.standard_rules.len() + d.custom_rules.len() + 1)
        .sum();
    let threads = if rules < 2_000 || dirs.len() < 2 {
        1
    } else {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 4)
            .min(dirs.len())
    };
    let write_part = |first: usize, part: &[OnPremisesDirectory]| {
        // The writer's state inside the list: `depth` open containers that have items, and the
        // list itself, which has items unless this part starts it.
        let mut w = Writer::new(Vec::with_capacity(1 << 20));
        w.open = vec![true; depth];
        w.open.push(first > 0);
        for d in part {
            w.item();
            onprem(&mut w, d);
        }
        w.out
    };
    if threads == 1 {
        // One directory at a time.
        for (i, d) in dirs.iter().enumerate() {
            hasher.update(write_part(i, std::slice::from_ref(d)));
        }
    } else {
        // About 1,000 rules per part (some hundreds of KB of text).
        const RULES_PER_PART: usize = 1_000;
        let mut parts: Vec<(usize, &[OnPremisesDirectory])> = Vec::new();
        let (mut from, mut acc) = (0, 0);
        for (i, d) in dirs.iter().enumerate() {
            acc += d.standard_rules.len() + d.custom_rules.len() + 1;
            if acc >= RULES_PER_PART || i + 1 == dirs.len() {
                parts.push((from, &dirs[from..=i]));
                from = i + 1;
                acc = 0;
            }
        }
        for round in parts.chunks(threads) {
            let written: Vec<Vec<u8>> = std::thread::scope(|s| {
                let handles: Vec<_> = round[1..]
                    .iter()
                    .map(|&(first, part)| s.spawn(move || write_part(first, part)))
                    .collect();
                let mut out = vec![write_part(round[0].0, round[0].1)];
                // A writer thread cannot fail but by a bug; its part is then written here.
                for (h, &(first, part)) in handles.into_iter().zip(&round[1..]) {
                    out.push(h.join().unwrap_or_else(|_| write_part(first, part)));
                }
                out
            });
            for bytes in &written {
                hasher.update(bytes);
            }
        }
    }
    hasher.update(b"\n");
    for _ in 0..depth {
        hasher.update(b"  ");
    }
    hasher.update(b"]");
    hasher
}

/// A pretty JSON writer with a stack of open containers.
pub(crate) struct Writer {
    pub(crate) out: Vec<u8>,
    /// One entry per open container: true once it has an item.
    open: Vec<bool>,
    /// What an earlier write left to reuse ([`write_settings_reusing`]).
    cache: Option<WriteCache>,
    /// Where each rule was written, when asked for ([`write_settings_placed`]).
    places: Option<Vec<std::ops::Range<usize>>>,
    /// Where the text goes as it is written, when asked for ([`write_settings_streamed`]).
    stream: Option<Stream>,
}

impl Writer {
    pub(crate) fn new(out: Vec<u8>) -> Self {
        Writer {
            out,
            open: Vec::with_capacity(16),
            cache: None,
            places: None,
            stream: None,
        }
    }

    /// Records the digest of the section written from `start` (from the cache when the
    /// section's text is what it was last time).
    fn digest_section(&mut self, digest: &mut DigestBuilder, name: &str, start: usize) {
        match self.cache.as_mut() {
            Some(cache) => {
                let hex = cache.section_digest(name, &self.out, start);
                digest.section_hex(name, hex);
            }
            None => digest.section(name, &self.out[start..]),
        }
    }

    fn newline(&mut self) {
        self.out.push(b'\n');
        for _ in 0..self.open.len() {
            self.out.extend_from_slice(b"  ");
        }
    }

    fn begin(&mut self, bracket: u8) {
        self.out.push(bracket);
        self.open.push(false);
    }

    fn end(&mut self, bracket: u8) {
        let had_items = self.open.pop().unwrap_or(false);
        if had_items {
            self.newline();
        }
        self.out.push(bracket);
    }

    /// Starts a new item in the current container (comma, newline, indent).
    fn item(&mut self) {
        if let Some(has) = self.open.last_mut() {
            if *has {
                self.out.push(b',');
            }
            *has = true;
        }
        self.newline();
    }

    fn key(&mut self, key: &str) {
        self.item();
        self.string(key);
        self.out.extend_from_slice(b": ");
    }

    fn string(&mut self, s: &str) {
        write_json_string(&mut self.out, s);
    }

    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.string(s),
            None => self.out.extend_from_slice(b"null"),
        }
    }

    fn bool(&mut self, b: bool) {
        self.out
            .extend_from_slice(if b { b"true" as &[u8] } else { b"false" });
    }

    fn opt_bool(&mut self, b: Option<bool>) {
        match b {
            Some(b) => self.bool(b),
            None => self.out.extend_from_slice(b"null"),
        }
    }

    fn int(&mut self, n: i64) {
        let mut buf = itoa_buf(n);
        self.out.append(&mut buf);
    }

    fn strings(&mut self, items: &[String]) {
        self.begin(b'[');
        for s in items {
            self.item();
            self.string(s);
        }
        self.end(b']');
    }

    fn opt_strings(&mut self, items: Option<&[String]>) {
        match items {
            Some(items) => self.strings(items),
            None => self.out.extend_from_slice(b"null"),
        }
    }

    fn array<T>(&mut self, items: &[T], mut each: impl FnMut(&mut Writer, &T)) {
        self.begin(b'[');
        for item in items {
            self.item();
            each(self, item);
        }
        self.end(b']');
    }

    fn raw(&mut self, raw_json: &str) {
        let indent = self.open.len();
        raw::write_pretty(raw_json, indent, &mut self.out);
    }

    fn preserved_before(&mut self, p: &Preserved, index: usize) {
        for f in p.before(index) {
            self.key(&f.key);
            self.raw(&f.raw);
        }
    }

    fn preserved_trailing(&mut self, p: &Preserved, count: usize) {
        for f in p.trailing(count) {
            self.key(&f.key);
            self.raw(&f.raw);
        }
    }

    /// Writes an object whose keys come from `table`, with preserved fields in place.
    fn object(&mut self, table: &[&str], p: &Preserved, mut field: impl FnMut(&mut Writer, usize)) {
        self.begin(b'{');
        for (i, key) in table.iter().enumerate() {
            self.preserved_before(p, i);
            self.key(key);
            field(self, i);
        }
        self.preserved_trailing(p, table.len());
        self.end(b'}');
    }
}

fn itoa_buf(n: i64) -> Vec<u8> {
    n.to_string().into_bytes()
}

/// Writes a JSON string literal: quotes, backslash and control characters escaped, all
/// other characters as UTF-8.
pub(crate) fn write_json_string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: Option<&[u8]> = match b {
            b'"' => Some(b"\\\""),
            b'\\' => Some(b"\\\\"),
            b'\n' => Some(b"\\n"),
            b'\r' => Some(b"\\r"),
            b'\t' => Some(b"\\t"),
            0x08 => Some(b"\\b"),
            0x0c => Some(b"\\f"),
            0..=0x1f => None,
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        match escape {
            Some(e) => out.extend_from_slice(e),
            None => out.extend_from_slice(format!("\\u{b:04x}").as_bytes()),
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

fn policy(w: &mut Writer, v: &PolicyMetadata) {
    w.object(&keys::POLICY_METADATA, &v.preserved, |w, i| match i {
        0 => w.string(&v.policy_type),
        1 => w.opt_str(v.author.as_deref()),
        2 => w.opt_str(v.time_created.as_deref()),
        3 => w.opt_str(v.product_version.as_deref()),
        _ => w.opt_str(v.policy_schema_version.as_deref()),
    });
}

fn deployment(w: &mut Writer, v: &DeploymentMetadata) {
    w.object(&keys::DEPLOYMENT_METADATA, &v.preserved, |w, i| match i {
        0 => w.opt_str(v.host_name.as_deref()),
        1 => w.string(&v.service_account),
        2 => w.string(&v.service_account_type),
        3 => w.opt_str(v.database_type.as_deref()),
        4 => w.string(&v.database_server),
        5 => w.string(&v.database_instance),
        6 => w.string(&v.database_name),
        7 => w.string(&v.auto_upgrade_state),
        _ => w.opt_strings(v.connector_ids.as_deref()),
    });
}

fn identity(w: &mut Writer, v: &IdentityMapping) {
    w.object(&keys::IDENTITY_MAPPING, &v.preserved, |w, i| match i {
        0 => w.opt_str(v.source_anchor_attribute.as_deref()),
        1 => w.opt_str(v.user_principal_name_attribute.as_deref()),
        2 => w.opt_str(v.user_matching_policy.as_deref()),
        _ => w.string(&v.user_matching_attribute),
    });
}

fn exchange(w: &mut Writer, v: &ExchangeFeatures) {
    w.object(&keys::EXCHANGE, &v.preserved, |w, i| match i {
        0 => w.bool(v.hybrid_deployment),
        _ => w.bool(v.mail_public_folders),
    });
}

fn metaverse(w: &mut Writer, v: &MetaverseExtensions) {
    w.object(&keys::METAVERSE, &v.preserved, |w, i| match i {
        0 => w.array(&v.attributes, mv_attribute),
        _ => w.array(&v.object_types, mv_object_type),
    });
}

fn mv_attribute(w: &mut Writer, v: &MetaverseAttribute) {
    w.object(&keys::MV_ATTRIBUTE, &v.preserved, |w, i| match i {
        0 => w.opt_str(v.name.as_deref()),
        1 => w.opt_str(v.data_type.as_deref()),
        2 => w.bool(v.multi_valued),
        3 => w.bool(v.encrypted),
        4 => w.bool(v.indexed),
        5 => w.bool(v.indexable),
        6 => w.string(&v.supported_operations),
        7 => w.opt_str(v.sql_metadata.as_deref()),
        _ => w.opt_str(v.syntax_metadata.as_deref()),
    });
}

fn mv_object_type(w: &mut Writer, v: &MetaverseObjectType) {
    w.object(&keys::MV_OBJECT_TYPE, &v.preserved, |w, i| match i {
        0 => w.opt_str(v.name.as_deref()),
        1 => w.string(&v.class_type),
        2 => w.bool(v.locked),
        _ => w.array(&v.attribute_bindings, mv_binding),
    });
}

fn mv_binding(w: &mut Writer, v: &AttributeBinding) {
    w.object(&keys::MV_BINDING, &v.preserved, |w, i| match i {
        0 => w.opt_str(v.name.as_deref()),
        1 => w.bool(v.is_anchor),
        2 => w.bool(v.is_locked),
        _ => w.bool(v.is_required),
    });
}

fn azure(w: &mut Writer, v: &AzureDirectory) {
    w.object(&keys::AZURE, &v.preserved, |w, i| match i {
        0 => w.opt_str(v.administrator.as_deref()),
        1 => w.opt_str(v.tenant_id.as_deref()),
        2 => w.string(&v.export_deletion_limit),
        3 => w.array(&v.directory_extensions, directory_extension),
        4 => exported_attributes(w, &v.exported_attributes),
        5 => w.array(&v.standard_rules, rule),
        _ => w.array(&v.custom_rules, rule),
    });
}

fn directory_extension(w: &mut Writer, v: &DirectoryExtensionAttribute) {
    w.object(&keys::DIRECTORY_EXTENSION, &v.preserved, |w, i| match i {
        0 => w.opt_str(v.attribute.as_deref()),
        1 => w.opt_str(v.object_class.as_deref()),
        2 => w.opt_str(v.data_type.as_deref()),
        _ => w.bool(v.multi_valued),
    });
}

fn exported_attributes(w: &mut Writer, v: &ExportedAttributeFilter) {
    w.object(&keys::EXPORTED_ATTRIBUTES, &v.preserved, |w, i| match i {
        0 => w.strings(&v.application_restrictions),
        _ => w.strings(&v.excluded_attributes),
    });
}

fn onprem(w: &mut Writer, v: &OnPremisesDirectory) {
    w.object(&keys::ONPREM, &v.preserved, |w, i| match i {
        0 => w.string(&v.name),
        1 => w.string(&v.unique_identifier),
        2 => w.opt_str(v.forest.as_deref()),
        3 => w.opt_str(v.account.as_deref()),
        4 => w.string(&v.group_filtering_dn),
        5 => w.string(&v.group_writeback_dn),
        6 => w.bool(v.format_group_writeback_dn),
        7 => w.string(&v.device_writeback_dn),
        8 => w.array(&v.partitions, partition),
        9 => w.array(&v.standard_rules, rule),
        _ => w.array(&v.custom_rules, rule),
    });
}

fn partition(w: &mut Writer, v: &Partition) {
    w.object(&keys::PARTITION, &v.preserved, |w, i| match i {
        0 => w.opt_str(v.fqdn.as_deref()),
        1 => w.opt_str(v.distinguished_name.as_deref()),
        2 => w.bool(v.selected),
        3 => w.strings(&v.preferred_controllers),
        4 => w.strings(&v.connectivity_options),
        5 => w.strings(&v.inclusions),
        _ => w.strings(&v.exclusions),
    });
}

fn rule(w: &mut Writer, v: &SyncRule) {
    let Some(mut cache) = w.cache.take() else {
        let start = w.out.len();
        rule_text(w, v);
        let end = w.out.len();
        if let Some(places) = w.places.as_mut() {
            places.push(start..end);
        }
        if let Some(stream) = w.stream.as_mut() {
            if end - stream.given >= stream.every {
                (stream.sink)(&w.out[stream.given..end]);
                stream.given = end;
            }
        }
        return;
    };
    // A rule's text depends only on the rule and the depth it is written at: the writer
    // state it starts from is that depth (the item's comma and newline are written before).
    let depth = w.open.len();
    let mut out = std::mem::take(&mut w.out);
    cache.rule(&mut out, depth, |out| {
        w.out = std::mem::take(out);
        rule_text(w, v);
        *out = std::mem::take(&mut w.out);
    });
    w.out = out;
    w.cache = Some(cache);
}

fn rule_text(w: &mut Writer, v: &SyncRule) {
    w.object(&keys::RULE, &v.preserved, |w, i| match i {
        0 => w.opt_str(v.name.as_deref()),
        1 => w.opt_str(v.unique_identifier.as_deref()),
        2 => w.string(&v.internal_identifier),
        3 => w.string(&v.description),
        4 => w.opt_str(v.source_object_type.as_deref()),
        5 => w.opt_str(v.target_object_type.as_deref()),
        6 => w.opt_str(v.link_type.as_ref().map(|l| l.as_str())),
        7 => w.opt_str(v.immutable_tag.as_deref()),
        8 => w.bool(v.disabled),
        9 => w.opt_str(v.direction.as_ref().map(|d| d.as_str())),
        10 => w.int(i64::from(v.precedence)),
        11 => w.bool(v.password_hash_sync_target),
        12 => groups(w, &v.join_groups, join),
        13 => groups(w, &v.scope_groups, scope),
        _ => w.array(&v.mappings, mapping),
    });
}

fn groups<T>(w: &mut Writer, groups: &[Vec<T>], each: fn(&mut Writer, &T)) {
    w.begin(b'[');
    for g in groups {
        w.item();
        w.array(g, each);
    }
    w.end(b']');
}

fn join(w: &mut Writer, v: &JoinCondition) {
    w.object(&keys::JOIN, &v.preserved, |w, i| match i {
        0 => w.opt_str(v.source.as_deref()),
        1 => w.opt_str(v.destination.as_deref()),
        _ => w.bool(v.case_sensitive),
    });
}

fn scope(w: &mut Writer, v: &ScopeCondition) {
    w.object(&keys::SCOPE, &v.preserved, |w, i| match i {
        0 => w.opt_str(v.attribute.as_deref()),
        1 => w.opt_str(v.operator.as_ref().map(|o| o.as_str())),
        _ => w.string(&v.value),
    });
}

fn mapping(w: &mut Writer, v: &AttributeMapping) {
    w.object(&keys::MAPPING, &v.preserved, |w, i| match i {
        0 => w.opt_str(v.flow_type.as_ref().map(|f| f.as_str())),
        1 => w.string(v.merge_type.as_str()),
        2 => w.bool(v.execute_once),
        3 => w.opt_str(v.destination.as_deref()),
        4 => w.string(&v.source),
        5 => w.string(&v.expression),
        _ => w.string(&v.value),
    });
}

// ---------------------------------------------------------------------------------------
// The extension part.

fn extension(w: &mut Writer, config: &Configuration, digest: &mut DigestBuilder) {
    let ext: &Extension = &config.extension;
    let p = &ext.preserved;
    w.begin(b'{');
    let start = w.out.len();
    for (i, key) in keys::EXT.iter().enumerate() {
        w.preserved_before(p, i);
        if i == keys::EXT.len() - 1 {
            // The digest covers everything before it, so it comes last.
            w.preserved_trailing(p, keys::EXT.len());
            w.digest_section(digest, keys::EXTENSION, start);
            w.key(key);
            digest_object(w, digest);
            break;
        }
        if i == ACCEPTED && ext.accepted_findings.is_empty() {
            // Written only when there are any, so files without them keep their bytes.
            continue;
        }
        w.key(key);
        match i {
            0 => w.int(i64::from(EXTENSION_FORMAT_VERSION)),
            1 => w.opt_bool(ext.staging_mode),
            2 => match &ext.scheduler {
                Some(s) => scheduler(w, s),
                None => w.out.extend_from_slice(b"null"),
            },
            3 => w.strings(&ext.connector_order),
            4 => {
                let a = &config.azure_directory;
                if a.connector_id.is_none() && a.connector.is_empty() {
                    w.out.extend_from_slice(b"null");
                } else {
                    connector(w, a.connector_id.as_deref(), None, &a.connector);
                }
            }
            5 => {
                w.begin(b'[');
                for d in &config.onpremises_directories {
                    if !d.connector.is_empty() {
                        w.item();
                        connector(w, Some(&d.unique_identifier), Some(&d.name), &d.connector);
                    }
                }
                for raw_entry in &ext.orphaned_connector_entries {
                    w.item();
                    w.raw(raw_entry);
                }
                w.end(b']');
            }
            6 => rule_entries(w, config),
            ACCEPTED => w.array(&ext.accepted_findings, |w, a| {
                w.object(&keys::EXT_ACCEPTED, &a.preserved, |w, i| match i {
                    0 => w.string(&a.code),
                    1 => w.opt_str(a.rule.as_deref()),
                    2 => w.string(&a.reason),
                    3 => w.opt_str(a.accepted_by.as_deref()),
                    _ => w.opt_str(a.accepted_at.as_deref()),
                });
            }),
            _ => w.array(&ext.global_parameters, |w, gp| {
                name_value(w, &gp.name, &gp.value);
            }),
        }
    }
    w.end(b'}');
}

/// Index of `acceptedFindings` in [`keys::EXT`].
const ACCEPTED: usize = 8;

fn digest_object(w: &mut Writer, digest: &DigestBuilder) {
    w.begin(b'{');
    w.key(keys::EXT_DIGEST[0]);
    w.string(DIGEST_ALGORITHM);
    w.key(keys::EXT_DIGEST[1]);
    w.string(&digest.content());
    w.key(keys::EXT_DIGEST[2]);
    w.begin(b'{');
    for (name, hex) in digest.sections() {
        w.key(name);
        w.string(hex);
    }
    w.end(b'}');
    w.end(b'}');
}

fn name_value(w: &mut Writer, name: &str, value: &str) {
    w.begin(b'{');
    w.key(keys::EXT_PARAMETER[0]);
    w.string(name);
    w.key(keys::EXT_PARAMETER[1]);
    w.string(value);
    w.end(b'}');
}

fn scheduler(w: &mut Writer, v: &Scheduler) {
    w.object(&keys::EXT_SCHEDULER, &v.preserved, |w, i| match i {
        0 => w.opt_str(v.sync_interval.as_deref()),
        1 => w.opt_bool(v.enabled),
        2 => w.opt_bool(v.maintenance_enabled),
        _ => w.opt_str(v.purge_run_history_interval.as_deref()),
    });
}

fn connector(w: &mut Writer, id: Option<&str>, friendly: Option<&str>, v: &ConnectorExtension) {
    w.object(&keys::EXT_CONNECTOR, &v.preserved, |w, i| match i {
        0 => w.opt_str(id),
        1 => w.opt_str(friendly),
        2 => w.opt_str(v.name.as_deref()),
        3 => w.opt_strings(v.object_types.as_deref()),
        4 => w.opt_strings(v.attribute_inclusions.as_deref()),
        5 => w.array(&v.run_profiles, run_profile),
        _ => match &v.provisioning_hierarchy {
            Some(h) => hierarchy(w, h),
            None => w.out.extend_from_slice(b"null"),
        },
    });
}

fn run_profile(w: &mut Writer, v: &RunProfile) {
    w.object(&keys::EXT_RUN_PROFILE, &v.preserved, |w, i| match i {
        0 => w.string(&v.name),
        _ => w.array(&v.steps, run_step),
    });
}

fn run_step(w: &mut Writer, v: &RunStep) {
    w.object(&keys::EXT_RUN_STEP, &v.preserved, |w, i| match i {
        0 => w.string(&v.step_type),
        1 => w.string(&v.partition),
        _ => w.array(&v.settings, |w, (n, val)| name_value(w, n, val)),
    });
}

fn hierarchy(w: &mut Writer, v: &ProvisioningHierarchy) {
    w.object(&keys::EXT_HIERARCHY, &v.preserved, |w, i| match i {
        0 => w.bool(v.enabled),
        _ => w.array(&v.mappings, hierarchy_mapping),
    });
}

fn hierarchy_mapping(w: &mut Writer, v: &HierarchyMapping) {
    w.object(&keys::EXT_HIERARCHY_MAPPING, &v.preserved, |w, i| match i {
        0 => w.string(&v.component),
        1 => w.string(&v.object_class),
        _ => w.string(&v.attribute),
    });
}

fn rule_entries(w: &mut Writer, config: &Configuration) {
    w.begin(b'[');
    for (at, r) in config.rules() {
        if r.extension == RuleExtension::default() {
            continue;
        }
        w.item();
        let id = r
            .unique_identifier
            .as_deref()
            .filter(|s| !s.trim().is_empty());
        let at_path = if id.is_none() {
            Some(crate::paths::rule(at))
        } else {
            None
        };
        rule_entry(
            w,
            id,
            at_path.as_deref(),
            &r.extension,
            &Preserved::default(),
        );
    }
    for raw_entry in &config.extension.orphaned_rule_entries {
        w.item();
        w.raw(raw_entry);
    }
    w.end(b']');
}

fn rule_entry(
    w: &mut Writer,
    id: Option<&str>,
    at: Option<&str>,
    v: &RuleExtension,
    p: &Preserved,
) {
    w.object(&keys::EXT_RULE, p, |w, i| match i {
        0 => w.opt_str(id),
        1 => w.opt_str(at),
        2 => w.opt_str(v.connector_id.as_deref()),
        3 => w.opt_str(v.precedence_before.as_deref()),
        4 => w.opt_str(v.precedence_after.as_deref()),
        _ => w.opt_str(v.soft_delete_expiry_interval.as_deref()),
    });
}

/// A connector entry as compact JSON (kept when its directory is not in the file).
pub(crate) fn connector_entry_json(
    id: Option<&str>,
    friendly: Option<&str>,
    v: &ConnectorExtension,
) -> String {
    let mut w = Writer::new(Vec::new());
    connector(&mut w, id, friendly, v);
    raw::compact(&String::from_utf8_lossy(&w.out))
}

/// A rule entry as compact JSON (kept when its rule is not in the file).
pub(crate) fn rule_entry_json(
    id: Option<&str>,
    at: Option<&str>,
    v: &RuleExtension,
    p: &Preserved,
) -> String {
    let mut w = Writer::new(Vec::new());
    rule_entry(&mut w, id, at, v, p);
    raw::compact(&String::from_utf8_lossy(&w.out))
}

/// Writes one rule in the settings-file rule shape (pretty JSON with a final newline), as
/// `syncpolicy rule show --format json` prints it and `rule add --file` reads it.
pub fn write_rule(v: &SyncRule) -> String {
    let mut w = Writer::new(Vec::new());
    rule(&mut w, v);
    w.out.push(b'\n');
    String::from_utf8_lossy(&w.out).into_owned()
}
