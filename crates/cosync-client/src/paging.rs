//! Fetching a whole list (users, invitations or signups) page by page.
//!
//! Pages are requested a few at a time and handed on in page order (newest first), each
//! as soon as it and the pages before it have arrived, so that a caller can store one
//! page while the next ones are on the wire.
//! The host may change while we page: records then shift between pages, so the same
//! record can arrive twice (kept once, by `_id`) and the list can grow past the total
//! first announced. Paging then follows on while pages come back full, and reads the
//! front again for records created meanwhile (those come last in the result).

use std::collections::HashSet;
use std::future::Future;

use futures_util::future::BoxFuture;
use futures_util::{StreamExt, stream};
use tokio_util::sync::CancellationToken;

use crate::{ClientError, HostClient, Invite, Signup, User};

/// What a page sink answers: a future that is done once the page is taken in. The
/// fetch waits for it before handing on the next page, so a sink that stores pages more
/// slowly than the host serves them holds the fetch back rather than piling them up.
pub type Taken = BoxFuture<'static, ()>;

/// How far a whole-list fetch has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Distinct records received so far.
    pub fetched: u64,
    /// Records the host says the list has (never below `fetched`).
    pub total: u64,
}

/// A list the host pages through: its users, invitations or signup records.
pub trait Listed: Sized + Send {
    /// The record's `_id`, by which a record seen twice is kept once.
    fn key(&self) -> &str;

    /// Page `page` of `size` records, newest first, and the host's count of the list.
    fn page(
        client: &HostClient,
        app_id: &str,
        page: u32,
        size: u32,
    ) -> impl Future<Output = Result<(Vec<Self>, u64), ClientError>> + Send;
}

/// What de-duplication needs of a record; the paging tests use records of their own.
trait Keyed {
    fn key(&self) -> &str;
}

impl<T: Listed> Keyed for T {
    fn key(&self) -> &str {
        Listed::key(self)
    }
}

impl Listed for User {
    fn key(&self) -> &str {
        &self.id
    }

    async fn page(
        client: &HostClient,
        app_id: &str,
        page: u32,
        size: u32,
    ) -> Result<(Vec<Self>, u64), ClientError> {
        // Anonymous users too: the cache holds every user and filters them itself.
        let page = client.users_page(app_id, page, size, false).await?;
        Ok((page.users, page.total_user))
    }
}

impl Listed for Invite {
    fn key(&self) -> &str {
        &self.id
    }

    async fn page(
        client: &HostClient,
        app_id: &str,
        page: u32,
        size: u32,
    ) -> Result<(Vec<Self>, u64), ClientError> {
        let page = client.invites_page(app_id, page, size).await?;
        Ok((page.invites, page.total_invite))
    }
}

impl Listed for Signup {
    fn key(&self) -> &str {
        &self.id
    }

    async fn page(
        client: &HostClient,
        app_id: &str,
        page: u32,
        size: u32,
    ) -> Result<(Vec<Self>, u64), ClientError> {
        let page = client.signups_page(app_id, page, size).await?;
        Ok((page.signups, page.total_signup))
    }
}

impl HostClient {
    /// Every record of a list (users, invitations or signups), each once.
    ///
    /// `progress` is called after each page. Cancelling `cancel` ends the fetch at once
    /// with [`ClientError::Cancelled`]; requests in flight are dropped.
    pub async fn fetch_all<T: Listed>(
        &self,
        app_id: &str,
        progress: impl Fn(Progress) + Send + Sync,
        cancel: &CancellationToken,
    ) -> Result<Vec<T>, ClientError> {
        let mut all = Vec::new();
        let mut keep = |page: Vec<T>| -> Taken {
            all.extend(page);
            Box::pin(std::future::ready(()))
        };
        self.stream(app_id, &progress, cancel, &mut keep).await?;
        Ok(all)
    }

