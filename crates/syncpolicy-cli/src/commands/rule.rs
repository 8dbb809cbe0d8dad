//! `syncpolicy rule`: the rules editor — list, show, add, edit, enable, disable, clone a
//! standard rule into an editable custom copy, delete a custom rule, move in precedence.

use crate::change::{self, ChangeArgs};
use crate::context::{Context, DeploymentArgs};
use crate::exit;
use crate::output::{print_stdout, OutputFormat, Style};
use anyhow::Context as _;
use clap::{Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use syncpolicy_edit::precedence::Placement;
use syncpolicy_edit::rules::{self, RuleEdit};
use syncpolicy_edit::select::{self, RuleSelector};
use syncpolicy_model::config::{Configuration, RuleLocation, RuleSet};
use syncpolicy_model::enums::{Direction, LinkType, MergeType};
use syncpolicy_model::rule::SyncRule;
use syncpolicy_views::rules as views;

/// Arguments of `syncpolicy rule`.
#[derive(Debug, clap::Args)]
pub(crate) struct RuleArgs {
    #[command(subcommand)]
    pub(crate) action: RuleAction,
    #[command(flatten)]
    pub(crate) deployment: DeploymentArgs,
}

/// Which rule: by name or identifier, narrowed by directory and direction when a name is
/// shared.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Which {
    /// The rule's name or identifier.
    pub(crate) rule: String,
    /// The directory the rule belongs to (a forest name, or `entra`).
    #[arg(long)]
    pub(crate) directory: Option<String>,
    /// The rule's direction.
    #[arg(long, value_enum)]
    pub(crate) direction: Option<Dir>,
}

impl Which {
    fn selector(&self) -> RuleSelector {
        RuleSelector {
            rule: self.rule.clone(),
            directory: self.directory.clone(),
            direction: self.direction.map(|d| d.name().to_owned()),
        }
    }
}

/// Rule directions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Dir {
    /// From a connector into the metaverse.
    Inbound,
    /// From the metaverse out to a connector.
    Outbound,
}

impl Dir {
    fn name(self) -> &'static str {
        match self {
            Dir::Inbound => "Inbound",
            Dir::Outbound => "Outbound",
        }
    }
}

/// Link types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Link {
    /// Create the target object when no join matches.
    Provision,
    /// Join an existing object; the join ends when the rule no longer applies.
    Join,
    /// Join an existing object and keep the join when the rule no longer applies.
    StickyJoin,
    /// Join without flowing attributes.
    JoinNoFlow,
}

impl Link {
    fn to_model(self) -> LinkType {
        match self {
            Link::Provision => LinkType::Provision,
            Link::Join => LinkType::Join,
            Link::StickyJoin => LinkType::StickyJoin,
            Link::JoinNoFlow => LinkType::JoinNoFlow,
        }
    }
}

/// Placement relative to another custom rule.
#[derive(Debug, Clone, clap::Args)]
#[group(multiple = false)]
pub(crate) struct Place {
    /// Put the rule directly in front of (winning over) this custom rule, renumbering custom
    /// rules within 0-99 when needed.
    #[arg(long, value_name = "RULE")]
    pub(crate) before: Option<String>,
    /// Put the rule directly behind this custom rule.
    #[arg(long, value_name = "RULE")]
    pub(crate) after: Option<String>,
}

impl Place {
    fn resolve(
        &self,
        config: &Configuration,
    ) -> Result<Option<Placement>, syncpolicy_edit::EditError> {
        let find = |name: &str| {
            select::rule(
                config,
                &RuleSelector {
                    rule: name.to_owned(),
                    ..RuleSelector::default()
                },
            )
        };
        Ok(match (&self.before, &self.after) {
            (Some(b), _) => Some(Placement::Before(find(b)?)),
            (_, Some(a)) => Some(Placement::After(find(a)?)),
            _ => None,
        })
    }
}

