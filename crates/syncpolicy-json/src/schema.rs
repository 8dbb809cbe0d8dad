//! A JSON Schema (draft 2020-12) of the settings file, built from the key tables of
//! [`crate::keys`], so that editors check and complete the file as the reader reads it.
//!
//! It says what the reader accepts, no more: every key is optional, `null` stands for a
//! missing value wherever the reader takes it so, and unknown keys are allowed wherever the
//! reader keeps them (everywhere but a `name`/`value` entry of the extension part). The
//! vocabularies Microsoft's import checks (rule direction, link type, flow and merge type,
//! scope condition) are given as `examples`, which editors offer as completions, not as an
//! `enum`: the reader keeps any other value, and validation reports it with its code.

use crate::keys;
use serde_json::{json, Map, Value};

/// The JSON Schema of the settings file.
pub fn settings_schema() -> Value {
    let rule = json!({ "$ref": "#/$defs/synchronizationRule" });
    let rules = nullable_array(rule);
    let mut top = object(
        &keys::TOP,
        [
            json!({ "$ref": "#/$defs/policyMetadata" }),
            json!({ "$ref": "#/$defs/deploymentMetadata" }),
            described(
                nullable_array(string()),
                "The sign-in method and its password hash sync and single sign-on options.",
            ),
            described(
                nullable(boolean()),
                "Password writeback (self-service password reset).",
            ),
            json!({ "$ref": "#/$defs/identityMappingPolicy" }),
            json!({ "$ref": "#/$defs/exchangeOnlineFeaturePolicy" }),
            json!({ "$ref": "#/$defs/metaverseExtensionPolicy" }),
            json!({ "$ref": "#/$defs/azureDirectoryPolicy" }),
            described(
                nullable_array(json!({ "$ref": "#/$defs/onpremisesDirectory" })),
                "One entry per on-premises directory (AD forest connector).",
            ),
            json!({ "$ref": "#/$defs/extension" }),
        ],
    );
    let defs = defs(rules);
    let top = top.as_object_mut().expect("an object schema");
    let mut schema = Map::new();
    schema.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    schema.insert(
        "title".into(),
        json!("Entra Connect synchronization settings (Applied-, Exported-, Migrated-SynchronizationPolicy-*.json)"),
    );
    schema.insert(
        "description".into(),
        json!("The settings file as syncpolicy reads it: every key optional, unknown keys kept. `syncpolicy validate` checks what a schema cannot (required sections, references, rule semantics)."),
    );
    // Put the type and the properties after the header, then the definitions.
    for (k, v) in std::mem::take(top) {
        schema.insert(k, v);
    }
    schema.insert("$defs".into(), defs);
    Value::Object(schema)
}