    /// Every record of a list, each once, handed to `sink` a page at a time (records
    /// already handed on are left out of later pages). Answers how many were handed on.
    /// On an error the pages handed on so far are not the whole list.
    pub async fn stream<T: Listed>(
        &self,
        app_id: &str,
        progress: &(dyn Fn(Progress) + Send + Sync),
        cancel: &CancellationToken,
        sink: &mut (dyn FnMut(Vec<T>) -> Taken + Send),
    ) -> Result<u64, ClientError> {
        if cancel.is_cancelled() {
            return Err(ClientError::Cancelled);
        }
        let size = self.page_size();
        let fetch = |page| T::page(self, app_id, page, size);
        let pages = collect_pages(fetch, size, self.pages_in_flight(), progress, sink);
        tokio::select! {
            biased;
            () = cancel.cancelled() => Err(ClientError::Cancelled),
            result = pages => result,
        }
    }
}

struct Collected<'s, T> {
    sink: &'s mut (dyn FnMut(Vec<T>) -> Taken + Send),
    seen: HashSet<String>,
    total: u64,
}

impl<T: Keyed> Collected<'_, T> {
    /// Hands on the records not seen yet, once the sink has room; answers how many were
    /// new.
    async fn absorb(&mut self, mut page: Vec<T>, reported_total: u64) -> usize {
        self.total = reported_total;
        page.retain(|item| self.seen.insert(item.key().to_owned()));
        let added = page.len();
        if added > 0 {
            (self.sink)(page).await;
        }
        added
    }

    fn fetched(&self) -> u64 {
        self.seen.len() as u64
    }

    fn progress(&self) -> Progress {
        let fetched = self.fetched();
        Progress {
            fetched,
            total: self.total.max(fetched),
        }
    }

    /// More records than received, by the host's latest count.
    fn incomplete(&self) -> bool {
        self.total > self.fetched()
    }
}

