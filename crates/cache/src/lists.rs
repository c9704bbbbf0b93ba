//! Queries over invitations and signups. These lists are small next to the users (one
//! row per pending or past onboarding), so they are answered in SQL: `instr` over a
//! folded side column is a literal substring match, unlike `LIKE` with its wildcards.

use rusqlite::types::Value as SqlValue;

use crate::error::Result;
use crate::query::{
    InviteColumn, InviteQuery, InviteStatus, SignupColumn, SignupQuery, SignupStatus, Window,
};
use crate::records::{Invite, Signup};
use crate::rows::{INVITE_COLUMNS, SIGNUP_COLUMNS, invite_from_row, signup_from_row};
use crate::store::Cache;
use crate::text::fold;

struct Plan<'a> {
    table: &'a str,
    columns: &'a str,
    text: &'a str,
    /// Keep only rows created at or before this time.
    created_before: Option<i64>,
    /// A fixed SQL condition on the row (never user input), e.g. `status = 'pending'`.
    keep: Option<&'static str>,
    order: &'a str,
    descending: bool,
    offset: usize,
    limit: usize,
}

fn window<T>(
    cache: &Cache,
    plan: Plan<'_>,
    map: fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Window<T>> {
    let Plan { table, columns, .. } = plan;
    let needle = fold(plan.text);
    let keeps_all = needle.is_empty() && plan.created_before.is_none() && plan.keep.is_none();
    let filter = match plan.keep {
        Some(keep) => {
            format!("instr(search, ?1) > 0 AND (?2 IS NULL OR created_at <= ?2) AND ({keep})")
        }
        None => "instr(search, ?1) > 0 AND (?2 IS NULL OR created_at <= ?2)".to_owned(),
    };
    let dir = if plan.descending { "DESC" } else { "ASC" };
    let conn = cache.read_conn();
    let total: i64 = conn
        .prepare_cached(&format!("SELECT count(*) FROM {table}"))?
        .query_row([], |r| r.get(0))?;
    // With no filter the count is the total: counting through the filter reads every row
    // (about 0.1 s for the signups of a million users, at each window and cache status).
    let matching: i64 = if keeps_all {
        total
    } else {
        conn.prepare_cached(&format!("SELECT count(*) FROM {table} WHERE {filter}"))?
            .query_row(rusqlite::params![needle, plan.created_before], |r| r.get(0))?
    };
    // Only the counts asked (a cache status): no rows to read, nor to sort for.
    let rows = if plan.limit == 0 {
        Vec::new()
    } else {
        let clamp = |n: usize| SqlValue::Integer(i64::try_from(n).unwrap_or(i64::MAX));
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {columns} FROM {table} WHERE {filter} \
             ORDER BY {order} {dir}, id {dir} LIMIT ?3 OFFSET ?4",
            order = plan.order
        ))?;
        stmt.query_map(
            rusqlite::params![
                needle,
                plan.created_before,
                clamp(plan.limit),
                clamp(plan.offset)
            ],
            map,
        )?
        .collect::<rusqlite::Result<Vec<T>>>()?
    };
    Ok(Window {
        rows,
        total: total as usize,
        matching: matching as usize,
    })
}

impl Cache {
    /// A window of invitations matching `query`, with the counts.
    pub fn query_invites(&self, query: &InviteQuery) -> Result<Window<Invite>> {
        let plan = Plan {
            table: "invites",
            columns: INVITE_COLUMNS,
            text: &query.text,
            created_before: query.created_before,
            keep: query.status.map(|s| match s {
                InviteStatus::Pending => "status = 'pending'",
                InviteStatus::Verified => "status = 'verified'",
            }),
            order: match query.sort {
                InviteColumn::Handle => "handle",
                InviteColumn::Sender => "sender_handle",
                InviteColumn::Status => "status",
                InviteColumn::CreatedAt => "created_at",
            },
            descending: query.descending,
            offset: query.offset,
            limit: query.limit,
        };
        window(self, plan, invite_from_row)
    }

    /// A window of signups matching `query`, with the counts.
    pub fn query_signups(&self, query: &SignupQuery) -> Result<Window<Signup>> {
        let plan = Plan {
            table: "signups",
            columns: SIGNUP_COLUMNS,
            text: &query.text,
            created_before: query.created_before,
            // The host writes a signup record with code 0 for every user an
            // administrator adds: those are not signups anyone completed.
            keep: query.status.map(|s| match s {
                SignupStatus::Pending => "status = 'pending'",
                SignupStatus::Verified => "status = 'verified'",
                SignupStatus::Active => "status = 'active'",
                SignupStatus::Completed => "status <> 'pending' AND code <> 0",
                SignupStatus::AddedByAdmin => "code = 0",
            }),
            order: match query.sort {
                SignupColumn::Handle => "handle",
                SignupColumn::Status => "status",
                SignupColumn::CreatedAt => "created_at",
            },
            descending: query.descending,
            offset: query.offset,
            limit: query.limit,
        };
        window(self, plan, signup_from_row)
    }
}
