//! `gatehouse-cli`: scriptable command line over gatehouse-core.

fn main() {}
