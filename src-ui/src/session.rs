//! The state every view shares: which host and app are open, what the host said about
//! itself, and whether it answers. Held in context as one `Copy` handle.

use crate::ipc;
use gatehouse_types::AppRef;
use gatehouse_types::{
    ApiError, CacheStatus, ErrorCode, Host, ListApps, ListedApp, LoadSyncPolicy, Offline,
    QueryCacheStatus, SaveSyncPolicy, SelectApp, SyncApp, SyncPolicy, Synced, choose_app,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[derive(Clone, Copy)]
pub struct SessionCtx {
    pub hosts: RwSignal<Vec<Host>>,
    pub host_id: RwSignal<Option<String>>,
    pub apps: RwSignal<Vec<ListedApp>>,
    pub app_id: RwSignal<Option<String>>,
    /// Set while the host does not answer; the views then read the cache only.
    pub offline: RwSignal<Option<Offline>>,
    /// Bumped whenever the cache of the open app changed, so windows are re-read.
    pub data_version: RwSignal<u64>,
    /// What the cache holds for the open app, and when it was last synced.
    pub cache: RwSignal<Option<CacheStatus>>,
    pub sync: RwSignal<SyncState>,
    /// The host form, when open: `Some(None)` adds a host, `Some(Some(id))` edits one.
    pub host_form: RwSignal<Option<Option<String>>>,
    /// An error to show in the bar, where the user acted (sync, app list).
    pub error: RwSignal<Option<String>>,
    /// What the backend had to tell at start (a damaged file set aside), until dismissed.
    pub notices: RwSignal<Vec<String>>,
    /// Whether the open host's app list has come, and how.
    pub app_list: RwSignal<AppList>,
    /// When the open app syncs by itself.
    pub policy: RwSignal<SyncPolicy>,
}

/// The open host's app list, as far as the window knows.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum AppList {
    /// Asked for; no answer yet.
    #[default]
    Loading,
    /// The host (or the saved list) answered.
    Answered,
    /// The list could not be had: why, in the backend's words.
    Failed(ApiError),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub enum SyncState {
    #[default]
    Idle,
    Running,
    Done(Synced),
}

impl SessionCtx {
    pub fn new() -> Self {
        Self {
            hosts: RwSignal::new(Vec::new()),
            host_id: RwSignal::new(None),
            apps: RwSignal::new(Vec::new()),
            app_id: RwSignal::new(None),
            offline: RwSignal::new(None),
            data_version: RwSignal::new(0),
            cache: RwSignal::new(None),
            sync: RwSignal::new(SyncState::Idle),
            host_form: RwSignal::new(None),
            error: RwSignal::new(None),
            notices: RwSignal::new(Vec::new()),
            app_list: RwSignal::new(AppList::Loading),
            policy: RwSignal::new(SyncPolicy::default()),
        }
    }

    /// The open host, if any.
    pub fn host(&self) -> Option<Host> {
        let host_id = self.host_id.get()?;
        self.hosts
            .with(|hosts| hosts.iter().find(|host| host.id == host_id).cloned())
    }

    pub fn expect() -> Self {
        expect_context::<SessionCtx>()
    }

    pub fn app(&self) -> Option<ListedApp> {
        let app_id = self.app_id.get()?;
        self.apps
            .with(|apps| apps.iter().find(|app| app.app_id == app_id).cloned())
    }

    /// Opens `host_id`: loads its apps (from the host, or the cache when offline) and
    /// opens `preferred` (an id or a name), else the only app, else none. With
    /// `remembered` apps (saved at the last visit) the app opens on its cache at once,
    /// and the host's answer follows.
    pub fn open_host(self, host_id: String, preferred: Option<String>, remembered: Vec<ListedApp>) {
        let early = choose_app(&remembered, preferred.as_deref());
        self.host_id.set(Some(host_id.clone()));
        self.apps.set(remembered);
        self.app_id.set(None);
        self.error.set(None);
        self.app_list.set(AppList::Loading);
        if let Some(app_id) = &early {
            self.show_app(app_id.clone());
        }
        spawn_local(async move {
            match ipc::call(ListApps {
                host_id: host_id.clone(),
            })
            .await
            {
                Ok(answer) => {
                    // What the caller asks for, else the app last opened on this host.
                    let wanted = preferred.as_deref().or(answer.last_app.as_deref());
                    let choice = choose_app(&answer.apps, wanted);
                    self.offline.set(answer.offline);
                    self.apps.set(answer.apps);
                    self.app_list.set(AppList::Answered);
                    match choice {
                        Some(app_id) if early.as_ref() == Some(&app_id) => {
                            self.remember_and_sync(host_id, app_id);
                        }
                        Some(app_id) => self.open_app(app_id),
                        None => self.app_id.set(None),
                    }
                }
                // Said in the app area, where the list was expected; an unreachable
                // host also turns the window offline, which retries by itself.
                Err(error) => {
                    if error.code == ErrorCode::HostUnreachable {
                        self.offline.set(Some(Offline {
                            reason: error.message.clone(),
                            synced_at: None,
                        }));
                    }
                    self.app_list.set(AppList::Failed(error));
                }
            }
        });
    }

    /// Opens an app and syncs it as its policy says (never while the host is offline).
    pub fn open_app(self, app_id: String) {
        let Some(host_id) = self.host_id.get_untracked() else {
            return;
        };
        self.show_app(app_id.clone());
        self.remember_and_sync(host_id, app_id);
    }

    /// Remembers the open app for the next start, loads its sync policy and syncs it
    /// when the policy says so (never offline).
    fn remember_and_sync(self, host_id: String, app_id: String) {
        let active = self.apps.with_untracked(|apps| {
            apps.iter()
                .find(|app| app.app_id == app_id)
                .is_none_or(|app| app.status == "active")
        });
        spawn_local(async move {
            // Remembering is a convenience: failing to save it must not block the user.
            let _ = ipc::call(SelectApp {
                app: AppRef {
                    host_id: host_id.clone(),
                    app_id: app_id.clone(),
                },
            })
            .await;
            let policy = ipc::call(LoadSyncPolicy {
                app: AppRef {
                    host_id: host_id.clone(),
                    app_id: app_id.clone(),
                },
            })
            .await
            .unwrap_or_default();
            let synced_at = ipc::call(QueryCacheStatus {
                app: AppRef {
                    host_id,
                    app_id: app_id.clone(),
                },
            })
            .await
            .ok()
            .and_then(|cache| cache.synced_at);
            // Another app was opened meanwhile: its own opening decides.
            if self.app_id.get_untracked().as_ref() != Some(&app_id) {
                return;
            }
            self.policy.set(policy);
            // An app that is not active answers every list with a refusal: it shows its
            // offline copy and says why (tabs.rs) instead of failing a sync.
            if self.offline.get_untracked().is_none()
                && active
                && policy.syncs_on_open(synced_at, js_sys::Date::now() as i64)
            {
                self.sync();
            }
        });
    }

    /// The open host and app, tracked: an effect that reads them runs again when either
    /// changes. `None` while either is not chosen.
    pub fn opened(self) -> Option<AppRef> {
        let (host_id, app_id) = (self.host_id.get(), self.app_id.get());
        Some(AppRef {
            host_id: host_id?,
            app_id: app_id?,
        })
    }

    /// The open host and app now, for an action: not tracked.
    pub fn opened_untracked(self) -> Option<AppRef> {
        let (host_id, app_id) = (self.host_id.get_untracked(), self.app_id.get_untracked());
        Some(AppRef {
            host_id: host_id?,
            app_id: app_id?,
        })
    }

    /// Tells every view that shows the offline copy to read it again.
    pub fn refresh(self) {
        self.data_version.update(|version| *version += 1);
    }

    /// Changes the open app's sync policy and remembers it.
    pub fn set_policy(self, policy: SyncPolicy) {
        self.policy.set(policy);
        let Some(app) = self.opened_untracked() else {
            return;
        };
        spawn_local(async move {
            if let Err(error) = ipc::call(SaveSyncPolicy { app, policy }).await {
                self.fail(error);
            }
        });
    }

    /// Shows an app from its cache.
    fn show_app(self, app_id: String) {
        self.app_id.set(Some(app_id));
        self.refresh();
    }

    /// Syncs the open app; the table refreshes when the new snapshot is in.
    pub fn sync(self) {
        let Some(app) = self.opened_untracked() else {
            return;
        };
        if self.sync.get_untracked() == SyncState::Running
            || self.app().is_some_and(|app| app.status != "active")
        {
            return;
        }
        self.sync.set(SyncState::Running);
        self.error.set(None);
        spawn_local(async move {
            let outcome = ipc::call(SyncApp { app }).await;
            match outcome {
                Ok(synced) => {
                    self.offline.set(None);
                    self.sync.set(SyncState::Done(synced));
                }
                Err(error) => {
                    self.sync.set(SyncState::Idle);
                    self.fail(error);
                }
            }
            self.refresh();
        });
    }

    /// Shows an error; an unreachable host switches the app to offline mode.
    pub fn fail(self, error: ApiError) {
        if error.code == ErrorCode::HostUnreachable {
            self.offline.set(Some(Offline {
                reason: error.message,
                synced_at: None,
            }));
        } else if error.code != ErrorCode::Cancelled {
            self.error.set(Some(error.message));
        }
    }
}

impl Default for SessionCtx {
    fn default() -> Self {
        Self::new()
    }
}
