//! `users …`, `invites …` and `signups …`. Lists read the offline cache; changes go to
//! the host, which resolves each handle itself.

use gatehouse_core::{
    Anonymous, Connection, InviteLine, InviteQuery, InviteStatus, Onboarding, SignupLine,
    SignupQuery, SignupStatus, StatusFilter, UserColumn, UserLine, UserQuery, parse_metadata,
};
use serde_json::{Value, json};

use crate::args::{
    InviteStatusArg, InvitesCommand, OnboardingArg, SignupStatusArg, SignupsCommand, StatusArg,
    UsersCommand, Window,
};
use crate::context::{Context, Failure, Outcome, prepare_read};
use crate::hosts::read_stdin;
use crate::output::{Format, print, print_json, print_line};

fn limit(window: &Window) -> usize {
    if window.limit == 0 {
        usize::MAX
    } else {
        window.limit
    }
}

fn parse_sort(text: &str) -> Outcome<(UserColumn, bool)> {
    let (name, desc) = match text.split_once(':') {
        Some((name, "desc")) => (name, true),
        Some((name, "asc")) => (name, false),
        Some(_) => return Err(Failure::usage("--sort takes FIELD or FIELD:desc")),
        None => (text, false),
    };
    let column = UserColumn::from_wire_name(name).ok_or_else(|| {
        Failure::usage(format!(
            "cannot sort by {name}: use handle, userName, status, onboarding, createdAt, \
             lastLogin or loginProvider"
        ))
    })?;
    Ok((column, desc))
}

async fn app_of(ctx: &Context) -> Outcome<(std::sync::Arc<Connection>, String)> {
    let conn = ctx.connect().await?;
    let app = ctx.app(&conn).await?;
    Ok((conn, app.app_id))
}

pub async fn users(ctx: &Context, command: &UsersCommand, format: Format) -> Outcome {
    let (conn, app) = app_of(ctx).await?;
    match command {
        UsersCommand::List {
            search,
            status,
            onboarding,
            hide_anonymous,
            changed,
            sort,
            window,
        } => {
            let (sort, descending) = match sort {
                Some(text) => parse_sort(text)?,
                None => (UserColumn::Handle, false),
            };
            let query = UserQuery {
                text: search.clone().unwrap_or_default(),
                status: status.map(|s| match s {
                    StatusArg::Active => StatusFilter::Active,
                    StatusArg::Suspended => StatusFilter::Suspended,
                }),
                onboarding: onboarding.map(|o| match o {
                    OnboardingArg::Signup => Onboarding::Signup,
                    OnboardingArg::Invite => Onboarding::Invite,
                    OnboardingArg::Admin => Onboarding::Admin,
                    OnboardingArg::Other => Onboarding::Other,
                }),
                anonymous: if *hide_anonymous {
                    Anonymous::Exclude
                } else {
                    Anonymous::Include
                },
                changed_since_last_sync: *changed,
                sort,
                descending,
                offset: window.offset,
                limit: limit(window),
                ..UserQuery::default()
            };
            prepare_read(&conn, &app).await?;
            let found = conn.query_users(&app, query).await?;
            if format == Format::Table {
                eprintln!("{} of {} users match", found.matching, found.total);
            }
            let lines: Vec<UserLine> = found.rows.iter().map(UserLine::from).collect();
            print(&lines, format)
        }
        UsersCommand::Add {
            handle, metadata, ..
        } => {
            let meta = metadata.as_deref().map(parse_metadata).transpose()?;
            let password = read_stdin("password")?;
            let user = conn.add_user(&app, handle, &password, meta).await?;
            eprintln!("added {}", user.handle);
            Ok(())
        }
        UsersCommand::Deleted => {
            let deleted = conn.deleted_users(&app).await?;
            if format == Format::Table {
                eprintln!("{} users deleted here in the last 30 days", deleted.len());
            }
            let lines: Vec<DeletedLine> = deleted.into_iter().map(DeletedLine::from).collect();
            print(&lines, format)
        }
        UsersCommand::Restore { handle } => {
            let user = conn.restore_user(&app, handle).await?;
            eprintln!(
                "restored {}: the host e-mailed them a new password. Not restored: {}",
                user.handle,
                gatehouse_core::recycle::NOT_RESTORED
            );
            Ok(())
        }
        UsersCommand::Delete { handle, yes } => {
            if !yes {
                return Err(Failure::usage(format!(
                    "deleting {handle} cannot be undone: add --yes to confirm"
                )));
            }
            let user = conn.delete_user(&app, handle).await?;
            eprintln!("deleted {}", user.handle);
            Ok(())
        }
        UsersCommand::Suspend { handle } | UsersCommand::Activate { handle } => {
            let active = matches!(command, UsersCommand::Activate { .. });
            let user = conn.set_user_status_by_handle(&app, handle, active).await?;
            let state = if active { "active" } else { "suspended" };
            eprintln!("{} is now {state}", user.handle);
            Ok(())
        }
        UsersCommand::ResetPassword {
            handle,
            password_stdin,
        } => {
            let given = if *password_stdin {
                Some(read_stdin("password")?)
            } else {
                None
            };
            let generated = given.is_none();
            let password = conn.reset_password_by_handle(&app, handle, given).await?;
            if generated {
                match format {
                    Format::Json => print_json(&json!({ "password": password.expose() }))?,
                    _ => print_line(password.expose())?,
                }
                eprintln!("the host e-mails this new password to {handle}; it is shown only now");
            } else {
                eprintln!("password of {handle} changed; the host e-mails it to the user");
            }
            Ok(())
        }
        UsersCommand::Metadata { handle, set } => {
            if let Some(text) = set {
                conn.update_metadata(&app, handle, parse_metadata(text)?)
                    .await?;
            }
            let user = conn.find_user(&app, handle).await?;
            print_json(&user.meta_data)
        }
    }
}