async fn collect_pages<T, F, Fut>(
    fetch: F,
    size: u32,
    in_flight: usize,
    progress: &(dyn Fn(Progress) + Send + Sync),
    sink: &mut (dyn FnMut(Vec<T>) -> Taken + Send),
) -> Result<u64, ClientError>
where
    T: Keyed,
    F: Fn(u32) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, u64), ClientError>>,
{
    let is_full = |page: &Vec<T>| page.len() >= size as usize;
    let mut list = Collected {
        sink,
        seen: HashSet::new(),
        total: 0,
    };
    let (first, total) = fetch(0).await?;
    let mut last_full = is_full(&first);
    list.absorb(first, total).await;
    progress(list.progress());

    let planned = u32::try_from(total.div_ceil(u64::from(size))).unwrap_or(u32::MAX);
    let mut next = 1;
    if last_full && planned > 1 {
        let mut pages = stream::iter(1..planned).map(&fetch).buffered(in_flight);
        let mut stale_pages = 0;
        while let Some(result) = pages.next().await {
            let (page, total) = result?;
            next += 1;
            last_full = is_full(&page);
            let added = list.absorb(page, total).await;
            progress(list.progress());
            // A short page is the end: the host shrank while we paged.
            if !last_full {
                break;
            }
            // One page of nothing new happens when the host grew by a page meanwhile;
            // two in a row mean it ignores the offset, and paging on would never end.
            stale_pages = if added == 0 { stale_pages + 1 } else { 0 };
            if stale_pages >= 2 {
                last_full = false;
                break;
            }
        }
    }
    // The host grew while we paged: follow on while pages are full and bring news.
    while last_full && list.incomplete() {
        let (page, total) = fetch(next).await?;
        next = next.saturating_add(1);
        last_full = is_full(&page);
        let added = list.absorb(page, total).await;
        progress(list.progress());
        if added == 0 {
            break;
        }
    }
    // Records created while we paged sit at the front (newest first), on pages read
    // before they existed: read the front again while it brings news.
    let mut page = 0;
    while list.incomplete() && page < next {
        let (items, total) = fetch(page).await?;
        let full = is_full(&items);
        let added = list.absorb(items, total).await;
        progress(list.progress());
        if added == 0 || !full {
            break;
        }
        page += 1;
    }
    Ok(list.fetched())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    struct Rec(String);

    impl Keyed for Rec {
        fn key(&self) -> &str {
            &self.0
        }
    }

    /// Pages of `size` over `ids`, as a host whose list is `ids` at that moment.
    fn page_of(ids: &[u32], page: u32, size: u32) -> Vec<Rec> {
        ids.iter()
            .skip((page * size) as usize)
            .take(size as usize)
            .map(|id| Rec(id.to_string()))
            .collect()
    }

    async fn run(fetch: impl Fn(u32) -> (Vec<Rec>, u64)) -> (Vec<String>, Vec<Progress>) {
        let seen = Mutex::new(Vec::new());
        let record = |p: Progress| seen.lock().unwrap().push(p);
        let fetch = |page| {
            let answer = fetch(page);
            async move { Ok(answer) }
        };
        let mut ids = Vec::new();
        let mut pages = 0;
        let mut sink = |page: Vec<Rec>| -> Taken {
            pages += 1;
            ids.extend(page.into_iter().map(|r| r.0));
            Box::pin(std::future::ready(()))
        };
        let handed_on = collect_pages(fetch, 25, 4, &record, &mut sink)
            .await
            .unwrap();
        assert_eq!(handed_on, ids.len() as u64);
        let progress = seen.into_inner().unwrap();
        assert!(pages <= progress.len(), "at most one hand-over per page");
        (ids, progress)
    }

    #[tokio::test]
    async fn a_sink_that_has_no_room_holds_the_fetch_back() {
        let ids: Vec<u32> = (0..110).rev().collect();
        let fetch = |page| {
            let answer = (page_of(&ids, page, 25), 110);
            async move { Ok(answer) }
        };
        let mut pages = 0;
        // The first page is never taken in: no second page may be handed on.
        let mut full = |_: Vec<Rec>| -> Taken {
            pages += 1;
            Box::pin(std::future::pending())
        };
        let paging = collect_pages(fetch, 25, 4, &|_| {}, &mut full);
        let stopped = tokio::time::timeout(std::time::Duration::from_millis(200), paging).await;
        assert!(stopped.is_err(), "the fetch waits for the sink");
        assert_eq!(pages, 1, "one page handed on, the rest held back");
    }

    #[tokio::test]
    async fn every_record_once_in_page_order() {
        let ids: Vec<u32> = (0..110).rev().collect();
        let (got, progress) = run(|p| (page_of(&ids, p, 25), 110)).await;
        let expected: Vec<String> = ids.iter().map(u32::to_string).collect();
        assert_eq!(got, expected);
        assert_eq!(progress.len(), 5, "one report per page");
        assert_eq!(
            progress.last(),
            Some(&Progress {
                fetched: 110,
                total: 110
            })
        );
        assert!(progress.windows(2).all(|w| w[0].fetched <= w[1].fetched));
    }

    #[tokio::test]
    async fn a_growing_host_yields_duplicates_once_and_is_followed() {
        // 50 records at the first page; 10 newer ones arrive before the second page, so
        // pages shift by 10 and the host's count grows.
        let before: Vec<u32> = (0..50).rev().collect();
        let after: Vec<u32> = (0..60).rev().collect();
        let calls = Mutex::new(0);
        let (got, progress) = run(|p| {
            let mut calls = calls.lock().unwrap();
            *calls += 1;
            if *calls == 1 {
                (page_of(&before, p, 25), 50)
            } else {
                (page_of(&after, p, 25), 60)
            }
        })
        .await;
        let mut sorted: Vec<u32> = got.iter().map(|s| s.parse().unwrap()).collect();
        sorted.sort_unstable();
        // The 10 newest (50..60) sit on page 0 of the grown list, read before they
        // existed: the front is read again for them. Everything arrives once.
        assert_eq!(sorted, (0..60).collect::<Vec<_>>());
        assert_eq!(progress.last().unwrap().total, 60);
    }

    #[tokio::test]
    async fn an_empty_list_is_one_request() {
        let calls = Mutex::new(0);
        let (got, _) = run(|_| {
            *calls.lock().unwrap() += 1;
            (Vec::new(), 0)
        })
        .await;
        assert!(got.is_empty());
        assert_eq!(*calls.lock().unwrap(), 1);
    }

    #[tokio::test]
    async fn a_host_ignoring_the_offset_does_not_loop() {
        // Always the same full page and a growing count: stop when nothing is new.
        let ids: Vec<u32> = (0..25).collect();
        let calls = Mutex::new(0);
        let (got, _) = run(|_| {
            *calls.lock().unwrap() += 1;
            (page_of(&ids, 0, 25), 1_000_000)
        })
        .await;
        assert_eq!(got.len(), 25);
        assert!(
            *calls.lock().unwrap() < 10,
            "stopped soon after pages brought nothing new"
        );
    }
}