/// The content flags shared by `add` and `edit`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Content {
    /// The rule's description.
    #[arg(long)]
    pub(crate) description: Option<String>,
    /// A scope group: clauses "ATTRIBUTE OPERATOR VALUE" separated by ';' (AND). Repeat for
    /// more groups (OR). Replaces the rule's scope on edit.
    #[arg(long = "scope", value_name = "GROUP")]
    pub(crate) scope: Vec<String>,
    /// A join group: "CS=MV" conditions separated by ',' (AND), a trailing ! for
    /// case-sensitive. Repeat for more groups, tried in order. Replaces the joins on edit.
    #[arg(long = "join", value_name = "GROUP")]
    pub(crate) join: Vec<String>,
    /// A mapping: "DEST<-SOURCE" (direct), "DEST:=EXPRESSION" (expression) or "DEST=VALUE"
    /// (constant). Repeatable; on edit it replaces the mapping to the same destination.
    #[arg(long = "mapping", value_name = "MAPPING")]
    pub(crate) mapping: Vec<String>,
    /// Merge type of the mappings given here.
    #[arg(long, value_enum)]
    pub(crate) merge: Option<MergeArg>,
    /// The mappings given here apply only once (on creation).
    #[arg(long)]
    pub(crate) execute_once: bool,
    /// The link type.
    #[arg(long, value_enum)]
    pub(crate) link_type: Option<Link>,
}

/// Merge types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum MergeArg {
    /// The winning rule's value replaces the target's (the usual merge type).
    Update,
    /// Replace the target's values with this rule's (multi-valued attributes).
    Replace,
    /// Merge this rule's values into the target's (multi-valued attributes).
    Merge,
    /// Merge, treating values that differ only in case as one.
    MergeCaseInsensitive,
}

impl MergeArg {
    fn to_model(self) -> MergeType {
        match self {
            MergeArg::Update => MergeType::Update,
            MergeArg::Replace => MergeType::Replace,
            MergeArg::Merge => MergeType::Merge,
            MergeArg::MergeCaseInsensitive => MergeType::MergeCaseInsensitive,
        }
    }
}

impl Content {
    fn to_edit(&self) -> Result<RuleEdit, syncpolicy_edit::EditError> {
        let mut e = RuleEdit {
            description: self.description.clone(),
            ..RuleEdit::default()
        };
        if !self.scope.is_empty() {
            e.scope_groups = Some(
                self.scope
                    .iter()
                    .map(|g| rules::parse_scope_group(g))
                    .collect::<Result<_, _>>()?,
            );
        }
        if !self.join.is_empty() {
            e.join_groups = Some(
                self.join
                    .iter()
                    .map(|g| rules::parse_join_group(g))
                    .collect::<Result<_, _>>()?,
            );
        }
        for m in &self.mapping {
            e.set_mappings.push(rules::parse_mapping(
                m,
                self.merge.map(MergeArg::to_model),
                self.execute_once,
            )?);
        }
        e.link_type = self.link_type.map(Link::to_model);
        Ok(e)
    }
}

/// Which rules `rule list` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Kind {
    /// The out-of-box rules the product ships (with an immutable tag).
    Standard,
    /// Rules an administrator added (precedence 0-99).
    Custom,
}