pub async fn invites(ctx: &Context, command: &InvitesCommand, format: Format) -> Outcome {
    let (conn, app) = app_of(ctx).await?;
    match command {
        InvitesCommand::List {
            search,
            status,
            window,
        } => {
            let query = InviteQuery {
                text: search.clone().unwrap_or_default(),
                status: status.map(|s| match s {
                    InviteStatusArg::Pending => InviteStatus::Pending,
                    InviteStatusArg::Active => InviteStatus::Verified,
                }),
                offset: window.offset,
                limit: limit(window),
                ..InviteQuery::default()
            };
            prepare_read(&conn, &app).await?;
            let found = conn.query_invites(&app, query).await?;
            let lines: Vec<InviteLine> = found.rows.iter().map(InviteLine::from).collect();
            print(&lines, format)
        }
        InvitesCommand::Create { handles } => {
            let report = conn.create_invites(&app, handles, None).await?;
            match format {
                Format::Json => print_json(&json!({
                    "invited": report.invited,
                    "skipped": report.skipped,
                }))?,
                _ => {
                    for handle in &report.invited {
                        print_line(&format!("invited {handle}"))?;
                    }
                    for handle in &report.skipped {
                        print_line(&format!("skipped {handle}: already a user or invited"))?;
                    }
                }
            }
            Ok(())
        }
        InvitesCommand::Resend { handle } => {
            conn.resend_invite(&app, handle).await?;
            eprintln!("invitation sent again to {handle}");
            Ok(())
        }
        InvitesCommand::Revoke { handle } => {
            conn.revoke_invite(&app, handle).await?;
            eprintln!("invitation of {handle} revoked");
            Ok(())
        }
    }
}

pub async fn signups(ctx: &Context, command: &SignupsCommand, format: Format) -> Outcome {
    let (conn, app) = app_of(ctx).await?;
    match command {
        SignupsCommand::List {
            search,
            status,
            window,
        } => {
            let query = SignupQuery {
                text: search.clone().unwrap_or_default(),
                status: status.map(|s| match s {
                    SignupStatusArg::Pending => SignupStatus::Pending,
                    SignupStatusArg::Verified => SignupStatus::Verified,
                    SignupStatusArg::Active => SignupStatus::Active,
                    SignupStatusArg::Completed => SignupStatus::Completed,
                    SignupStatusArg::Admin => SignupStatus::AddedByAdmin,
                }),
                offset: window.offset,
                limit: limit(window),
                ..SignupQuery::default()
            };
            prepare_read(&conn, &app).await?;
            let found = conn.query_signups(&app, query).await?;
            let lines: Vec<SignupLine> = found.rows.iter().map(SignupLine::from).collect();
            print(&lines, format)
        }
        SignupsCommand::Remove { handle } => {
            conn.remove_signup(&app, handle, None).await?;
            eprintln!("signup of {handle} removed");
            Ok(())
        }
    }
}

/// A deleted user as printed.
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct DeletedLine {
    handle: String,
    user_name: String,
    status: &'static str,
    onboarding: String,
    deleted_at: String,
    created_at: String,
    meta_data: Value,
}

impl From<gatehouse_core::DeletedUser> for DeletedLine {
    fn from(d: gatehouse_core::DeletedUser) -> Self {
        DeletedLine {
            status: if d.status == "active" {
                "active"
            } else {
                "suspended"
            },
            handle: d.handle,
            user_name: d.user_name,
            onboarding: d.onboarding,
            deleted_at: gatehouse_core::iso_time(d.deleted_at),
            created_at: gatehouse_core::iso_time(d.created_at),
            meta_data: d.meta_data,
        }
    }
}

impl gatehouse_core::Line for DeletedLine {
    const HEADER: &'static [&'static str] = &[
        "handle",
        "userName",
        "status",
        "onboarding",
        "deletedAt",
        "createdAt",
        "metaData",
    ];

    fn fields(&self) -> Vec<String> {
        vec![
            self.handle.clone(),
            self.user_name.clone(),
            self.status.to_owned(),
            self.onboarding.clone(),
            self.deleted_at.clone(),
            self.created_at.clone(),
            self.meta_data.to_string(),
        ]
    }
}
