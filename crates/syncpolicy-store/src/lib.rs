//! The deployment store (being built).
