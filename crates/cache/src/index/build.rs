//! Building the index from the tables. SQLite reads rows on the calling thread while a
//! second thread folds their text and fills the columns, so opening a large cache uses
//! both cores.

// Seeded per process like std's hasher, several times quicker on a million handles.
use foldhash::HashMap;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering as AtomicOrdering};
use std::sync::mpsc::sync_channel;

use rusqlite::Connection;

use super::{BaseIndex, NEVER, Offsets, set_bit, words};
use crate::meta_scan::meta_texts;
use crate::records::{ANON_PREFIX, Onboarding};
use crate::sig;
use crate::text::fold;

const BATCH: usize = 4096;

/// The onboarding of each handle that has a verified invitation or a signup, by the rule
/// of [`Onboarding::derive`]: gathered from the tables, or from the records as a sync
/// stages them. Each record only ever strengthens its handle's onboarding (invite over
/// administrator over signup), so the order records come in does not matter.
#[derive(Default)]
pub(crate) struct OnboardingFacts {
    by_handle: HashMap<String, Onboarding>,
    /// Records taken in, to tell whether the tables hold just these (none replaced).
    pub(crate) invites: usize,
    pub(crate) signups: usize,
}

impl OnboardingFacts {
    pub(crate) fn read(
        conn: &Connection,
        invites: &str,
        signups: &str,
    ) -> rusqlite::Result<OnboardingFacts> {
        let mut facts = OnboardingFacts::default();
        let mut stmt = conn.prepare(&format!("SELECT handle, status FROM {invites}"))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            facts.invite(row.get_ref(0)?.as_str()?, row.get_ref(1)?.as_str()?);
        }
        let mut stmt = conn.prepare(&format!("SELECT handle, code FROM {signups}"))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            facts.signup(row.get_ref(0)?.as_str()?, row.get(1)?);
        }
        Ok(facts)
    }

    pub(crate) fn invite(&mut self, handle: &str, status: &str) {
        self.invites += 1;
        if status == "verified" {
            self.strengthen(handle, Onboarding::derive(true, None));
        }
    }

    pub(crate) fn signup(&mut self, handle: &str, code: i64) {
        self.signups += 1;
        self.strengthen(handle, Onboarding::derive(false, Some(code)));
    }

    fn strengthen(&mut self, handle: &str, found: Onboarding) {
        let rank = |o: Onboarding| match o {
            Onboarding::Invite => 3,
            Onboarding::Admin => 2,
            Onboarding::Signup => 1,
            Onboarding::Other => 0,
        };
        match self.by_handle.get_mut(handle) {
            Some(known) if rank(*known) >= rank(found) => {}
            Some(known) => *known = found,
            None => {
                self.by_handle.insert(handle.to_owned(), found);
            }
        }
    }

    fn of(&self, handle: &str) -> Onboarding {
        self.by_handle
            .get(handle)
            .copied()
            .unwrap_or(Onboarding::Other)
    }
}

/// A user row as read, before folding.
struct Raw {
    id: String,
    handle: String,
    name: String,
    active: bool,
    provider: String,
    meta: String,
    created: i64,
    last_login: i64,
}

/// The state of a build in progress, owned by the folding thread.
struct Builder<'a> {
    ix: BaseIndex,
    onboard: &'a OnboardingFacts,
    anon: Vec<bool>,
    active: Vec<bool>,
    texts: Vec<String>,
    provider_ids: HashMap<Vec<u8>, u32>,
}

impl BaseIndex {
    /// Reads every user of `users` and derives onboarding from `invites` and `signups`.
    pub(crate) fn build(
        conn: &Connection,
        users: &str,
        invites: &str,
        signups: &str,
    ) -> rusqlite::Result<BaseIndex> {
        let onboard = OnboardingFacts::read(conn, invites, signups)?;
        BaseIndex::build_with(conn, users, &onboard)
    }