#[derive(Debug, Subcommand)]
pub(crate) enum RuleAction {
    /// List rules by precedence, optionally filtered.
    List {
        /// Only this directory (a forest name, or `entra`).
        #[arg(long)]
        directory: Option<String>,
        /// Only this direction.
        #[arg(long, value_enum)]
        direction: Option<Dir>,
        /// Only standard or only custom rules.
        #[arg(long, value_enum)]
        kind: Option<Kind>,
        /// Only disabled rules.
        #[arg(long, conflicts_with = "enabled")]
        disabled: bool,
        /// Only enabled rules.
        #[arg(long)]
        enabled: bool,
        /// Read from this source instead of the deployment.
        #[arg(long, value_name = "SOURCE")]
        source: Option<String>,
        /// Output format: a table, or the rules as data.
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Show one rule in full (JSON: `syncpolicy-rule/1`, the rule in the settings-file shape
    /// under `rule`; `rule add --file` reads it as printed).
    Show {
        #[command(flatten)]
        which: Which,
        /// Read from this source instead of the deployment.
        #[arg(long, value_name = "SOURCE")]
        source: Option<String>,
        /// Output format: readable text, or the rule in the settings-file rule shape.
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Add a custom rule, from a file (JSON in the settings-file rule shape) or from flags.
    /// It gets the lowest free precedence in 0-99 unless --precedence, --before or --after.
    /// A Rules Editor export (FILE.ps1) adds every rule in it, in one change, each at its own
    /// precedence and in the directory of its connector.
    #[command(
        override_usage = "syncpolicy rule add [OPTIONS] --directory <DIRECTORY> --name <NAME> --direction <DIRECTION> --source <SOURCE> --target <TARGET>\n       syncpolicy rule add [OPTIONS] --file <FILE>"
    )]
    Add {
        /// The directory it belongs to (a forest name, or `entra`); not with a .ps1 file, whose
        /// rules name their connectors.
        #[arg(long, required_unless_present = "file")]
        directory: Option<String>,
        /// A JSON file holding the rule, or a Rules Editor export (.ps1) holding one or more.
        #[arg(long, value_name = "FILE", conflicts_with_all = ["name", "direction", "source", "target"])]
        file: Option<PathBuf>,
        /// With a .ps1 file: the directory of a connector identifier that no directory has
        /// (connector identifiers differ per server): CONNECTOR=DIRECTORY, a directory name or
        /// identifier. Repeat for more connectors.
        #[arg(long = "map", value_name = "CONNECTOR=DIRECTORY", value_parser = crate::commands::diff::parse_map)]
        map: Vec<(String, String)>,
        /// The rule's name.
        #[arg(long, required_unless_present = "file")]
        name: Option<String>,
        /// The rule's direction: inbound (into the metaverse) or outbound (to a connector).
        #[arg(long, value_enum, required_unless_present = "file")]
        direction: Option<Dir>,
        /// Source object type, e.g. user.
        #[arg(long, required_unless_present = "file")]
        source: Option<String>,
        /// Target object type, e.g. person.
        #[arg(long, required_unless_present = "file")]
        target: Option<String>,
        #[command(flatten)]
        content: Content,
        /// The precedence (must be free).
        #[arg(long)]
        precedence: Option<i32>,
        #[command(flatten)]
        place: Place,
        /// Add it disabled.
        #[arg(long = "disable")]
        add_disabled: bool,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Edit a rule. Standard rules can only be enabled or disabled unless --force (validate
    /// then reports them as modified); clone them instead.
    Edit {
        #[command(flatten)]
        which: Which,
        #[command(flatten)]
        content: Content,
        /// Remove the mapping to this destination (repeatable).
        #[arg(long, value_name = "DEST")]
        remove_mapping: Vec<String>,
        /// The precedence (must be free).
        #[arg(long)]
        precedence: Option<i32>,
        #[command(flatten)]
        place: Place,
        /// Change a standard rule anyway.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Disable a rule.
    Disable {
        #[command(flatten)]
        which: Which,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Accept the validation findings of one code about a rule, with a reason: recorded in
    /// the configuration's accepted findings (docs/accepted-findings.md), they no longer count
    /// for `validate`'s exit code (also with --deny-warnings) and the report shows them as
    /// accepted.
    Accept {
        #[command(flatten)]
        which: Which,
        /// The code accepted (e.g. SP011); `syncpolicy validate --explain all` lists them.
        #[arg(value_name = "CODE")]
        code: String,
        /// Why the finding is accepted (recorded with it, shown in the report).
        #[arg(long, value_name = "TEXT")]
        reason: String,
        /// Record the acceptance in this settings file instead of the deployment: the file is
        /// read, the entry added, and the file written again by syncpolicy (atomically, with a
        /// new digest, so that the edit is not reported as a hand edit, SP070). Text output
        /// only; --dry-run writes nothing.
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Enable a rule.
    Enable {
        #[command(flatten)]
        which: Which,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Clone a standard rule into an editable custom rule (lowest free precedence in 0-99)
    /// and disable the original: the supported way to change a standard rule.
    Clone {
        #[command(flatten)]
        which: Which,
        /// The clone's name (default: "Custom - <name>").
        #[arg(long)]
        name: Option<String>,
        /// The clone's precedence (must be free).
        #[arg(long)]
        precedence: Option<i32>,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Delete a custom rule (standard rules can only be disabled).
    Delete {
        #[command(flatten)]
        which: Which,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Write rules in the Rules Editor's PowerShell (its Export grammar): the named rules, or
    /// every rule of the source. Run the file on a server with the ADSync module to create them.
    Export {
        /// The rules (name or identifier); none: every rule.
        #[arg(value_name = "RULE")]
        rules: Vec<String>,
        /// Read from this source instead of the deployment.
        #[arg(long, value_name = "SOURCE")]
        from: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExportFormat::Powershell)]
        format: ExportFormat,
        /// Write to this file (atomically; UTF-8 with a byte-order mark, which Windows
        /// PowerShell 5.1 needs to read non-ASCII text) instead of standard output.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Move a custom rule in precedence, before or after another custom rule.
    Move {
        #[command(flatten)]
        which: Which,
        #[command(flatten)]
        place: Place,
        #[command(flatten)]
        change: ChangeArgs,
    },
}

pub(crate) fn run(args: &RuleArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    use RuleAction as A;
    match &args.action {
        A::List {
            directory,
            direction,
            kind,
            disabled,
            enabled,
            source,
            format,
        } => {
            let config = change::current(ctx, source.as_deref())?;
            let dir = match directory {
                Some(d) => Some(select::directory(&config, d)?),
                None => None,
            };
            let mut rows: Vec<(RuleLocation, &SyncRule)> = config
                .rules()
                .filter(|(loc, r)| {
                    dir.is_none_or(|d| d == loc.directory)
                        && direction.is_none_or(|x| r.direction_str() == x.name())
                        && kind.is_none_or(|k| (k == Kind::Custom) == (loc.set == RuleSet::Custom))
                        && (!disabled || r.disabled)
                        && (!enabled || !r.disabled)
                })
                .collect();
            rows.sort_by(|a, b| {
                a.1.precedence
                    .cmp(&b.1.precedence)
                    .then(a.1.name().cmp(b.1.name()))
            });
            let out = match format {
                OutputFormat::Json => views::render_list_json(&config, &rows)?,
                OutputFormat::Text => {
                    views::render_list_text(&config, &rows, &Style::new(ctx.color_stdout))
                }
            };
            print_stdout(&out)?;
            Ok(ExitCode::from(exit::OK))
        }
        A::Show {
            which,
            source,
            format,
        } => {
            let config = change::current(ctx, source.as_deref())?;
            let at = select::rule(&config, &which.selector())?;
            let Some(r) = config.rule(at) else {
                anyhow::bail!("the rule disappeared while reading");
            };
            let out = match format {
                OutputFormat::Json => views::render_rule_json(&config, at, r)?,
                OutputFormat::Text => {
                    views::render_rule_text(&config, at, r, &Style::new(ctx.color_stdout))
                }
            };
            print_stdout(&out)?;
            Ok(ExitCode::from(exit::OK))
        }
        A::Add {
            file: Some(path),
            directory,
            map,
            change,
            ..
        } if crate::source::is_powershell(path) => {
            if directory.is_some() {
                anyhow::bail!(
                    "a .ps1 file names the connector of each rule; --directory does not apply\nhint: pair a connector no directory has with --map CONNECTOR=DIRECTORY"
                );
            }
            add_powershell(ctx, path, map, change)
        }
        A::Export {
            rules,
            from,
            format,
            output,
        } => export(ctx, rules, from.as_deref(), *format, output.as_deref()),
        A::Add {
            directory,
            file,
            map,
            name,
            direction,
            source,
            target,
            content,
            precedence,
            place,
            add_disabled,
            change,
        } => {
            let mut rule = match file {
                Some(path) => {
                    let bytes = std::fs::read(path)
                        .with_context(|| format!("cannot read {}", path.display()))?;
                    let bytes = rule_of_document(&bytes);
                    syncpolicy_json::read_rule(&bytes, &path.display().to_string())?
                }
                None => SyncRule {
                    name: name.clone(),
                    direction: direction.map(|d| Direction::parse(d.name())),
                    source_object_type: source.clone(),
                    target_object_type: target.clone(),
                    link_type: Some(LinkType::Join),
                    ..SyncRule::default()
                },
            };
            let id = change::new_identifier();
            rule.unique_identifier = Some(id.clone());
            rule.internal_identifier = id;
            if *add_disabled {
                rule.disabled = true;
            }
            let edit = content.to_edit()?;
            apply_content(&mut rule, edit);
            let explicit = precedence.is_some();
            if let Some(p) = precedence {
                rule.precedence = *p;
            }
            if !map.is_empty() {
                anyhow::bail!("--map applies to a .ps1 file only");
            }
            let Some(directory) = directory else {
                anyhow::bail!("say which directory the rule belongs to\nhint: give --directory (a forest name, or entra)");
            };
            change::apply(ctx, change, "rule add", |c| {
                let dir = select::directory(c, directory)?;
                let placement = place.resolve(c)?;
                rules::add_custom_rule(c, dir, rule, explicit, placement)
            })
        }
        A::Edit {
            which,
            content,
            remove_mapping,
            precedence,
            place,
            force,
            change,
        } => {
            let mut edit = content.to_edit()?;
            edit.remove_mappings = remove_mapping.clone();
            edit.precedence = *precedence;
            change::apply(ctx, change, "rule edit", |c| {
                let at = select::rule(c, &which.selector())?;
                edit.placement = place.resolve(c)?;
                rules::edit_rule(c, at, edit, *force)
            })
        }
        A::Disable { which, change } => change::apply(ctx, change, "rule disable", |c| {
            let at = select::rule(c, &which.selector())?;
            rules::set_disabled(c, at, true)
        }),
        A::Accept {
            which,
            code,
            reason,
            file,
            change,
        } => {
            let codes = crate::codes::all();
            let known = crate::codes::validation_codes(&codes);
            let Some(code) = known.iter().find(|k| k.eq_ignore_ascii_case(code.trim())) else {
                let near = syncpolicy_model::suggest::hint(code, known.iter().copied(), "codes")
                    .map(|h| format!("\nhint: {h}"))
                    .unwrap_or_default();
                anyhow::bail!(
                    "{:?} is not a code of `syncpolicy validate`{near}\nhint: `syncpolicy validate --explain all` lists every code",
                    code.trim()
                );
            };
            let by = crate::deployment::author(change.author.as_deref());
            let when = syncpolicy_files::timestamp::UtcMillis::now().iso();
            if let Some(path) = file {
                return accept_in_file(ctx, path, change, |c| {
                    let at = select::rule(c, &which.selector())?;
                    rules::accept_finding(c, at, code, reason, Some(by), Some(when))
                });
            }
            change::apply(ctx, change, "rule accept", |c| {
                let at = select::rule(c, &which.selector())?;
                rules::accept_finding(c, at, code, reason, Some(by), Some(when))
            })
        }
        A::Enable { which, change } => change::apply(ctx, change, "rule enable", |c| {
            let at = select::rule(c, &which.selector())?;
            rules::set_disabled(c, at, false)
        }),
        A::Clone {
            which,
            name,
            precedence,
            change,
        } => {
            let id = change::new_identifier();
            change::apply(ctx, change, "rule clone", |c| {
                let at = select::rule(c, &which.selector())?;
                rules::clone_standard_rule(c, at, name.clone(), id, *precedence)
            })
        }
        A::Delete { which, change } => change::apply(ctx, change, "rule delete", |c| {
            let at = select::rule(c, &which.selector())?;
            rules::delete_custom_rule(c, at)
        }),
        A::Move {
            which,
            place,
            change,
        } => {
            if place.before.is_none() && place.after.is_none() {
                anyhow::bail!(
                    "say where to move the rule\nhint: give --before RULE or --after RULE"
                );
            }
            change::apply(ctx, change, "rule move", |c| {
                let at = select::rule(c, &which.selector())?;
                let edit = RuleEdit {
                    placement: place.resolve(c)?,
                    ..RuleEdit::default()
                };
                rules::edit_rule(c, at, edit, false)
            })
        }
    }
}

/// Output formats of `rule export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExportFormat {
    /// The Rules Editor's Export grammar (New-ADSyncRule ... Add-ADSyncRule).
    Powershell,
}

/// `rule add --file FILE.ps1`: every rule of a Rules Editor export, in one change.
fn add_powershell(
    ctx: &Context,
    path: &std::path::Path,
    map: &[(String, String)],
    change: &ChangeArgs,
) -> anyhow::Result<ExitCode> {
    let file = crate::source::read_powershell(path)?;
    if file.rules.is_empty() {
        anyhow::bail!(
            "{} holds no rule\nhint: a Rules Editor export starts each rule with New-ADSyncRule",
            path.display()
        );
    }
    let label = path.display().to_string();
    change::apply(ctx, change, "rule add", |c| {
        let placed = syncpolicy_powershell::place_rules(c, &file.rules, map, &label)
            .map_err(|e| syncpolicy_edit::EditError::Invalid {
                message: format!(
                    "{}:{}: the rule {:?} belongs to the connector {}, which is no directory of the deployment; nothing was changed",
                    e.file, e.line, e.rule, e.connector
                ),
                hint: e.hint,
            })?;
        let mut summaries = Vec::new();
        for (dir, rule) in placed {
            if let Some(id) = rule.unique_identifier.as_deref() {
                if let Some((_, existing)) = c.rules().find(|(_, r)| {
                    r.unique_identifier
                        .as_deref()
                        .is_some_and(|x| syncpolicy_model::identity::same_guid(x, id))
                }) {
                    return Err(syncpolicy_edit::EditError::Refused {
                        message: format!(
                            "the rule {:?} of {label} has the identifier {id}, which the rule {:?} already has; nothing was changed",
                            rule.name(),
                            existing.name()
                        ),
                        hint: "to change an existing rule use `rule edit`; to add a copy give it another -Identifier".to_owned(),
                    });
                }
            }
            summaries.push(rules::add_custom_rule(c, dir, rule, true, None)?);
        }
        Ok(if summaries.len() == 1 {
            summaries.remove(0)
        } else {
            format!(
                "{} rules from {label}: {}",
                summaries.len(),
                summaries.join("; ")
            )
        })
    })
}

/// `rule export`: rules in the Rules Editor's grammar.
fn export(
    ctx: &Context,
    names: &[String],
    from: Option<&str>,
    format: ExportFormat,
    output: Option<&std::path::Path>,
) -> anyhow::Result<ExitCode> {
    let config = change::current(ctx, from)?;
    let locations: Vec<RuleLocation> = if names.is_empty() {
        config.rules().map(|(loc, _)| loc).collect()
    } else {
        names
            .iter()
            .map(|n| {
                select::rule(
                    &config,
                    &RuleSelector {
                        rule: n.clone(),
                        ..RuleSelector::default()
                    },
                )
            })
            .collect::<Result<_, _>>()?
    };
    let mut items: Vec<(&SyncRule, String)> = Vec::new();
    for at in locations {
        let Some(r) = config.rule(at) else {
            anyhow::bail!("the rule disappeared while reading");
        };
        let id = r
            .unique_identifier
            .as_deref()
            .unwrap_or(&r.internal_identifier);
        if !syncpolicy_model::identity::is_guid(id) {
            anyhow::bail!(
                "the rule {:?} has no identifier (GUID), which New-ADSyncRule needs\nhint: give it one in the settings file (uniqueIdentifier)",
                r.name()
            );
        }
        items.push((
            r,
            syncpolicy_powershell::connect::connector_of(&config, at.directory),
        ));
    }
    let text = match format {
        ExportFormat::Powershell => syncpolicy_powershell::write_rules(
            items.iter().map(|(r, c)| (*r, c.as_str())),
            syncpolicy_powershell::LineEnding::Lf,
        ),
    };
    match output {
        Some(path) => {
            let mut bytes = vec![0xEF, 0xBB, 0xBF];
            bytes.extend_from_slice(text.as_bytes());
            crate::output::write_file(path, &bytes)?;
            ctx.status(&format!(
                "wrote {} to {}",
                syncpolicy_model::words::count(items.len(), "rule", "rules"),
                path.display()
            ));
        }
        None => print_stdout(&text)?,
    }
    Ok(ExitCode::from(exit::OK))
}

/// Applies the content flags of `rule add` to a new rule.
fn apply_content(rule: &mut SyncRule, edit: RuleEdit) {
    if let Some(d) = edit.description {
        rule.description = d;
    }
    if let Some(s) = edit.scope_groups {
        rule.scope_groups = s;
    }
    if let Some(j) = edit.join_groups {
        rule.join_groups = j;
    }
    if let Some(l) = edit.link_type {
        rule.link_type = Some(l);
    }
    rule.mappings.extend(edit.set_mappings);
}

/// The rule of a `rule show --format json` document (`syncpolicy-rule/1`: the rule under
/// `rule`), or the bytes as they are (a bare rule in the settings-file shape).
fn rule_of_document(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    #[derive(serde::Deserialize)]
    struct Document<'a> {
        schema: String,
        #[serde(borrow)]
        rule: &'a serde_json::value::RawValue,
    }
    match serde_json::from_slice::<Document<'_>>(bytes) {
        Ok(d) if d.schema.starts_with("syncpolicy-rule/") => {
            std::borrow::Cow::Owned(d.rule.get().as_bytes().to_vec())
        }
        _ => std::borrow::Cow::Borrowed(bytes),
    }
}

/// `rule accept --file FILE`: the acceptance recorded in a settings file, written again by
/// syncpolicy (atomically, with the digest of its new content); `--dry-run` writes nothing.
fn accept_in_file(
    ctx: &Context,
    path: &Path,
    change: &ChangeArgs,
    edit: impl FnOnce(&mut Configuration) -> syncpolicy_edit::error::EditResult,
) -> anyhow::Result<ExitCode> {
    if change.format == OutputFormat::Json {
        anyhow::bail!(
            "--format json describes a change of the deployment; with --file the settings file itself is the result\nhint: leave out --format json, or record the acceptance in the deployment (without --file)"
        );
    }
    let mut config = crate::source::load_file(path, ctx)?.config;
    let summary = edit(&mut config).map_err(|e| anyhow::anyhow!("{e}"))?;
    if change.dry_run {
        crate::output::print_stdout(&format!(
            "{} (dry run: {} not written)\n",
            syncpolicy_views::escape::text(&summary),
            path.display()
        ))?;
        return Ok(ExitCode::from(exit::OK));
    }
    config.extension.recorded_digest = None;
    crate::output::write_file(path, &syncpolicy_json::write_settings(&config))?;
    crate::output::print_stdout(&format!("{}\n", syncpolicy_views::escape::text(&summary)))?;
    ctx.status(&format!("  wrote {}", path.display()));
    Ok(ExitCode::from(exit::OK))
}