fn defs(rules: Value) -> Value {
    let strings = nullable_array(string());
    let mut d = Map::new();
    let mut put = |name: &str, schema: Value| {
        d.insert(name.to_owned(), schema);
    };
    put(
        "policyMetadata",
        nullable_object(&keys::POLICY_METADATA, [s(), s(), s(), s(), s()]),
    );
    put(
        "deploymentMetadata",
        nullable_object(
            &keys::DEPLOYMENT_METADATA,
            [
                s(),
                s(),
                s(),
                s(),
                s(),
                s(),
                s(),
                with_examples(s(), &["Enabled", "Suspended", "Disabled"]),
                strings.clone(),
            ],
        ),
    );
    put(
        "identityMappingPolicy",
        nullable_object(
            &keys::IDENTITY_MAPPING,
            [
                with_examples(s(), &["mS-DS-ConsistencyGuid", "objectGUID"]),
                with_examples(s(), &["userPrincipalName", "mail"]),
                s(),
                s(),
            ],
        ),
    );
    put(
        "exchangeOnlineFeaturePolicy",
        nullable_object(&keys::EXCHANGE, [b(), b()]),
    );
    put(
        "metaverseExtensionPolicy",
        nullable_object(
            &keys::METAVERSE,
            [
                nullable_array(object(
                    &keys::MV_ATTRIBUTE,
                    [
                        s(),
                        s(),
                        b(),
                        b(),
                        b(),
                        b(),
                        with_examples(s(), &["ReadWrite"]),
                        s(),
                        s(),
                    ],
                )),
                nullable_array(object(
                    &keys::MV_OBJECT_TYPE,
                    [
                        s(),
                        with_examples(s(), &["structural"]),
                        b(),
                        nullable_array(object(&keys::MV_BINDING, [s(), b(), b(), b()])),
                    ],
                )),
            ],
        ),
    );
    put(
        "azureDirectoryPolicy",
        nullable_object(
            &keys::AZURE,
            [
                s(),
                s(),
                described(
                    s(),
                    "The accidental-delete threshold: a number written as a string.",
                ),
                nullable_array(object(&keys::DIRECTORY_EXTENSION, [s(), s(), s(), b()])),
                nullable_object(
                    &keys::EXPORTED_ATTRIBUTES,
                    [strings.clone(), strings.clone()],
                ),
                rules.clone(),
                rules.clone(),
            ],
        ),
    );
    put(
        "onpremisesDirectory",
        object(
            &keys::ONPREM,
            [
                s(),
                s(),
                s(),
                s(),
                s(),
                s(),
                b(),
                s(),
                nullable_array(object(
                    &keys::PARTITION,
                    [
                        s(),
                        s(),
                        b(),
                        strings.clone(),
                        strings.clone(),
                        strings.clone(),
                        strings.clone(),
                    ],
                )),
                rules.clone(),
                rules,
            ],
        ),
    );
    put(
        "synchronizationRule",
        object(
            &keys::RULE,
            [
                s(),
                s(),
                s(),
                s(),
                described(s(), "The source object type, e.g. user."),
                described(s(), "The target object type, e.g. person."),
                with_examples(s(), &["Provision", "StickyJoin", "Join", "JoinNoFlow"]),
                s(),
                b(),
                with_examples(s(), &["Inbound", "Outbound"]),
                nullable(json!({
                    "type": "integer",
                    "minimum": i32::MIN,
                    "maximum": i32::MAX
                })),
                b(),
                groups(object(&keys::JOIN, [s(), s(), b()])),
                groups(object(
                    &keys::SCOPE,
                    [
                        s(),
                        with_examples(
                            s(),
                            &[
                                "EQUAL",
                                "NOTEQUAL",
                                "LESSTHAN",
                                "LESSTHAN_OR_EQUAL",
                                "CONTAINS",
                                "NOTCONTAINS",
                                "STARTSWITH",
                                "NOTSTARTSWITH",
                                "ENDSWITH",
                                "NOTENDSWITH",
                                "GREATERTHAN",
                                "GREATERTHAN_OR_EQUAL",
                                "ISNULL",
                                "ISNOTNULL",
                                "ISIN",
                                "ISNOTIN",
                                "ISBITSET",
                                "ISBITNOTSET",
                                "ISMEMBEROF",
                                "ISNOTMEMBEROF",
                            ],
                        ),
                        s(),
                    ],
                )),
                nullable_array(object(
                    &keys::MAPPING,
                    [
                        with_examples(s(), &["Direct", "Constant", "Expression"]),
                        with_examples(s(), &["Update", "Replace", "MergeCaseInsensitive", "Merge"]),
                        b(),
                        s(),
                        s(),
                        s(),
                        s(),
                    ],
                )),
            ],
        ),
    );
    put("extension", extension(&strings));
    put("nameValue", name_value());
    Value::Object(d)
}

