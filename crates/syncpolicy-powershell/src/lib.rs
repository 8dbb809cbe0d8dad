//! The Synchronization Rules Editor's PowerShell: a strict reader ([`read`]) and a writer
//! ([`write`]) of the grammar its **Export** button writes (`New-ADSyncRule` ...
//! `Add-ADSyncRule`), the placement of read rules into a configuration ([`connect`]), and the
//! apply plan from a server's current configuration to a desired one ([`plan`]) with its
//! script ([`script`]) and text ([`text`]) renderings. No I/O: callers hand in bytes and get
//! text back.

pub mod connect;
mod lexer;
pub mod plan;
pub mod read;
pub mod script;
pub mod text;
pub mod write;

pub use connect::{place_rules, to_configuration, ConnectError};
pub use plan::{plan, Plan, PlanError, PlanOptions, Step};
pub use read::{read_rules, read_rules_str, LineEnding, ReadError, ReadRule, RulesFile};
pub use write::{write_rule, write_rules};

/// The Entra connector's identifier: the same on every server (Microsoft's scripts hard-code
/// it; `[Microsoft.IdentityManagement.PowerShell.ObjectModel.Constants]::AzureADConnectorGuid`).
pub const ENTRA_CONNECTOR_ID: &str = "b891884f-051e-4a83-95af-2544101c9083";

/// The all-zero GUID the editor writes for an unset `-PrecedenceAfter` / `-PrecedenceBefore`.
pub const ZERO_GUID: &str = "00000000-0000-0000-0000-000000000000";

/// Full type name of a scope condition (`New-Object -TypeName`).
pub const SCOPE_CONDITION_TYPE: &str =
    "Microsoft.IdentityManagement.PowerShell.ObjectModel.ScopeCondition";

/// Full type name of a join condition (`New-Object -TypeName`).
pub const JOIN_CONDITION_TYPE: &str =
    "Microsoft.IdentityManagement.PowerShell.ObjectModel.JoinCondition";

/// Largest input the reader takes (bytes of decoded text). An editor export of the complete
/// out-of-box rule set is about 0.2 MB; 2,000 rules about 6 MB.
pub const MAX_INPUT_BYTES: usize = 256 * 1024 * 1024;
