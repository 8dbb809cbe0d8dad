//! Integration tests of the synchronization engine: connector filters, scoping, join,
//! precedence, outbound, the out-of-box rule set, impact, properties, and golden results.

mod bench_config;
mod filters;
mod golden;
mod impact;
mod oob;
mod pipeline;
mod properties;
mod scoping;
mod support;
mod writeback;
