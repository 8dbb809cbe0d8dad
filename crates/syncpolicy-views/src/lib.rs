//! The presentation layer: view models of every report the tool prints, and their renderers
//! (text, markdown, JSON, HTML), shared by every front end.

pub mod answers;
pub mod change;
pub mod codes;
pub mod diff;
pub mod document;
pub mod document_html;
pub mod escape;
pub mod export;
pub mod expr_result;
pub mod expression;
pub mod flows;
pub mod history;
pub mod html;
pub mod impact;
pub mod migration;
pub mod onpremises;
pub mod prune;
pub mod redact;
pub mod rules;
pub mod schema;
pub mod simulate;
mod stream;
pub mod style;
pub mod summary;
pub mod validation;
pub mod verify;
