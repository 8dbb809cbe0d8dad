//! Semantic, identity-aware comparison of two configurations (being built).
