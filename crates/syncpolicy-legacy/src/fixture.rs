//! Fixture generator: turns a model into a legacy export folder in the shapes Microsoft's
//! tools really write, for round-trip tests, the end-to-end tests and the benchmark.
//!
//! The files follow the documented structure (entra-connect-formats.md §3–§4): connector `<id>`
//! in uppercase with braces, rule `<connector>` references in lowercase with braces, a DSML
//! schema of the requested size in the element density of an AD forest's schema (attribute
//! types and classes with their attribute references), and the noise a real export carries
//! (creation times, cookies, last DC, run-time parameters). A [`Shape`] says how the files are
//! written: the whole schema and the rest of the connector on one line (as the connector files
//! of `Get-ADSyncServerConfiguration` are), CRLF line ends, UTF-8 with or without BOM, GUIDs
//! in either case with or without braces, and with or without the two files
//! `MigratedPolicy.json` (in the `ConvertTo-Json` layout, UTF-16 LE with BOM as Windows
//! PowerShell's `Out-File` writes it, or UTF-8) and `PersistedState.xml` that
//! `MigrateSettings.ps1` adds.

use syncpolicy_model::config::{Configuration, OnPremisesDirectory};
use syncpolicy_model::enums::FlowType;
use syncpolicy_model::extension::{ConnectorExtension, RunProfile};
use syncpolicy_model::identity::normalize_guid;
use syncpolicy_model::rule::SyncRule;

const ZERO_GUID: &str = "00000000-0000-0000-0000-000000000000";
/// The subtype of the Entra connector.
pub const ENTRA_SUBTYPE: &str = "Windows Azure Active Directory (Microsoft)";

/// How the GUIDs of file names and references are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuidStyle {
    /// `{ae4db4cc-…}` (file names and rule references of the documented sample).
    LowerBraced,
    /// `{AE4DB4CC-…}` (a connector's own `<id>` in the sample).
    UpperBraced,
    /// `ae4db4cc-…`.
    Lower,
    /// `AE4DB4CC-…`.
    Upper,
}

impl GuidStyle {
    /// A GUID (lowercase, no braces) in this style.
    pub fn write(self, guid: &str) -> String {
        match self {
            GuidStyle::LowerBraced => format!("{{{}}}", guid.to_ascii_lowercase()),
            GuidStyle::UpperBraced => format!("{{{}}}", guid.to_ascii_uppercase()),
            GuidStyle::Lower => guid.to_ascii_lowercase(),
            GuidStyle::Upper => guid.to_ascii_uppercase(),
        }
    }
}

/// How `MigratedPolicy.json` is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyEncoding {
    /// UTF-16 little-endian with BOM (Windows PowerShell 5.1 `Out-File`).
    Utf16LeBom,
    /// UTF-8 with BOM.
    Utf8Bom,
    /// UTF-8 without BOM (PowerShell 7).
    Utf8,
}

/// How a generated folder is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    /// About this many bytes of DSML schema per AD connector.
    pub schema_bytes: usize,
    /// The schema and the rest of the connector on one line (the real connector files).
    pub one_line_schema: bool,
    /// CRLF line ends in every XML file.
    pub crlf: bool,
    /// A UTF-8 byte-order mark before every XML file.
    pub bom: bool,
    /// GUIDs in file names.
    pub file_names: GuidStyle,
    /// A connector's own `<id>`.
    pub connector_ids: GuidStyle,
    /// A rule's `<id>`, `<internal-id>` and `<connector>` reference.
    pub rule_guids: GuidStyle,
    /// Write `PersistedState.xml`.
    pub persisted_state: bool,
    /// Write `MigratedPolicy.json`, in this encoding.
    pub migrated_policy: Option<PolicyEncoding>,
}

impl Shape {
    /// What `MigrateSettings.ps1` writes: one-line schemas, CRLF, UTF-8 with BOM, the GUID
    /// forms of the documented sample, both added files (`MigratedPolicy.json` in UTF-16).
    pub fn migrate_settings(schema_bytes: usize) -> Shape {
        Shape {
            schema_bytes,
            one_line_schema: true,
            crlf: true,
            bom: true,
            file_names: GuidStyle::LowerBraced,
            connector_ids: GuidStyle::UpperBraced,
            rule_guids: GuidStyle::LowerBraced,
            persisted_state: true,
            migrated_policy: Some(PolicyEncoding::Utf16LeBom),
        }
    }

    /// What `Get-ADSyncServerConfiguration` alone writes: the same XML, without
    /// `PersistedState.xml` and `MigratedPolicy.json`.
    pub fn server_configuration(schema_bytes: usize) -> Shape {
        Shape {
            persisted_state: false,
            migrated_policy: None,
            ..Shape::migrate_settings(schema_bytes)
        }
    }

    /// Every variation the tests run through: line ends, BOM, GUID forms, schema layout and
    /// the optional files, each shape differing from the real one in a few of them.
    pub fn variations(schema_bytes: usize) -> Vec<Shape> {
        let real = Shape::migrate_settings(schema_bytes);
        vec![
            real.clone(),
            Shape::server_configuration(schema_bytes),
            Shape {
                one_line_schema: false,
                crlf: false,
                bom: false,
                file_names: GuidStyle::Lower,
                connector_ids: GuidStyle::Lower,
                rule_guids: GuidStyle::Upper,
                migrated_policy: Some(PolicyEncoding::Utf8),
                ..real.clone()
            },
            Shape {
                crlf: false,
                file_names: GuidStyle::UpperBraced,
                connector_ids: GuidStyle::Upper,
                rule_guids: GuidStyle::UpperBraced,
                persisted_state: false,
                migrated_policy: Some(PolicyEncoding::Utf8Bom),
                ..real.clone()
            },
            Shape {
                bom: false,
                file_names: GuidStyle::Upper,
                connector_ids: GuidStyle::LowerBraced,
                rule_guids: GuidStyle::Lower,
                migrated_policy: None,
                ..real
            },
        ]
    }
}

