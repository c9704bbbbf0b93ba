//! The offline store of a host's apps: one SQLite file per host and app, with an in-memory search index.
