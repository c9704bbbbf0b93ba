//! One method per admin route of the spec (§5), grouped by what they manage.

mod apps;
mod invites;
mod logs;
mod users;