/// Writes a legacy folder for a configuration in the real shape of `MigrateSettings.ps1`
/// ([`Shape::migrate_settings`]) without `MigratedPolicy.json` (the in-memory folder carries
/// it already read): every file with its relative path. Each AD connector gets a DSML schema
/// of about `schema_bytes_per_connector` bytes.
pub fn write_folder(
    config: &Configuration,
    schema_bytes_per_connector: usize,
) -> Vec<(String, Vec<u8>)> {
    let shape = Shape {
        migrated_policy: None,
        ..Shape::migrate_settings(schema_bytes_per_connector)
    };
    write_folder_shaped(config, &shape)
}

/// Writes a legacy folder for a configuration in a shape: every file (the XML files,
/// `PersistedState.xml` and `MigratedPolicy.json` as the shape says) with its relative path.
pub fn write_folder_shaped(config: &Configuration, shape: &Shape) -> Vec<(String, Vec<u8>)> {
    let xml = |text: String| -> Vec<u8> {
        let text = if shape.crlf {
            text.replace('\n', "\r\n")
        } else {
            text
        };
        let mut bytes = Vec::with_capacity(text.len() + 3);
        if shape.bom {
            bytes.extend_from_slice(&[0xEF, 0xBB, 0xBF]);
        }
        bytes.extend_from_slice(text.as_bytes());
        bytes
    };
    let connector = |text: String| -> Vec<u8> {
        xml(if shape.one_line_schema {
            one_line_from_schema(&text)
        } else {
            text
        })
    };
    let mut files = Vec::new();
    let entra_id = config
        .azure_directory
        .connector_id
        .as_deref()
        .map(normalize_guid)
        .unwrap_or_else(|| derived_guid(0xE, 0, 0));
    files.push((
        format!(
            "Connectors/Connector_{}.xml",
            shape.file_names.write(&entra_id)
        ),
        connector(entra_connector(config, &entra_id, shape)),
    ));
    for (i, d) in config.onpremises_directories.iter().enumerate() {
        let id = normalize_guid(&d.unique_identifier);
        let id = if id.is_empty() {
            derived_guid(0xD, i, 0)
        } else {
            id
        };
        files.push((
            format!("Connectors/Connector_{}.xml", shape.file_names.write(&id)),
            connector(ad_connector(d, &id, i, shape)),
        ));
    }
    let mut n = 0usize;
    let mut push_rules = |files: &mut Vec<(String, Vec<u8>)>, rules: &[SyncRule], owner: &str| {
        for r in rules {
            let id = r
                .unique_identifier
                .as_deref()
                .map(normalize_guid)
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| derived_guid(0xA, n, 0));
            n += 1;
            let connector_ref = r
                .extension
                .connector_id
                .as_deref()
                .map(normalize_guid)
                .unwrap_or_else(|| owner.to_owned());
            files.push((
                format!(
                    "SynchronizationRules/SynchronizationRule_{}.xml",
                    shape.file_names.write(&id)
                ),
                xml(rule_file(r, &id, &connector_ref, shape.rule_guids)),
            ));
        }
    };
    push_rules(
        &mut files,
        &config.azure_directory.standard_rules,
        &entra_id,
    );
    push_rules(&mut files, &config.azure_directory.custom_rules, &entra_id);
    for (i, d) in config.onpremises_directories.iter().enumerate() {
        let id = normalize_guid(&d.unique_identifier);
        let id = if id.is_empty() {
            derived_guid(0xD, i, 0)
        } else {
            id
        };
        push_rules(&mut files, &d.standard_rules, &id);
        push_rules(&mut files, &d.custom_rules, &id);
    }
    files.push(("GlobalSettings/MV.xml".to_owned(), xml(mv_file(config))));
    if shape.persisted_state {
        files.push((
            "PersistedState.xml".to_owned(),
            xml(PERSISTED_STATE.to_owned()),
        ));
    }
    if let Some(encoding) = shape.migrated_policy {
        files.push((
            "MigratedPolicy.json".to_owned(),
            encode_policy(&migrated_policy_json(config), encoding),
        ));
    }
    files
}

/// Puts everything from `<schema>` to the end of a connector file on one line, without the
/// indentation, as the connector files of `Get-ADSyncServerConfiguration` are written.
fn one_line_from_schema(text: &str) -> String {
    let Some(at) = text.find("<schema>") else {
        return text.to_owned();
    };
    let (head, tail) = text.split_at(at);
    let mut out = String::with_capacity(text.len());
    out.push_str(head);
    for line in tail.lines() {
        out.push_str(line.trim_start());
    }
    out.push('\n');
    out
}

