//! `host add|list|remove|test` and `apps list`.

use std::io::Read;

use gatehouse_core::{AppSummary, HostEntry, HostInput, Line, SecretStorage, Sensitive};
use serde::Serialize;

use crate::args::{AppsCommand, HostCommand};
use crate::context::{Context, Failure, Outcome, note_source};
use crate::output::{Format, print};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HostLine {
    name: String,
    url: String,
    id: String,
    ca_file: Option<String>,
    allow_http: bool,
}

impl From<&HostEntry> for HostLine {
    fn from(h: &HostEntry) -> Self {
        HostLine {
            name: h.name.clone(),
            url: h.url.clone(),
            id: h.id.clone(),
            ca_file: h.ca_file.as_ref().map(|p| p.display().to_string()),
            allow_http: h.allow_http,
        }
    }
}

impl Line for HostLine {
    const HEADER: &'static [&'static str] = &["name", "url", "id", "caFile", "allowHttp"];
    fn fields(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.url.clone(),
            self.id.clone(),
            self.ca_file.clone().unwrap_or_default(),
            self.allow_http.to_string(),
        ]
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AppLine {
    app_id: String,
    name: String,
    status: String,
    jwt_enabled: bool,
    invitation_enabled: bool,
    signup_enabled: bool,
}

impl From<&AppSummary> for AppLine {
    fn from(a: &AppSummary) -> Self {
        AppLine {
            app_id: a.app_id.clone(),
            name: a.name.clone(),
            status: a.status.clone(),
            jwt_enabled: a.jwt_enabled,
            invitation_enabled: a.invitation_enabled,
            signup_enabled: a.signup_enabled,
        }
    }
}

impl Line for AppLine {
    const HEADER: &'static [&'static str] = &[
        "appId",
        "name",
        "status",
        "jwtEnabled",
        "invitationEnabled",
        "signupEnabled",
    ];
    fn fields(&self) -> Vec<String> {
        vec![
            self.app_id.clone(),
            self.name.clone(),
            self.status.clone(),
            self.jwt_enabled.to_string(),
            self.invitation_enabled.to_string(),
            self.signup_enabled.to_string(),
        ]
    }
}

/// Reads a secret or password from stdin: all of it, without the final newline.
pub fn read_stdin(what: &str) -> Outcome<Sensitive<String>> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| Failure::usage(format!("cannot read the {what} from stdin: {e}")))?;
    let text = text.trim_end_matches(['\n', '\r']).to_owned();
    if text.is_empty() {
        return Err(Failure::usage(format!("no {what} on stdin")));
    }
    Ok(Sensitive::new(text))
}

pub async fn host(ctx: &Context, command: &HostCommand, format: Format) -> Outcome {
    match command {
        HostCommand::Add { name, url, ca_file } => {
            let secret = read_stdin("server secret")?;
            let input = HostInput::new(name, url, ca_file.clone(), ctx.start.allow_http)?;
            let (entry, storage) = ctx.core.add_host(input, secret).await?;
            match storage {
                SecretStorage::Keyring => {
                    eprintln!(
                        "saved host {} ({}); its secret is in the keyring",
                        entry.name, entry.id
                    )
                }
                SecretStorage::Session { reason } => eprintln!(
                    "saved host {} ({}), but not its secret: {reason}. \
                     Set GATEHOUSE_SERVER_SECRET when you use it.",
                    entry.name, entry.id
                ),
            }
            Ok(())
        }
        HostCommand::List => {
            let hosts = ctx.core.hosts()?;
            let lines: Vec<HostLine> = hosts.iter().map(HostLine::from).collect();
            print(&lines, format)
        }
        HostCommand::Remove {
            name,
            keep_keyring_entry,
        } => {
            let entry = ctx
                .core
                .find_host(name)?
                .ok_or_else(|| Failure::from(gatehouse_core::Error::UnknownHost(name.clone())))?;
            if *keep_keyring_entry {
                ctx.core.remove_host_keeping_secret(&entry.id).await?;
                eprintln!(
                    "removed host {} and its cache; its keyring entry (service gatehouse, account {}) was left as it is",
                    entry.name,
                    entry.keyring_account()
                );
            } else {
                ctx.core.remove_host(&entry.id).await.map_err(|e| match e {
                    gatehouse_core::Error::SecretNotRemoved { .. } => Failure {
                        message: format!("{e} (`--keep-keyring-entry`)"),
                        exit: 1,
                    },
                    other => Failure::from(other),
                })?;
                eprintln!("removed host {} with its secret and cache", entry.name);
            }
            Ok(())
        }
        HostCommand::Test { name } => {
            let conn = match name {
                Some(name) => {
                    let entry = ctx.core.resolve_host(name, ctx.start.allow_http)?;
                    ctx.use_scripted_secret(&entry);
                    ctx.core.connect_entry(entry).await?
                }
                None => ctx.connect().await?,
            };
            conn.probe().await?;
            eprintln!("{} answers and accepts the server secret", conn.host().url);
            Ok(())
        }
    }
}

pub async fn apps(ctx: &Context, command: &AppsCommand, format: Format) -> Outcome {
    match command {
        AppsCommand::List => {
            let conn = ctx.connect().await?;
            let apps = conn.apps().await?;
            note_source(&apps.source);
            let lines: Vec<AppLine> = apps.value.iter().map(AppLine::from).collect();
            print(&lines, format)
        }
    }
}
