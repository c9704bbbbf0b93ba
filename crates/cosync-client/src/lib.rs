//! Typed async client of a Cosync JWT host's admin API.