    /// Reads every user of `users`, their onboarding taken from `onboard`.
    pub(crate) fn build_with(
        conn: &Connection,
        users: &str,
        onboard: &OnboardingFacts,
    ) -> rusqlite::Result<BaseIndex> {
        let n = crate::schema::row_count(conn, users)?;
        let mut stmt = conn.prepare(&format!(
            "SELECT id, handle, user_name, status, login_provider, meta_data, created_at, \
             last_login FROM {users}"
        ))?;
        let (send, receive) = sync_channel::<Vec<Raw>>(4);
        std::thread::scope(|s| {
            let worker = s.spawn(move || {
                let mut b = Builder::new(n, onboard);
                for batch in receive {
                    batch.into_iter().for_each(|raw| b.push(raw));
                }
                b.finish()
            });
            let read = (|| {
                let mut rows = stmt.query([])?;
                let mut batch = Vec::with_capacity(BATCH);
                while let Some(row) = rows.next()? {
                    batch.push(Raw {
                        id: row.get(0)?,
                        handle: row.get(1)?,
                        name: row.get(2)?,
                        active: row.get_ref(3)?.as_str()? == "active",
                        provider: row.get(4)?,
                        meta: row.get(5)?,
                        created: row.get(6)?,
                        last_login: row.get::<_, Option<i64>>(7)?.unwrap_or(NEVER),
                    });
                    if batch.len() == BATCH {
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                        if send.send(full).is_err() {
                            break;
                        }
                    }
                }
                let _ = send.send(batch);
                Ok::<(), rusqlite::Error>(())
            })();
            drop(send);
            // The worker only folds text and pushes to vectors; a panic there is a bug,
            // so it is passed on rather than turned into an error.
            let ix = worker
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            read.map(|()| ix)
        })
    }
}

impl<'a> Builder<'a> {
    fn new(n: usize, onboard: &'a OnboardingFacts) -> Builder<'a> {
        let ix = BaseIndex {
            hay: Vec::with_capacity(n * 96),
            row_start: Offsets::with_capacity(n + 1),
            ids: Vec::with_capacity(n * 24),
            id_start: Offsets::with_capacity(n + 1),
            created: Vec::with_capacity(n),
            last_login: Vec::with_capacity(n),
            provider: Vec::with_capacity(n),
            providers: Vec::new(),
            sigs: std::array::from_fn(|_| Vec::with_capacity(n)),
            sig_counts: vec![0; sig::BITS],
            anon: Vec::new(),
            active: Vec::new(),
            dead: Vec::new(),
            onboarding: Vec::with_capacity(n),
            perms: Default::default(),
            later_perms: Default::default(),
        };
        Builder {
            ix,
            onboard,
            anon: Vec::with_capacity(n),
            active: Vec::with_capacity(n),
            texts: Vec::new(),
            provider_ids: HashMap::default(),
        }
    }

    fn push(&mut self, raw: Raw) {
        let ix = &mut self.ix;
        let start = ix.hay.len();
        ix.row_start.push(start);
        ix.hay.extend_from_slice(fold(&raw.handle).as_bytes());
        ix.hay.push(0);
        ix.hay.extend_from_slice(fold(&raw.name).as_bytes());
        ix.hay.push(0);
        // Unparseable metadata is treated as empty rather than failing the whole open.
        self.texts.clear();
        meta_texts(&raw.meta, &mut self.texts);
        for text in &self.texts {
            ix.hay.extend_from_slice(fold(text).as_bytes());
            ix.hay.push(0);
        }
        let row_sig = sig::of(&ix.hay[start..]);
        for (k, col) in ix.sigs.iter_mut().enumerate() {
            col.push(row_sig[k]);
        }
        ix.id_start.push(ix.ids.len());
        ix.ids.extend_from_slice(raw.id.as_bytes());
        ix.created.push(raw.created);
        ix.last_login.push(raw.last_login);
        let next = self.provider_ids.len() as u32;
        let provider = fold(&raw.provider).into_bytes();
        ix.provider
            .push(*self.provider_ids.entry(provider).or_insert(next));
        self.anon.push(raw.handle.starts_with(ANON_PREFIX));
        self.active.push(raw.active);
        let onboarding = self.onboard.of(&raw.handle);
        ix.onboarding.push(AtomicU8::new(onboarding.to_u8()));
    }

    fn finish(self) -> BaseIndex {
        let Builder {
            mut ix,
            anon,
            active,
            provider_ids,
            ..
        } = self;
        ix.row_start.push(ix.hay.len());
        ix.id_start.push(ix.ids.len());
        ix.hay.shrink_to_fit();
        ix.ids.shrink_to_fit();
        ix.row_start.shrink_to_fit();
        ix.id_start.shrink_to_fit();
        let n = ix.created.len();
        ix.anon = vec![0; words(n)];
        ix.active = (0..words(n)).map(|_| AtomicU64::new(0)).collect();
        ix.dead = (0..words(n)).map(|_| AtomicU64::new(0)).collect();
        for r in 0..n {
            if anon[r] {
                set_bit(&mut ix.anon, r);
            }
            if active[r] {
                ix.active[r / 64].fetch_or(1 << (r % 64), AtomicOrdering::Relaxed);
            }
        }
        for (k, col) in ix.sigs.iter().enumerate() {
            for &word in col {
                let mut w = word;
                while w != 0 {
                    ix.sig_counts[k * 64 + w.trailing_zeros() as usize] += 1;
                    w &= w - 1;
                }
            }
        }
        ix.intern_providers(provider_ids);
        ix.build_perms();
        ix
    }
}
