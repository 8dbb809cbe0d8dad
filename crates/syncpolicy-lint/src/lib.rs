//! Validation rules for configurations (being built).
