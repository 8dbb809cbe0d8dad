//! `--redact` for the simulation reports: attribute values and DNs replaced by stable
//! placeholders (the same text always gets the same placeholder), names, counts and structure
//! kept; and `printable`, which keeps control characters off the terminal.

use serde_json::Value as Json;
use std::collections::{HashMap, HashSet};
use syncpolicy_expr::object::value_to_json;
use syncpolicy_expr::value::Value;
use syncpolicy_model::config::Configuration;
use syncpolicy_sync::Simulation;

/// Replaces values by placeholders when enabled; passes them through otherwise.
#[derive(Debug, Default)]
pub struct Redactor {
    enabled: bool,
    placeholders: HashMap<String, String>,
    /// Names that are configuration, not data: rule, directory, attribute and type names.
    allowed: HashSet<String>,
}

impl Redactor {
    /// A redactor that knows the names of a configuration and simulation.
    pub fn for_simulation(enabled: bool, config: &Configuration, sim: &Simulation) -> Redactor {
        let mut r = Redactor::new(enabled);
        if enabled {
            r.allow_configuration(config);
            for rule in &sim.rules {
                r.allowed.insert(rule.name.clone());
            }
            for m in &sim.metaverse {
                r.allowed.insert(m.object_type.clone());
                r.allowed
                    .extend(m.attributes.iter().map(|a| a.name.to_string()));
            }
        }
        r
    }

    pub fn new(enabled: bool) -> Redactor {
        Redactor {
            enabled,
            ..Redactor::default()
        }
    }

    /// Adds the names of a configuration (directories, rules, attributes its rules name).
    pub fn allow_configuration(&mut self, config: &Configuration) {
        for d in &config.onpremises_directories {
            self.allowed.insert(d.name.clone());
        }
        self.allowed.insert("Entra ID".to_owned());
        for (_, rule) in config.rules() {
            self.allowed.insert(rule.name().to_owned());
            for m in &rule.mappings {
                self.allowed.extend(m.destination.clone());
                self.allowed
                    .extend(m.sources().into_iter().map(str::to_owned));
            }
            for g in &rule.scope_groups {
                for c in g {
                    self.allowed.extend(c.attribute.clone());
                }
            }
            for g in &rule.join_groups {
                for j in g {
                    self.allowed.extend(j.source.clone());
                    self.allowed.extend(j.destination.clone());
                }
            }
            self.allowed.extend(rule.source_object_type.clone());
            self.allowed.extend(rule.target_object_type.clone());
        }
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    fn placeholder(&mut self, text: &str) -> String {
        let n = self.placeholders.len() + 1;
        self.placeholders
            .entry(text.to_owned())
            .or_insert_with(|| format!("redacted-{n}"))
            .clone()
    }

    /// A DN, or its placeholder.
    pub fn dn(&mut self, dn: &str) -> String {
        if self.enabled {
            self.placeholder(dn)
        } else {
            dn.to_owned()
        }
    }

    /// An attribute value as JSON (typed as `expr eval` prints it), or placeholders: one per
    /// value, so multi-valued attributes keep their count.
    pub fn value(&mut self, _name: &str, v: &Value) -> Json {
        if !self.enabled {
            return value_to_json(v);
        }
        match v {
            Value::Multi(vs) => Json::Array(
                vs.iter()
                    .map(|x| Json::String(self.placeholder(&x.to_string())))
                    .collect(),
            ),
            other => Json::String(self.placeholder(&other.to_string())),
        }
    }

    /// An attribute value as one line of text, or its placeholders.
    pub fn display(&mut self, name: &str, v: &Value) -> String {
        match self.value(name, v) {
            Json::String(s) => s,
            Json::Array(items) if self.enabled => items
                .iter()
                .map(|i| i.as_str().unwrap_or("").to_owned())
                .collect::<Vec<_>>()
                .join("; "),
            _ => match v {
                Value::Multi(vs) => vs
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
                other => other.to_string(),
            },
        }
    }

    /// A message: every back-quoted part that is not a known name becomes a placeholder.
    pub fn text(&mut self, message: &str) -> String {
        if !self.enabled {
            return message.to_owned();
        }
        let mut out = String::with_capacity(message.len());
        let mut rest = message;
        while let Some(start) = rest.find('`') {
            let after = &rest[start + 1..];
            let Some(end) = after.find('`') else { break };
            let inner = &after[..end];
            out.push_str(&rest[..=start]);
            if self.allowed.contains(inner) {
                out.push_str(inner);
            } else {
                let p = self.placeholder(inner);
                out.push_str(&p);
            }
            out.push('`');
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        out
    }
}

/// Text safe for a terminal: control characters (other than tab) as `\u{..}` escapes.
pub fn printable(text: &str) -> String {
    if !text.chars().any(|c| c.is_control() && c != '\t') {
        return text.to_owned();
    }
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                format!("\\u{{{:x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}
