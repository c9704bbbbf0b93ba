//! The HTTP surface: the host's routes, the emulator's own, and shared checks.

mod admin;
mod appuser;
mod emulator;
pub(crate) mod people;

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::routing::{delete, get, post};
use regex::{Regex, RegexBuilder};
use rusqlite::Connection;
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::host::Host;
use crate::params::Params;
use crate::store::apps::{self, App};
use crate::store::journal::{self, Entry};

pub type Reply = Result<axum::Json<Value>, ApiError>;

pub fn router(host: Arc<Host>) -> Router {
    Router::new()
        .route("/", get(welcome))
        .route("/api/app", post(admin::create_app))
        .route("/api/app/connection", get(admin::connection))
        .route("/api/app/updateAppSetting", post(admin::update_setting))
        .route("/api/app/updateAppMetaData", post(admin::update_metadata))
        .route("/api/app/{app_id}", delete(admin::delete_app))
        .route("/api/app/allApps", get(admin::all_apps))
        .route("/api/app/appId/{app_id}", get(admin::one_app))
        .route("/api/app/stat", get(admin::stat))
        .route("/api/app/searchUser", get(admin::search_user))
        .route("/api/app/searchInvite", get(admin::search_invite))
        .route("/api/app/searchSingUp", get(admin::search_signup))
        .route("/api/app/logs", get(admin::logs))
        .route("/api/app/addUser", post(people::add_user))
        .route("/api/app/removeUser", post(people::remove_user))
        .route("/api/app/user", post(people::set_status))
        .route("/api/app/resetUserPassword", post(people::reset_password))
        .route(
            "/api/app/updateAppUserMetaData",
            post(people::update_user_metadata),
        )
        .route("/api/app/createAppInvite", post(people::create_invites))
        .route("/api/app/resendAppInvite", post(people::resend_invite))
        .route("/api/app/removeAppInvite", post(people::remove_invite))
        .route("/api/app/removeAppSignup", post(people::remove_signup))
        .route("/api/appuser/getApplication", get(appuser::get_application))
        .route("/api/appuser/login", post(appuser::login))
        .route("/api/appuser/signup", post(appuser::signup))
        .route(
            "/api/appuser/completeSignup",
            post(appuser::complete_signup),
        )
        .route("/api/appuser/invite", post(appuser::invite))
        .route("/api/appuser/register", post(appuser::register))
        .route(
            "/api/appuser/loginAnonymous",
            post(appuser::login_anonymous),
        )
        .route("/api/appuser/getUser", get(appuser::get_user))
        .route("/emulator/mailbox", get(emulator::mailbox))
        .route(
            "/emulator/faults",
            post(emulator::set_faults).delete(emulator::clear_faults),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&host),
            crate::faults::inject,
        ))
        // Outside the faults, so that a request held by an injected latency counts.
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&host),
            count_in_flight,
        ))
        .with_state(host)
}

/// Counts each API request while it is answered (`Host::in_flight`).
async fn count_in_flight(
    State(host): State<Arc<Host>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let _answering = req
        .uri()
        .path()
        .starts_with("/api/")
        .then(|| host.in_flight.enter());
    next.run(req).await
}

async fn welcome() -> &'static str {
    "Welcome to Cosync JWT Service"
}

/// The real host answers any unknown route with HTTP 200 and this JSON string.
async fn not_found() -> axum::Json<Value> {
    axum::Json(json!("Service Not found"))
}

pub fn ok(v: Value) -> Reply {
    Ok(axum::Json(v))
}

pub fn load_app(db: &Connection, app_id: &str) -> Result<App, ApiError> {
    apps::get(db, app_id)?.ok_or(ApiError::Code(401))
}

/// The app named by the `appId` parameter of an admin call.
pub fn param_app(db: &Connection, p: &Params) -> Result<App, ApiError> {
    load_app(db, &p.required("appId")?)
}

pub fn app_id(app: &App) -> String {
    apps::text(app, "appId").to_owned()
}

/// `(rows to skip, rows to return)`: the offset is a page index and pages hold at least 25.
pub fn page_window(p: &Params) -> (u64, u64) {
    let limit = u64::try_from(p.number("limit").unwrap_or(25))
        .unwrap_or(25)
        .max(25);
    let page = u64::try_from(p.number("offset").unwrap_or(0)).unwrap_or(0);
    (page.saturating_mul(limit), limit)
}

const MAX_PATTERN: usize = 256;

/// A search value as a case-sensitive regular expression, in a linear-time engine
/// with bounded size so no pattern can stall the host.
pub fn pattern(value: &str) -> Result<Regex, ApiError> {
    if value.len() > MAX_PATTERN {
        return Err(ApiError::fails("Search value is too long."));
    }
    RegexBuilder::new(value)
        .size_limit(1 << 20)
        .dfa_size_limit(1 << 22)
        .nest_limit(32)
        .build()
        .map_err(|_| ApiError::fails("Invalid search value."))
}

/// Appends an entry to the app's activity log.
pub fn log(
    db: &Connection,
    app: &App,
    handle: Option<&str>,
    action: &str,
    value: String,
) -> Result<(), ApiError> {
    let log_type = if handle.is_some() { "user" } else { "app" };
    let entry = Entry {
        handle,
        action,
        ok: true,
        log_type,
        value,
    };
    journal::log(db, &app_id(app), &entry)?;
    Ok(())
}
