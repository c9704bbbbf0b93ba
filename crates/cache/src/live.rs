//! The live index: an immutable base built from the table, plus a small overlay of rows
//! added or rewritten since (the delta). Queries take a cheap snapshot of both; actions
//! change status, onboarding and liveness in the base in place, and put rewritten rows
//! in the delta, so that a single-row change never costs a rebuild.

use std::sync::{Arc, RwLock};

use crate::index::{BaseIndex, Cols, NEVER};
use crate::records::{ANON_PREFIX, Onboarding, User};
use crate::text::{fold, folded_fields};

/// Past this many overlay rows the store rebuilds the base from the table, so that
/// queries stay fast after a long session of edits.
pub(crate) const DELTA_LIMIT: usize = 4096;

/// A user added or rewritten since the base was built.
#[derive(Debug, Clone)]
pub(crate) struct DeltaRow {
    pub id: String,
    handle: String,
    name: String,
    provider: String,
    pub fields: Vec<String>,
    created: i64,
    last_login: i64,
    active: bool,
    onboarding: u8,
    anon: bool,
}

impl DeltaRow {
    pub(crate) fn new(user: &User, onboarding: Onboarding) -> DeltaRow {
        DeltaRow {
            id: user.id.clone(),
            handle: fold(&user.handle),
            name: fold(&user.user_name),
            provider: fold(&user.login_provider),
            fields: folded_fields(&[&user.handle, &user.user_name], &user.meta_data),
            created: user.created_at,
            last_login: user.last_login.unwrap_or(NEVER),
            active: user.is_active(),
            onboarding: onboarding.to_u8(),
            anon: user.handle.starts_with(ANON_PREFIX),
        }
    }

    pub(crate) fn cols(&self) -> Cols<'_> {
        Cols {
            id: self.id.as_bytes(),
            handle: self.handle.as_bytes(),
            name: self.name.as_bytes(),
            provider: self.provider.as_bytes(),
            created: self.created,
            last_login: self.last_login,
            active: self.active,
            onboarding: self.onboarding,
            anon: self.anon,
        }
    }
}

/// What a query reads: the base and the overlay at one moment.
#[derive(Clone)]
pub(crate) struct Snapshot {
    pub base: Arc<BaseIndex>,
    pub delta: Arc<Vec<DeltaRow>>,
}

/// The index a cache serves queries from.
pub(crate) struct Live {
    snap: RwLock<Snapshot>,
}

impl Live {
    pub(crate) fn new(base: BaseIndex) -> Live {
        Live {
            snap: RwLock::new(Snapshot {
                base: Arc::new(base),
                delta: Arc::default(),
            }),
        }
    }

    pub(crate) fn snapshot(&self) -> Snapshot {
        // A panic elsewhere cannot leave the snapshot half-written: every write below
        // replaces whole values, so a poisoned lock is still consistent.
        self.snap.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(crate) fn replace(&self, base: BaseIndex) {
        let mut snap = self.snap.write().unwrap_or_else(|e| e.into_inner());
        *snap = Snapshot {
            base: Arc::new(base),
            delta: Arc::default(),
        };
    }

    fn edit_delta<R>(&self, f: impl FnOnce(&BaseIndex, &mut Vec<DeltaRow>) -> R) -> R {
        let mut snap = self.snap.write().unwrap_or_else(|e| e.into_inner());
        let base = Arc::clone(&snap.base);
        f(&base, Arc::make_mut(&mut snap.delta))
    }

    pub(crate) fn set_active(&self, id: &str, active: bool) {
        self.edit_delta(|base, delta| {
            if let Some(r) = base.row_of_id(id) {
                base.set_active(r, active);
            } else if let Some(row) = delta.iter_mut().find(|d| d.id == id) {
                row.active = active;
            }
        });
    }

    pub(crate) fn set_onboarding(&self, id: &str, o: Onboarding) {
        self.edit_delta(|base, delta| {
            if let Some(r) = base.row_of_id(id) {
                base.set_onboarding(r, o);
            } else if let Some(row) = delta.iter_mut().find(|d| d.id == id) {
                row.onboarding = o.to_u8();
            }
        });
    }

    pub(crate) fn remove(&self, id: &str) {
        self.edit_delta(|base, delta| {
            if let Some(r) = base.row_of_id(id) {
                base.kill(r);
            }
            delta.retain(|d| d.id != id);
        });
    }

    /// Puts a new version of a user in the overlay; answers whether the overlay has
    /// outgrown [`DELTA_LIMIT`].
    pub(crate) fn upsert(&self, user: &User, o: Onboarding) -> bool {
        let row = DeltaRow::new(user, o);
        self.edit_delta(|base, delta| {
            if let Some(r) = base.row_of_id(&user.id) {
                base.kill(r);
            }
            match delta.iter_mut().find(|d| d.id == user.id) {
                Some(slot) => *slot = row,
                None => delta.push(row),
            }
            delta.len() > DELTA_LIMIT
        })
    }
}