/// The extension part (`x-syncpolicy`).
fn extension(strings: &Value) -> Value {
    let parameter = json!({ "$ref": "#/$defs/nameValue" });
    let connector = object(
        &keys::EXT_CONNECTOR,
        [
            s(),
            s(),
            s(),
            strings.clone(),
            strings.clone(),
            nullable_array(object(
                &keys::EXT_RUN_PROFILE,
                [
                    s(),
                    nullable_array(object(
                        &keys::EXT_RUN_STEP,
                        [
                            with_examples(
                                s(),
                                &[
                                    "full-import",
                                    "delta-import",
                                    "full-sync",
                                    "delta-sync",
                                    "export",
                                ],
                            ),
                            s(),
                            nullable_array(parameter.clone()),
                        ],
                    )),
                ],
            )),
            nullable_object(
                &keys::EXT_HIERARCHY,
                [
                    b(),
                    nullable_array(object(&keys::EXT_HIERARCHY_MAPPING, [s(), s(), s()])),
                ],
            ),
        ],
    );
    described(
        nullable_object(
            &keys::EXT,
            [
                nullable(json!({ "type": "integer", "minimum": 0, "maximum": u32::MAX })),
                b(),
                nullable_object(&keys::EXT_SCHEDULER, [s(), b(), b(), s()]),
                strings.clone(),
                nullable(connector.clone()),
                nullable_array(connector),
                nullable_array(object(&keys::EXT_RULE, [s(), s(), s(), s(), s(), s()])),
                nullable_array(parameter),
                nullable_array(accepted_finding()),
                nullable_object(
                    &keys::EXT_DIGEST,
                    [
                        s(),
                        s(),
                        nullable(json!({
                            "type": "object",
                            "additionalProperties": { "type": "string" }
                        })),
                    ],
                ),
            ],
        ),
        "syncpolicy's extension part: what the Microsoft file does not hold (staging mode, scheduler, connector settings, rule placement), ending with a digest of the content.",
    )
}

/// One accepted finding: its code and reason are required (the reader refuses an entry
/// without them), the rule, who and when are optional.
fn accepted_finding() -> Value {
    let mut schema = object(&keys::EXT_ACCEPTED, [string(), s(), string(), s(), s()]);
    schema["required"] = json!(["code", "reason"]);
    schema
}

/// A `name`/`value` entry: the one object whose other keys the reader refuses.
fn name_value() -> Value {
    let mut schema = object(&keys::EXT_PARAMETER, [s(), s()]);
    schema["additionalProperties"] = json!(false);
    schema
}

fn string() -> Value {
    json!({ "type": "string" })
}

fn boolean() -> Value {
    json!({ "type": "boolean" })
}

/// A string, or `null` (read as missing).
fn s() -> Value {
    nullable(string())
}

/// A boolean, or `null` (read as its default).
fn b() -> Value {
    nullable(boolean())
}

/// `schema` or `null`.
fn nullable(schema: Value) -> Value {
    json!({ "anyOf": [schema, { "type": "null" }] })
}

/// An array of `items`, or `null`.
fn nullable_array(items: Value) -> Value {
    nullable(json!({ "type": "array", "items": items }))
}

/// Groups (OR) of conditions (AND): an array of arrays, each `null` or empty when absent.
fn groups(items: Value) -> Value {
    nullable_array(nullable(json!({ "type": "array", "items": items })))
}

/// An object with these keys (each optional, with its schema) and any other keys kept.
fn object<const N: usize>(table: &[&str; N], schemas: [Value; N]) -> Value {
    let properties: Map<String, Value> =
        table.iter().map(|k| (*k).to_owned()).zip(schemas).collect();
    json!({ "type": "object", "properties": properties, "additionalProperties": true })
}

/// [`object`], or `null`.
fn nullable_object<const N: usize>(table: &[&str; N], schemas: [Value; N]) -> Value {
    nullable(object(table, schemas))
}

fn described(mut schema: Value, description: &str) -> Value {
    if let Some(map) = schema.as_object_mut() {
        map.insert("description".into(), json!(description));
    }
    schema
}

fn with_examples(mut schema: Value, examples: &[&str]) -> Value {
    if let Some(map) = schema.as_object_mut() {
        map.insert("examples".into(), json!(examples));
    }
    schema
}
