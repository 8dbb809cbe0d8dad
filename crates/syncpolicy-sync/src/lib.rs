//! The offline synchronization engine: a configuration's connector filters and synchronization
//! rules run over exported directory objects, as the Entra Connect sync engine runs them, and
//! the impact of changing one configuration into another, object by object. No I/O.
//!
//! The pipeline (`sync-engine.md` A.2-A.3, `declarative-provisioning.md` §3):
//! 1. [`filter`]: domain/partition, OU, object type and group filtering, attribute inclusion;
//! 2. inbound rules ([`prepare`], [`scope`]): scoping, the one join rule, join or projection,
//!    flows with precedence per attribute ([`resolve`]);
//! 3. the metaverse: objects of every directory joined as the rules say, in connector creation
//!    order ([`engine`]);
//! 4. outbound rules to Entra (and, with Entra objects given, to the on-premises directories).
//!
//! [`stream`] runs the same pipeline in two passes for callers that need counts or comparisons
//! only, holding the join plan instead of every object's result; [`pair`] runs `impact`'s
//! second pass over both configurations at once, staging once what both sides stage the same;
//! [`pair_run`] is `impact`'s whole streamed run, both passes, over objects its caller reads;
//! [`single_pass`] counts `simulate --summary` and [`pair_single`] compares `impact` in one
//! pass where the objects do not meet.
//!
//! ```
//! use syncpolicy_sync::{Simulator, Options};
//! let config = syncpolicy_model::config::Configuration::default();
//! let simulator = Simulator::new(&config, Options::default());
//! let simulation = simulator.run(Vec::new());
//! assert_eq!(simulation.objects.len(), 0);
//! ```

pub mod engine;
pub mod filter;
pub mod impact;
mod key_filter;
pub mod name;
pub mod pair;
pub mod pair_run;
pub mod pair_single;
pub mod prepare;
pub mod resolve;
pub mod scope;
pub mod single_pass;
pub mod stream;

pub use engine::{
    Export, ExportOutcome, FilterReason, JoinOutcome, MvObject, ObjectResult, Options, Origin,
    Simulation, Simulator, SourceInput, Summary,
};
pub use impact::{impact, Impact, ImpactStream};
pub use pair::{PairStreamer, Side};
pub use pair_run::{run_pair, ObjectsChanged, PairRun, PairSide, Pass};
pub use pair_single::{run_pair_single, PairPass};
pub use single_pass::{run_summary, SinglePassStats, SummaryPass};
pub use stream::{Plan, RunFacts, RunSummary, Streamed, Streamer};
