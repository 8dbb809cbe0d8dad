//! Renderers of diagnostics: terminal text, JSON and SARIF (being built).