/// `MigratedPolicy.json` as `ConvertTo-Json` lays out the two ordered hashtables of
/// `MigrateSettings.ps1` (two spaces after each colon, nested values aligned).
pub fn migrated_policy_json(config: &Configuration) -> String {
    let q = |s: &str| {
        let mut out = String::from('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\'' => out.push_str("\\u0027"),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    };
    let pm = &config.policy_metadata;
    let dm = &config.deployment_metadata;
    let opt = |v: &Option<String>| v.as_deref().map(q).unwrap_or_else(|| "null".to_owned());
    let object = |indent: usize, pairs: &[(&str, String)]| -> String {
        let pad = " ".repeat(indent);
        let mut out = String::from("{\r\n");
        for (i, (k, v)) in pairs.iter().enumerate() {
            out.push_str(&format!(
                "{pad}    \"{k}\":  {v}{}\r\n",
                if i + 1 < pairs.len() { "," } else { "" }
            ));
        }
        out.push_str(&format!("{pad}}}"));
        out
    };
    let policy = object(
        22,
        &[
            ("type", q(&pm.policy_type)),
            ("author", opt(&pm.author)),
            ("timeCreated", opt(&pm.time_created)),
            ("azureADConnectVersion", opt(&pm.product_version)),
        ],
    );
    let mut deployment = vec![
        ("hostName", opt(&dm.host_name)),
        ("serviceAccount", q(&dm.service_account)),
        ("serviceAccountType", q(&dm.service_account_type)),
        ("databaseServer", q(&dm.database_server)),
        ("databaseInstance", q(&dm.database_instance)),
        ("databaseName", q(&dm.database_name)),
    ];
    if let Some(ids) = &dm.connector_ids {
        let pad = " ".repeat(50);
        let mut list = String::from("[\r\n");
        for (i, id) in ids.iter().enumerate() {
            list.push_str(&format!(
                "{pad}    {}{}\r\n",
                q(id),
                if i + 1 < ids.len() { "," } else { "" }
            ));
        }
        list.push_str(&format!("{pad}]"));
        deployment.push(("connectorIds", list));
    }
    let deployment = object(26, &deployment);
    format!(
        "{{\r\n    \"policyMetadata\":  {policy},\r\n    \"deploymentMetadata\":  {deployment}\r\n}}\r\n"
    )
}

fn encode_policy(text: &str, encoding: PolicyEncoding) -> Vec<u8> {
    match encoding {
        PolicyEncoding::Utf16LeBom => {
            let mut out = vec![0xFF, 0xFE];
            for unit in text.encode_utf16() {
                out.extend_from_slice(&unit.to_le_bytes());
            }
            out
        }
        PolicyEncoding::Utf8Bom => {
            let mut out = vec![0xEF, 0xBB, 0xBF];
            out.extend_from_slice(text.as_bytes());
            out
        }
        PolicyEncoding::Utf8 => text.as_bytes().to_vec(),
    }
}

const PERSISTED_STATE: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<PersistedState>
  <Properties>
    <Property Name="WizardVersion">1.1.130.0</Property>
    <Property Name="LastWizardRun">2016-05-03 14:20:11Z</Property>
  </Properties>
</PersistedState>
"#;

/// A deterministic GUID for generated identifiers.
fn derived_guid(kind: u32, a: usize, b: usize) -> String {
    format!(
        "{kind:08x}-{:04x}-4000-8000-{:012x}",
        (a & 0xffff),
        b as u64 & 0xffff_ffff_ffff
    )
}

/// Escapes text for element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

fn el(out: &mut String, indent: usize, name: &str, text: &str) {
    for _ in 0..indent {
        out.push_str("  ");
    }
    if text.is_empty() {
        out.push_str(&format!("<{name} />\n"));
    } else {
        out.push_str(&format!("<{name}>{}</{name}>\n", escape(text)));
    }
}

fn open(out: &mut String, indent: usize, tag: &str) {
    for _ in 0..indent {
        out.push_str("  ");
    }
    out.push_str(&format!("<{tag}>\n"));
}

fn close(out: &mut String, indent: usize, name: &str) {
    for _ in 0..indent {
        out.push_str("  ");
    }
    out.push_str(&format!("</{name}>\n"));
}

fn braced_upper(id: &str) -> String {
    format!("{{{}}}", id.to_ascii_uppercase())
}

fn header(out: &mut String, id: &str, name: &str, kind: (&str, &str), ids: GuidStyle) {
    let (category, subtype) = kind;
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ma-data>\n");
    el(out, 1, "format-version", "1");
    el(out, 1, "id", &ids.write(id));
    el(out, 1, "name", name);
    el(out, 1, "category", category);
    el(out, 1, "description", "");
    el(out, 1, "subtype", subtype);
    el(out, 1, "ma-listname", "");
    el(out, 1, "ma-companyname", "");
    el(out, 1, "creation-time", "2016-05-03 13:02:45.127");
    el(out, 1, "last-modification-time", "2016-05-03 14:11:06.913");
    el(out, 1, "version", "17");
    el(out, 1, "internal-version", "17");
    el(out, 1, "password-sync-allowed", "1");
}

/// Attribute names of an AD forest's schema, to give the generated schema real spellings.
const AD_ATTRIBUTES: &[&str] = &[
    "accountExpires",
    "adminDescription",
    "adminDisplayName",
    "altSecurityIdentities",
    "c",
    "cn",
    "co",
    "company",
    "countryCode",
    "department",
    "description",
    "displayName",
    "distinguishedName",
    "division",
    "employeeID",
    "employeeNumber",
    "employeeType",
    "extensionAttribute1",
    "facsimileTelephoneNumber",
    "givenName",
    "groupType",
    "homePhone",
    "info",
    "initials",
    "ipPhone",
    "isCriticalSystemObject",
    "l",
    "legacyExchangeDN",
    "mail",
    "mailNickname",
    "manager",
    "member",
    "memberOf",
    "middleName",
    "mobile",
    "msDS-ExternalDirectoryObjectId",
    "msDS-HABSeniorityIndex",
    "msDS-PhoneticDisplayName",
    "msExchArchiveGUID",
    "msExchHideFromAddressLists",
    "msExchMailboxGuid",
    "msExchRecipientTypeDetails",
    "name",
    "objectCategory",
    "objectClass",
    "objectGUID",
    "objectSid",
    "otherTelephone",
    "pager",
    "physicalDeliveryOfficeName",
    "postalCode",
    "postOfficeBox",
    "preferredLanguage",
    "proxyAddresses",
    "pwdLastSet",
    "sAMAccountName",
    "sAMAccountType",
    "showInAddressBook",
    "sn",
    "st",
    "streetAddress",
    "targetAddress",
    "telephoneNumber",
    "thumbnailPhoto",
    "title",
    "userAccountControl",
    "userCertificate",
    "userPrincipalName",
    "whenChanged",
    "whenCreated",
    "wWWHomePage",
];

/// Class names of an AD forest's schema.
const AD_CLASSES: &[&str] = &[
    "user",
    "group",
    "contact",
    "computer",
    "inetOrgPerson",
    "foreignSecurityPrincipal",
    "msDS-Device",
    "organizationalUnit",
    "container",
    "domainDNS",
    "person",
    "organizationalPerson",
    "top",
    "msExchDynamicDistributionList",
    "publicFolder",
];

/// Syntax OIDs of the attribute types (string, integer, boolean, DN, octet string, time).
const SYNTAXES: &[&str] = &[
    "1.3.6.1.4.1.1466.115.121.1.15",
    "1.3.6.1.4.1.1466.115.121.1.27",
    "1.3.6.1.4.1.1466.115.121.1.7",
    "1.3.6.1.4.1.1466.115.121.1.12",
    "1.3.6.1.4.1.1466.115.121.1.40",
    "1.3.6.1.4.1.1466.115.121.1.24",
];

/// The name of the i-th attribute type: the real names first, then generated ones in the
/// style of the Exchange and msDS extensions.
fn attribute_name(i: usize) -> String {
    match AD_ATTRIBUTES.get(i) {
        Some(n) => (*n).to_owned(),
        None if i % 2 == 0 => format!("msExchExtensionAttribute{i}"),
        None => format!("msDS-GeneratedAttribute{i}"),
    }
}

/// A DSML schema of about `bytes` bytes in the element density of an AD forest's schema
/// exported by the AD connector: about 1,500 attribute types (name, object identifier,
/// syntax) and classes with one attribute reference per attribute they may hold.
fn schema(out: &mut String, bytes: usize) {
    out.push_str("  <schema>\n<dsml:dsml xmlns:dsml=\"http://www.dsml.org/DSML\" xmlns:ms-dsml=\"http://www.microsoft.com/MMS/DSML\">\n<dsml:directory-schema>\n");
    let start = out.len();
    // About a fifth of the bytes are attribute types, the rest the classes' references.
    let types = (bytes / 5 / 260).clamp(8, 1500);
    for i in 0..types {
        let name = attribute_name(i);
        out.push_str(&format!(
            "<dsml:attribute-type id=\"{name}\" single-value=\"{}\" ms-dsml:indexable=\"{}\">\n<dsml:name>{name}</dsml:name>\n<dsml:object-identifier>1.2.840.113556.1.4.{}</dsml:object-identifier>\n<dsml:syntax>{}</dsml:syntax>\n</dsml:attribute-type>\n",
            i % 3 != 0,
            i % 7 == 0,
            100 + i,
            SYNTAXES[i % SYNTAXES.len()]
        ));
    }
    let mut class = 0usize;
    while out.len() - start < bytes {
        let name = match AD_CLASSES.get(class) {
            Some(n) => (*n).to_owned(),
            None => format!("msDS-GeneratedClass{class}"),
        };
        out.push_str(&format!(
            "<dsml:class id=\"{name}\" type=\"{}\">\n<dsml:name>{name}</dsml:name>\n<dsml:object-identifier>1.2.840.113556.1.5.{}</dsml:object-identifier>\n",
            if class % 4 == 3 { "auxiliary" } else { "structural" },
            9 + class
        ));
        // The first classes (user, group, ...) may hold many attributes.
        let refs = if class < 5 {
            types.min(400)
        } else {
            40 + class % 60
        };
        for r in 0..refs {
            let a = attribute_name((class * 37 + r) % types);
            out.push_str(&format!(
                "<dsml:attribute ref=\"#{a}\" required=\"{}\" />\n",
                r == 0
            ));
            if out.len() - start >= bytes {
                break;
            }
        }
        out.push_str("</dsml:class>\n");
        class += 1;
    }
    out.push_str("</dsml:directory-schema>\n</dsml:dsml>\n</schema>\n");
}

fn attribute_inclusion(out: &mut String, ext: &ConnectorExtension) {
    if let Some(list) = &ext.attribute_inclusions {
        open(out, 1, "attribute-inclusion");
        for a in list {
            el(out, 2, "attribute", a);
        }
        close(out, 1, "attribute-inclusion");
    }
}

fn object_classes(out: &mut String, indent: usize, ext: &ConnectorExtension) {
    if let Some(types) = &ext.object_types {
        open(out, indent, "object-classes");
        for t in types {
            el(out, indent + 1, "object-class", t);
        }
        close(out, indent, "object-classes");
    }
}

fn run_data(
    out: &mut String,
    profiles: &[RunProfile],
    partitions: &[(String, String)],
    conn: usize,
) {
    open(out, 1, "ma-run-data");
    for (pi, profile) in profiles.iter().enumerate() {
        open(out, 2, "run-configuration");
        el(out, 3, "id", &braced_upper(&derived_guid(0xB, conn, pi)));
        el(out, 3, "name", &profile.name);
        el(out, 3, "creation-time", "2016-05-03 13:02:45.127");
        el(out, 3, "last-modification-time", "2016-05-03 13:02:45.127");
        el(out, 3, "version", "3");
        open(out, 3, "configuration");
        for step in &profile.steps {
            open(out, 4, "step");
            let st = match step.step_type.as_str() {
                "full-import" => {
                    "<step-type type=\"full-import\">\n            <import-subtype>to-cs</import-subtype>\n          </step-type>".to_owned()
                }
                "delta-import" => {
                    "<step-type type=\"delta-import\">\n            <import-subtype>to-cs</import-subtype>\n          </step-type>".to_owned()
                }
                "full-sync" => {
                    "<step-type type=\"apply-rules\">\n            <apply-rules-subtype>reevaluate-flow-connectors</apply-rules-subtype>\n          </step-type>".to_owned()
                }
                "delta-sync" => {
                    "<step-type type=\"apply-rules\">\n            <apply-rules-subtype>apply-pending</apply-rules-subtype>\n          </step-type>".to_owned()
                }
                other => format!("<step-type type=\"{}\" />", escape(other)),
            };
            out.push_str(&format!("          {st}\n"));
            out.push_str("          <threshold>\n            <batch-size>1</batch-size>\n          </threshold>\n");
            let pid = partitions
                .iter()
                .find(|(_, name)| *name == step.partition)
                .map(|(id, _)| braced_upper(id))
                .unwrap_or_else(|| step.partition.clone());
            el(out, 5, "partition", &pid);
            open(out, 5, "custom-data");
            open(out, 6, "adma-step-data");
            for (k, v) in &step.settings {
                el(out, 7, k, v);
            }
            close(out, 6, "adma-step-data");
            close(out, 5, "custom-data");
            close(out, 4, "step");
        }
        close(out, 3, "configuration");
        close(out, 2, "run-configuration");
    }
    close(out, 1, "ma-run-data");
}

fn trailer(out: &mut String) {
    out.push_str("  <component_mappings />\n  <password-sync>\n    <password-sync-enabled>0</password-sync-enabled>\n  </password-sync>\n  <encrypted-attributes />\n</ma-data>\n");
}

fn entra_connector(config: &Configuration, id: &str, shape: &Shape) -> String {
    let az = &config.azure_directory;
    let name = az
        .connector
        .name
        .clone()
        .unwrap_or_else(|| "tenant.onmicrosoft.com - AAD".to_owned());
    let mut out = String::new();
    header(
        &mut out,
        id,
        &name,
        ("Extensible2", ENTRA_SUBTYPE),
        shape.connector_ids,
    );
    out.push_str("  <schema>\n    <dsml:dsml xmlns:dsml=\"http://www.dsml.org/DSML\">\n      <dsml:directory-schema />\n    </dsml:dsml>\n  </schema>\n");
    attribute_inclusion(&mut out, &az.connector);
    out.push_str("  <private-configuration>\n    <MAConfig>\n      <parameter-values>\n        <parameter name=\"UserName\" type=\"string\" use=\"connectivity\" dataType=\"String\">Sync_SYNC01_1a2b3c4d5e6f@tenant.onmicrosoft.com</parameter>\n        <parameter name=\"Password\" type=\"encrypted-string\" use=\"connectivity\" dataType=\"String\" encrypted=\"1\" />\n      </parameter-values>\n    </MAConfig>\n  </private-configuration>\n");
    let pid = derived_guid(0xC, 0, 0);
    open(&mut out, 1, "ma-partition-data");
    open(&mut out, 2, "partition");
    el(&mut out, 3, "id", &braced_upper(&pid));
    el(&mut out, 3, "name", "default");
    el(&mut out, 3, "selected", "1");
    open(&mut out, 3, "filter");
    object_classes(&mut out, 4, &az.connector);
    close(&mut out, 3, "filter");
    el(&mut out, 3, "display-name", "default");
    close(&mut out, 2, "partition");
    close(&mut out, 1, "ma-partition-data");
    run_data(
        &mut out,
        &az.connector.run_profiles,
        &[(pid, "default".to_owned())],
        999,
    );
    trailer(&mut out);
    out
}

fn ad_connector(d: &OnPremisesDirectory, id: &str, index: usize, shape: &Shape) -> String {
    let mut out = String::with_capacity(shape.schema_bytes + 16 * 1024);
    header(&mut out, id, &d.name, ("AD", ""), shape.connector_ids);
    schema(&mut out, shape.schema_bytes);
    attribute_inclusion(&mut out, &d.connector);
    out.push_str("  <stay-disconnector />\n  <join />\n  <projection />\n  <export-attribute-flow />\n  <provisioning-cleanup type=\"declared\">\n    <action>make-normal-disconnector</action>\n  </provisioning-cleanup>\n");
    open(&mut out, 1, "private-configuration");
    open(&mut out, 2, "adma-configuration");
    el(
        &mut out,
        3,
        "forest-name",
        d.forest.as_deref().unwrap_or(""),
    );
    let (domain, user) = match d.account.as_deref().unwrap_or("").split_once('\\') {
        Some((dom, u)) => (dom.to_owned(), u.to_owned()),
        None => (String::new(), d.account.clone().unwrap_or_default()),
    };
    el(&mut out, 3, "forest-login-user", &user);
    el(&mut out, 3, "forest-login-domain", &domain);
    el(&mut out, 3, "sign-and-seal", "1");
    el(&mut out, 3, "crl-check", "0");
    out.push_str("      <password-hash-sync-config>\n        <enabled>1</enabled>\n      </password-hash-sync-config>\n");
    out.push_str("      <parameter-values>\n        <parameter name=\"password\" type=\"encrypted-string\" use=\"connectivity\" encrypted=\"1\" />\n      </parameter-values>\n");
    if let Some(h) = &d.connector.provisioning_hierarchy {
        out.push_str(&format!(
            "      <provisioning-hierarchy enabled=\"{}\">\n",
            if h.enabled { "1" } else { "0" }
        ));
        for m in &h.mappings {
            open(&mut out, 4, "mapping");
            el(&mut out, 5, "dn-component", &m.component);
            el(&mut out, 5, "object-class", &m.object_class);
            el(&mut out, 5, "attribute", &m.attribute);
            close(&mut out, 4, "mapping");
        }
        close(&mut out, 3, "provisioning-hierarchy");
    }
    close(&mut out, 2, "adma-configuration");
    close(&mut out, 1, "private-configuration");
    let mut partition_ids = Vec::new();
    open(&mut out, 1, "ma-partition-data");
    for (pi, p) in d.partitions.iter().enumerate() {
        let pid = derived_guid(0xF, index, pi);
        let dn = p.distinguished_name.clone().unwrap_or_default();
        partition_ids.push((pid.clone(), dn.clone()));
        open(&mut out, 2, "partition");
        el(&mut out, 3, "id", &braced_upper(&pid));
        el(&mut out, 3, "name", &dn);
        el(&mut out, 3, "creation-time", "2016-05-03 13:02:45.127");
        el(
            &mut out,
            3,
            "last-modification-time",
            "2016-05-03 14:11:06.913",
        );
        el(&mut out, 3, "version", "9");
        el(&mut out, 3, "selected", if p.selected { "1" } else { "0" });
        open(&mut out, 3, "filter");
        object_classes(&mut out, 4, &d.connector);
        open(&mut out, 4, "containers");
        open(&mut out, 5, "exclusions");
        for x in &p.exclusions {
            el(&mut out, 6, "exclusion", x);
        }
        close(&mut out, 5, "exclusions");
        open(&mut out, 5, "inclusions");
        for x in &p.inclusions {
            el(&mut out, 6, "inclusion", x);
        }
        close(&mut out, 5, "inclusions");
        close(&mut out, 4, "containers");
        close(&mut out, 3, "filter");
        open(&mut out, 3, "custom-data");
        open(&mut out, 4, "adma-partition-data");
        el(&mut out, 5, "dn", &dn);
        el(&mut out, 5, "name", p.fqdn.as_deref().unwrap_or(""));
        el(
            &mut out,
            5,
            "guid",
            &braced_upper(&derived_guid(0x9, index, pi)),
        );
        el(&mut out, 5, "is-domain", "1");
        if !p.preferred_controllers.is_empty() {
            open(&mut out, 5, "preferred-dcs");
            for dc in &p.preferred_controllers {
                el(&mut out, 6, "preferred-dc", dc);
            }
            close(&mut out, 5, "preferred-dcs");
        }
        el(&mut out, 5, "last-dc", "dc01.internal.example");
        el(
            &mut out,
            5,
            "cookie",
            "TVNEUwMAAAAIbLzaxr3SAQAAAAAAAAAAKAAAAAAAAAA=",
        );
        close(&mut out, 4, "adma-partition-data");
        close(&mut out, 3, "custom-data");
        el(&mut out, 3, "allowed-operations", "0");
        el(&mut out, 3, "current", "");
        el(&mut out, 3, "display-name", p.fqdn.as_deref().unwrap_or(""));
        close(&mut out, 2, "partition");
    }
    close(&mut out, 1, "ma-partition-data");
    run_data(&mut out, &d.connector.run_profiles, &partition_ids, index);
    trailer(&mut out);
    out
}

fn rule_file(r: &SyncRule, id: &str, connector: &str, guids: GuidStyle) -> String {
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<synchronizationRule>\n");
    let o = &mut out;
    el(o, 1, "id", &guids.write(id));
    let internal = if r.internal_identifier.is_empty() {
        String::new()
    } else {
        guids.write(&normalize_guid(&r.internal_identifier))
    };
    el(o, 1, "internal-id", &internal);
    el(o, 1, "version", "1");
    el(o, 1, "name", r.name());
    el(o, 1, "description", &r.description);
    el(
        o,
        1,
        "immutable-tag",
        r.immutable_tag.as_deref().unwrap_or(""),
    );
    el(o, 1, "direction", r.direction_str());
    el(o, 1, "disabled", if r.disabled { "True" } else { "False" });
    el(o, 1, "connector", &guids.write(connector));
    el(
        o,
        1,
        "sourceObjectType",
        r.source_object_type.as_deref().unwrap_or(""),
    );
    el(
        o,
        1,
        "targetObjectType",
        r.target_object_type.as_deref().unwrap_or(""),
    );
    el(
        o,
        1,
        "linkType",
        r.link_type.as_ref().map(|l| l.as_str()).unwrap_or(""),
    );
    el(o, 1, "precedence", &r.precedence.to_string());
    let guid_or_zero = |g: &Option<String>| {
        format!(
            "{{{}}}",
            g.as_deref()
                .map(normalize_guid)
                .unwrap_or_else(|| ZERO_GUID.to_owned())
        )
    };
    el(
        o,
        1,
        "precedence-after",
        &guid_or_zero(&r.extension.precedence_after),
    );
    el(
        o,
        1,
        "precedence-before",
        &guid_or_zero(&r.extension.precedence_before),
    );
    el(
        o,
        1,
        "softDeleteExpiryInterval",
        r.extension
            .soft_delete_expiry_interval
            .as_deref()
            .unwrap_or("00:00:00"),
    );
    el(
        o,
        1,
        "EnablePasswordSync",
        if r.password_hash_sync_target {
            "true"
        } else {
            "false"
        },
    );
    open(o, 1, "attribute-mappings");
    for m in &r.mappings {
        if m.execute_once {
            o.push_str("    <mapping execute-once=\"true\">\n");
        } else {
            o.push_str("    <mapping>\n");
        }
        el(o, 3, "dest", m.destination.as_deref().unwrap_or(""));
        match m.flow_type {
            Some(FlowType::Constant) => {
                if !m.value.is_empty() {
                    el(o, 3, "src", &m.value);
                }
            }
            _ => {
                let sources = m.sources();
                if !sources.is_empty() {
                    open(o, 3, "src");
                    for s in sources {
                        el(o, 4, "attr", s);
                    }
                    close(o, 3, "src");
                }
            }
        }
        if m.flow_type == Some(FlowType::Expression) {
            o.push_str(&format!(
                "      <expression>{}</expression>\n",
                escape(&m.expression)
            ));
        }
        el(o, 3, "valueMergeType", m.merge_type.as_str());
        close(o, 2, "mapping");
    }
    close(o, 1, "attribute-mappings");
    open(o, 1, "relationshipCriteria");
    for g in &r.join_groups {
        open(o, 2, "conditions");
        for c in g {
            open(o, 3, "condition");
            el(o, 4, "csAttribute", c.source.as_deref().unwrap_or(""));
            el(o, 4, "ilmAttribute", c.destination.as_deref().unwrap_or(""));
            if c.case_sensitive {
                el(o, 4, "caseSensitive", "True");
            }
            close(o, 3, "condition");
        }
        close(o, 2, "conditions");
    }
    close(o, 1, "relationshipCriteria");
    open(o, 1, "synchronizationCriteria");
    for g in &r.scope_groups {
        open(o, 2, "conditions");
        for c in g {
            open(o, 3, "scope");
            el(o, 4, "csAttribute", c.attribute.as_deref().unwrap_or(""));
            if let Some(op) = &c.operator {
                el(o, 4, "csOperator", op.as_str());
            }
            o.push_str(&format!(
                "        <csValue>{}</csValue>\n",
                escape(&c.value)
            ));
            close(o, 3, "scope");
        }
        close(o, 2, "conditions");
    }
    close(o, 1, "synchronizationCriteria");
    out.push_str("</synchronizationRule>\n");
    out
}

fn param(out: &mut String, name: &str, value: &str) {
    out.push_str(&format!(
        "      <parameter name=\"{}\" type=\"string\" use=\"SynchronizationGlobal\" dataType=\"String\">{}</parameter>\n",
        escape(name),
        escape(value)
    ));
}

fn tf(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

fn mv_file(c: &Configuration) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<saved-mv-configuration server=\"SYNC01\" export-date=\"2016-05-03 14:28:09.784\">\n  <!--WARNING: DO NOT MODIFY THIS FILE.-->\n  <mv-data>\n    <format-version>1</format-version>\n    <version>42</version>\n    <schema>\n      <dsml:dsml xmlns:dsml=\"http://www.dsml.org/DSML\">\n        <dsml:directory-schema>\n          <dsml:class id=\"person\" type=\"structural\"><dsml:name>person</dsml:name></dsml:class>\n          <dsml:attribute-type id=\"cloudFiltered\" single-value=\"true\"><dsml:name>cloudFiltered</dsml:name><dsml:syntax>1.3.6.1.4.1.1466.115.121.1.7</dsml:syntax></dsml:attribute-type>\n        </dsml:directory-schema>\n      </dsml:dsml>\n    </schema>\n    <password-change-history-size>1</password-change-history-size>\n    <parameter-values>\n");
    let o = &mut out;
    let ext = &c.extension;
    if let Some(s) = ext.staging_mode {
        param(o, "Microsoft.Synchronize.StagingMode", tf(s));
    }
    if let Some(s) = &ext.scheduler {
        if let Some(e) = s.enabled {
            param(o, "Microsoft.Synchronize.SynchronizationSchedule", tf(e));
        }
        if let Some(i) = &s.sync_interval {
            param(o, "Microsoft.Synchronize.TimeInterval", i);
        }
        if let Some(m) = s.maintenance_enabled {
            param(o, "Microsoft.Synchronize.MaintenanceEnabled", tf(m));
        }
        if let Some(p) = &s.purge_run_history_interval {
            param(o, "Microsoft.Synchronize.RunHistoryPurgeInterval", p);
        }
    }
    param(
        o,
        "Microsoft.Synchronize.NextStartTime",
        "Tue, 03 May 2016 14:39:16 GMT",
    );
    param(o, "Microsoft.Synchronize.SynchronizationPolicy", "Delta");
    param(o, "Microsoft.Synchronize.SchedulerSuspended", "False");
    param(
        o,
        "Microsoft.Synchronize.ServerConfigurationVersion",
        "1.1.130.0",
    );
    let idm = &c.identity_mapping;
    if let Some(a) = &idm.source_anchor_attribute {
        param(o, "Microsoft.SynchronizationOption.AnchorAttribute", a);
    }
    if let Some(u) = &idm.user_principal_name_attribute {
        param(o, "Microsoft.SynchronizationOption.UPNAttribute", u);
    }
    if let Some(j) = &idm.user_matching_policy {
        param(o, "Microsoft.SynchronizationOption.JoinCriteria", j);
    }
    param(
        o,
        "Microsoft.SynchronizationOption.CustomAttribute",
        &idm.user_matching_attribute,
    );
    param(
        o,
        "Microsoft.OptionalFeature.PasswordHashSync",
        tf(c.sign_in.password_hash_sync()),
    );
    if let Some(m) = c.sign_in.method() {
        param(o, "Microsoft.UserSignIn.SignOnMethod", m.token());
    }
    param(
        o,
        "Microsoft.UserSignIn.DesktopSsoEnabled",
        tf(c.sign_in.seamless_sso()),
    );
    param(
        o,
        "Microsoft.OptionalFeature.PasswordWriteback",
        tf(c.password_writeback),
    );
    param(
        o,
        "Microsoft.OptionalFeature.HybridExchange",
        tf(c.exchange.hybrid_deployment),
    );
    param(
        o,
        "Microsoft.OptionalFeature.ExchangeMailPublicFolder",
        tf(c.exchange.mail_public_folders),
    );
    let limit = &c.azure_directory.export_deletion_limit;
    param(
        o,
        "Microsoft.OptionalFeature.ExportDeletionThreshold",
        tf(!limit.is_empty()),
    );
    if !limit.is_empty() {
        param(
            o,
            "Microsoft.OptionalFeature.ExportDeletionThresholdValue",
            limit,
        );
    }
    param(
        o,
        "Microsoft.OptionalFeature.AutoUpgradeState",
        &c.deployment_metadata.auto_upgrade_state,
    );
    let group = c
        .onpremises_directories
        .iter()
        .find(|d| !d.group_writeback_dn.is_empty());
    param(
        o,
        "Microsoft.OptionalFeature.GroupWriteBack",
        tf(group.is_some()),
    );
    param(
        o,
        "Microsoft.GroupWriteBack.Forest",
        group.map(forest_of).unwrap_or(""),
    );
    param(
        o,
        "Microsoft.GroupWriteBack.Container",
        group.map(|d| d.group_writeback_dn.as_str()).unwrap_or(""),
    );
    param(
        o,
        "Microsoft.GroupWriteBack.FormatDistinguishedName",
        tf(group.is_some_and(|d| d.format_group_writeback_dn)),
    );
    let device = c
        .onpremises_directories
        .iter()
        .find(|d| !d.device_writeback_dn.is_empty());
    param(
        o,
        "Microsoft.OptionalFeature.DeviceWriteBack",
        tf(device.is_some()),
    );
    param(
        o,
        "Microsoft.DeviceWriteBack.Forest",
        device.map(forest_of).unwrap_or(""),
    );
    param(
        o,
        "Microsoft.DeviceWriteBack.Container",
        device.map(|d| d.device_writeback_dn.as_str()).unwrap_or(""),
    );
    param(o, "Microsoft.UserWriteBack.Forest", "");
    param(o, "Microsoft.UserWriteBack.Container", "");
    let filter = &c.azure_directory.exported_attributes;
    let filtering =
        !filter.application_restrictions.is_empty() || !filter.excluded_attributes.is_empty();
    param(o, "Microsoft.OptionalFeature.FilterAAD", tf(filtering));
    param(
        o,
        "Microsoft.AADFilter.ApplicationList",
        &filter.application_restrictions.join(";"),
    );
    param(
        o,
        "Microsoft.AADFilter.AttributeExclusionList",
        &filter.excluded_attributes.join(";"),
    );
    let ext_attrs = &c.azure_directory.directory_extensions;
    param(
        o,
        "Microsoft.OptionalFeature.DirectoryExtension",
        tf(!ext_attrs.is_empty()),
    );
    let list: Vec<String> = ext_attrs
        .iter()
        .map(|a| {
            format!(
                "{}.{}.{}.{}",
                a.attribute.as_deref().unwrap_or(""),
                a.object_class.as_deref().unwrap_or("user"),
                a.data_type.as_deref().unwrap_or("String"),
                tf(a.multi_valued)
            )
        })
        .collect();
    param(
        o,
        "Microsoft.OptionalFeature.DirectoryExtensionAttributes",
        &list.join(","),
    );
    param(
        o,
        "Microsoft.DirectoryExtension.SourceTargetAttributesMap",
        "",
    );
    param(
        o,
        "Microsoft.OptionalFeature.GroupFiltering",
        tf(c.onpremises_directories
            .iter()
            .any(|d| !d.group_filtering_dn.is_empty())),
    );
    param(o, "Microsoft.Version.SynchronizationRuleImmutableTag", "V1");
    for g in &ext.global_parameters {
        param(o, &g.name, &g.value);
    }
    out.push_str("    </parameter-values>\n  </mv-data>\n</saved-mv-configuration>\n");
    out
}

fn forest_of(d: &OnPremisesDirectory) -> &str {
    d.forest.as_deref().unwrap_or(&d.name)
}
