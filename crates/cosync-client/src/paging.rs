//! Fetching a whole list (users, invitations or signups) page by page.
//!
//! Pages are requested a few at a time and assembled in page order (newest first).
//! The host may change while we page: records then shift between pages, so the same
//! record can arrive twice (kept once, by `_id`) and the list can grow past the total
//! first announced (paging then follows on while pages come back full).

use std::collections::HashSet;
use std::future::Future;

use futures_util::{StreamExt, stream};
use tokio_util::sync::CancellationToken;

use crate::{ClientError, HostClient, Invite, Signup, User};

/// How far a whole-list fetch has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Distinct records received so far.
    pub fetched: u64,
    /// Records the host says the list has (never below `fetched`).
    pub total: u64,
}

trait Keyed {
    fn key(&self) -> &str;
}

impl Keyed for User {
    fn key(&self) -> &str {
        &self.id
    }
}

impl Keyed for Invite {
    fn key(&self) -> &str {
        &self.id
    }
}

impl Keyed for Signup {
    fn key(&self) -> &str {
        &self.id
    }
}

impl HostClient {
    /// Every user of the app, anonymous ones included, each once.
    ///
    /// `progress` is called after each page. Cancelling `cancel` ends the fetch at once
    /// with [`ClientError::Cancelled`]; requests in flight are dropped.
    pub async fn fetch_all_users(
        &self,
        app_id: &str,
        progress: impl Fn(Progress) + Send + Sync,
        cancel: &CancellationToken,
    ) -> Result<Vec<User>, ClientError> {
        let size = self.page_size();
        let fetch = |page| async move {
            let page = self.users_page(app_id, page, size, false).await?;
            Ok((page.users, page.total_user))
        };
        self.fetch_all(fetch, &progress, cancel).await
    }

    /// Every invitation of the app, each once. See [`HostClient::fetch_all_users`].
    pub async fn fetch_all_invites(
        &self,
        app_id: &str,
        progress: impl Fn(Progress) + Send + Sync,
        cancel: &CancellationToken,
    ) -> Result<Vec<Invite>, ClientError> {
        let size = self.page_size();
        let fetch = |page| async move {
            let page = self.invites_page(app_id, page, size).await?;
            Ok((page.invites, page.total_invite))
        };
        self.fetch_all(fetch, &progress, cancel).await
    }

    /// Every signup record of the app, each once. See [`HostClient::fetch_all_users`].
    pub async fn fetch_all_signups(
        &self,
        app_id: &str,
        progress: impl Fn(Progress) + Send + Sync,
        cancel: &CancellationToken,
    ) -> Result<Vec<Signup>, ClientError> {
        let size = self.page_size();
        let fetch = |page| async move {
            let page = self.signups_page(app_id, page, size).await?;
            Ok((page.signups, page.total_signup))
        };
        self.fetch_all(fetch, &progress, cancel).await
    }

    async fn fetch_all<T, F, Fut>(
        &self,
        fetch: F,
        progress: &(dyn Fn(Progress) + Send + Sync),
        cancel: &CancellationToken,
    ) -> Result<Vec<T>, ClientError>
    where
        T: Keyed,
        F: Fn(u32) -> Fut,
        Fut: Future<Output = Result<(Vec<T>, u64), ClientError>>,
    {
        if cancel.is_cancelled() {
            return Err(ClientError::Cancelled);
        }
        let pages = collect_pages(fetch, self.page_size(), self.pages_in_flight(), progress);
        tokio::select! {
            biased;
            () = cancel.cancelled() => Err(ClientError::Cancelled),
            result = pages => result,
        }
    }
}

struct Collected<T> {
    items: Vec<T>,
    seen: HashSet<String>,
    total: u64,
}

impl<T: Keyed> Collected<T> {
    /// Keeps the records not seen yet; answers how many were new.
    fn absorb(&mut self, page: Vec<T>, reported_total: u64) -> usize {
        self.total = reported_total;
        let before = self.items.len();
        for item in page {
            if self.seen.insert(item.key().to_owned()) {
                self.items.push(item);
            }
        }
        self.items.len() - before
    }

    fn progress(&self) -> Progress {
        let fetched = self.items.len() as u64;
        Progress {
            fetched,
            total: self.total.max(fetched),
        }
    }

    /// More records than received, by the host's latest count.
    fn incomplete(&self) -> bool {
        self.total > self.items.len() as u64
    }
}

async fn collect_pages<T, F, Fut>(
    fetch: F,
    size: u32,
    in_flight: usize,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<Vec<T>, ClientError>
where
    T: Keyed,
    F: Fn(u32) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, u64), ClientError>>,
{
    let is_full = |page: &Vec<T>| page.len() >= size as usize;
    let mut list = Collected {
        items: Vec::new(),
        seen: HashSet::new(),
        total: 0,
    };
    let (first, total) = fetch(0).await?;
    let mut last_full = is_full(&first);
    list.absorb(first, total);
    progress(list.progress());

    let planned = u32::try_from(total.div_ceil(u64::from(size))).unwrap_or(u32::MAX);
    let mut next = 1;
    if last_full && planned > 1 {
        let mut pages = stream::iter(1..planned).map(&fetch).buffered(in_flight);
        while let Some(result) = pages.next().await {
            let (page, total) = result?;
            next += 1;
            last_full = is_full(&page);
            list.absorb(page, total);
            progress(list.progress());
            // A short page is the end: the host shrank while we paged.
            if !last_full {
                break;
            }
        }
    }
    // The host grew while we paged: follow on while pages are full and bring news.
    while last_full && list.incomplete() {
        let (page, total) = fetch(next).await?;
        next = next.saturating_add(1);
        last_full = is_full(&page);
        let added = list.absorb(page, total);
        progress(list.progress());
        if added == 0 {
            break;
        }
    }
    Ok(list.items)
}
