//! Integration tests of the synchronization engine: connector filters, scoping, join,
//! precedence, outbound, the out-of-box rule set, impact, and properties.

mod filters;
mod impact;
mod oob;
mod pipeline;
mod properties;
mod scoping;
mod support;
