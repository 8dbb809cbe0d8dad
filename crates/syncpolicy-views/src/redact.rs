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

    /// A redactor that knows the names of a configuration and of a run's summary (the same
    /// names as [`Redactor::for_simulation`] of the same run).
    pub fn for_run(
        enabled: bool,
        config: &Configuration,
        run: &syncpolicy_sync::RunSummary,
    ) -> Redactor {
        let mut r = Redactor::new(enabled);
        if enabled {
            r.allow_configuration(config);
            for rule in &run.facts.rules {
                r.allowed.insert(rule.name.clone());
            }
            r.allowed.extend(run.metaverse_names.iter().cloned());
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

    /// A message: every back-quoted part that is not a known name becomes a placeholder, and
    /// so does every double-quoted part (expression errors quote the value they could not use,
    /// `found the string "..."`): from the first double quote to the last one, so that a value
    /// holding a double quote is replaced whole.
    pub fn text(&mut self, message: &str) -> String {
        if !self.enabled {
            return message.to_owned();
        }
        let mut out = String::with_capacity(message.len());
        let mut rest = message;
        while let Some(start) = rest.find(['`', '"']) {
            let quote = if rest.as_bytes()[start] == b'`' {
                '`'
            } else {
                '"'
            };
            let after = &rest[start + 1..];
            let end = if quote == '`' {
                after.find('`')
            } else {
                after.rfind('"')
            };
            let Some(end) = end else {
                // An unpaired quote: what follows it may be data; nothing of it is kept.
                out.push_str(&rest[..=start]);
                if !after.is_empty() {
                    let p = self.placeholder(after);
                    out.push_str(&p);
                }
                return out;
            };
            let inner = &after[..end];
            out.push_str(&rest[..=start]);
            if quote == '`' && self.allowed.contains(inner) {
                out.push_str(inner);
            } else {
                let p = self.placeholder(inner);
                out.push_str(&p);
            }
            out.push(quote);
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        out
    }

    /// A file path given on the command line (paths name people: `/home/jdoe/...`): under
    /// `--redact`, `objects-file-N` by its position; otherwise the path.
    pub fn path(&self, n: usize, path: &str) -> String {
        if self.enabled {
            format!("objects-file-{n}")
        } else {
            path.to_owned()
        }
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

#[cfg(test)]
mod tests {
    use super::Redactor;

    #[test]
    fn messages_keep_names_and_lose_quoted_data() {
        let mut r = Redactor::new(true);
        r.allowed.insert("Custom".to_owned());
        assert_eq!(
            r.text("sync-rule-error-function-triggered: `Rejected: Jo \"Bo\" Doe` (rule `Custom`)"),
            "sync-rule-error-function-triggered: `redacted-1` (rule `Custom`)"
        );
        // Double quotes: first to last, so a value holding a quote goes whole.
        assert_eq!(
            r.text("a number is needed, found the string \"12\"34\" (rule `Custom`)"),
            "a number is needed, found the string \"redacted-2\" (rule `Custom`)"
        );
        // An unpaired quote: nothing after it is kept.
        assert_eq!(r.text("entry `CN=Jo Doe"), "entry `redacted-3");
        // Same text, same placeholder.
        assert_eq!(r.text("`Rejected: Jo \"Bo\" Doe`"), "`redacted-1`");
        assert_eq!(Redactor::new(false).text("`x` \"y\""), "`x` \"y\"");
        assert_eq!(r.path(2, "/home/jdoe/x.ldif"), "objects-file-2");
    }
}
