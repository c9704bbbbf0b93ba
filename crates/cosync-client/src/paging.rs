//! Fetching a whole list (users, invitations or signups) page by page.
//!
//! Pages are requested a few at a time and handed on in page order (newest first), each
//! as soon as it and the pages before it have arrived, so that a caller can store one
//! page while the next ones are on the wire.
//! The host may change while we page: records then shift between pages, so the same
//! record can arrive twice (kept once, by `_id`) and the list can grow past the total
//! first announced. Paging then follows on while pages come back full, and reads the
//! front again for records created meanwhile (those come last in the result).
//!
//! A fetch is complete or it fails: at the end the host's count is read once more, and
//! the distinct records received (readable or not) must equal it. A record deleted
//! while we paged shifts later ones onto pages already read, which no amount of paging
//! on can see; the count tells, and the caller reads the list again
//! ([`ClientError::Incomplete`]). A host that answers fewer records than asked (a proxy
//! or a host that caps the page size) is paged at the size it answers.

use std::collections::BTreeMap;

// Seeded per process like std's hasher, several times quicker on a million ids.
use foldhash::HashSet;
use std::future::Future;

use futures_util::future::BoxFuture;
use futures_util::{StreamExt, stream};
use tokio_util::sync::CancellationToken;

use crate::{ClientError, HostClient, Invite, Signup, Unreadable, User};

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

/// One page of a list as read: its readable records, the ones that could not be read,
/// and the host's count of the whole list.
#[derive(Debug)]
pub struct ListPage<T> {
    pub records: Vec<T>,
    pub unreadable: Vec<Unreadable>,
    pub total: u64,
}

/// What a whole-list fetch handed on.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Streamed {
    /// Distinct readable records handed to the sink.
    pub records: u64,
    /// Distinct records the host sent that could not be read, by `_id`.
    pub unreadable: Vec<Unreadable>,
}

/// A list the host pages through: its users, invitations or signup records.
pub trait Listed: Sized + Send {
    /// What the list is called in a message ("users").
    const NAME: &'static str;

    /// The record's `_id`, by which a record seen twice is kept once.
    fn key(&self) -> &str;

    /// Page `page` of `size` records, newest first, and the host's count of the list.
    fn page(
        client: &HostClient,
        app_id: &str,
        page: u32,
        size: u32,
    ) -> impl Future<Output = Result<ListPage<Self>, ClientError>> + Send;
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

/// The `Listed` impl of a record type: its list's name, the client call that fetches one
/// page (with any arguments after the page's), the answer's field holding the records,
/// and the one holding the host's count.
macro_rules! listed {
    ($record:ty, $name:literal, $fetch:ident($($extra:expr),*), $list:ident, $total:ident) => {
        impl Listed for $record {
            const NAME: &'static str = $name;

            fn key(&self) -> &str {
                &self.id
            }

            async fn page(
                client: &HostClient,
                app_id: &str,
                page: u32,
                size: u32,
            ) -> Result<ListPage<Self>, ClientError> {
                let page = client.$fetch(app_id, page, size $(, $extra)*).await?;
                Ok(ListPage {
                    records: page.$list.records,
                    unreadable: page.$list.unreadable,
                    total: page.$total,
                })
            }
        }
    };
}

// Anonymous users too (`hide_anonymous: false`): the cache holds every user and filters
// them itself.
listed!(User, "users", users_page(false), users, total_user);
listed!(Invite, "invitations", invites_page(), invites, total_invite);
listed!(Signup, "signups", signups_page(), signups, total_signup);

impl HostClient {
    /// Every record of a list (users, invitations or signups), each once; a record that
    /// cannot be read fails it ([`HostClient::stream`] sets such records aside instead).
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
        let streamed = self.stream(app_id, &progress, cancel, &mut keep).await?;
        match streamed.unreadable.first() {
            None => Ok(all),
            Some(record) => Err(ClientError::WrongShape {
                detail: format!(
                    "the record {} could not be read: {}",
                    record.id, record.detail
                ),
            }),
        }
    }

    /// Every record of a list, each once, handed to `sink` a page at a time (records
    /// already handed on are left out of later pages). Answers what was handed on and
    /// what could not be read. On an error — [`ClientError::Incomplete`] among them —
    /// the pages handed on so far are not the whole list.
    pub async fn stream<T: Listed>(
        &self,
        app_id: &str,
        progress: &(dyn Fn(Progress) + Send + Sync),
        cancel: &CancellationToken,
        sink: &mut (dyn FnMut(Vec<T>) -> Taken + Send),
    ) -> Result<Streamed, ClientError> {
        if cancel.is_cancelled() {
            return Err(ClientError::Cancelled);
        }
        let fetch = |page, size| T::page(self, app_id, page, size);
        let pages = collect_pages(
            fetch,
            self.page_size(),
            self.pages_in_flight(),
            progress,
            sink,
        );
        let result = tokio::select! {
            biased;
            () = cancel.cancelled() => Err(ClientError::Cancelled),
            result = pages => result,
        };
        result.map_err(|e| match e {
            ClientError::Incomplete {
                received, total, ..
            } => ClientError::Incomplete {
                list: T::NAME,
                received,
                total,
            },
            other => other,
        })
    }
}

struct Collected<'s, T> {
    sink: &'s mut (dyn FnMut(Vec<T>) -> Taken + Send),
    seen: HashSet<String>,
    unreadable: BTreeMap<String, Unreadable>,
    total: u64,
}

impl<T: Keyed> Collected<'_, T> {
    /// Hands on the records not seen yet, once the sink has room; answers how many were
    /// new (readable or not).
    async fn absorb(&mut self, page: ListPage<T>) -> usize {
        let ListPage {
            mut records,
            unreadable,
            total,
        } = page;
        self.total = total;
        let mut added = 0;
        for record in unreadable {
            if !self.seen.contains(&record.id) && !self.unreadable.contains_key(&record.id) {
                self.unreadable.insert(record.id.clone(), record);
                added += 1;
            }
        }
        records.retain(|item| self.seen.insert(item.key().to_owned()));
        added += records.len();
        if !records.is_empty() {
            (self.sink)(records).await;
        }
        added
    }

    /// Distinct records received, readable or not.
    fn fetched(&self) -> u64 {
        (self.seen.len() + self.unreadable.len()) as u64
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
    asked_size: u32,
    in_flight: usize,
    progress: &(dyn Fn(Progress) + Send + Sync),
    sink: &mut (dyn FnMut(Vec<T>) -> Taken + Send),
) -> Result<Streamed, ClientError>
where
    T: Keyed,
    F: Fn(u32, u32) -> Fut,
    Fut: Future<Output = Result<ListPage<T>, ClientError>>,
{
    let mut list = Collected {
        sink,
        seen: HashSet::default(),
        unreadable: BTreeMap::new(),
        total: 0,
    };
    let first = fetch(0, asked_size).await?;
    let total = first.total;
    let first_len = first.records.len() + first.unreadable.len();
    // A short first page of a longer list: the host (or a proxy) caps the page size.
    // Asking for that size from now on keeps each page's offset where the host puts it.
    let size = if first_len > 0 && first_len < asked_size as usize && (first_len as u64) < total {
        u32::try_from(first_len).unwrap_or(asked_size)
    } else {
        asked_size
    };
    let is_full = |page: &ListPage<T>| page.records.len() + page.unreadable.len() >= size as usize;
    let mut last_full = is_full(&first);
    list.absorb(first).await;
    progress(list.progress());

    let planned = u32::try_from(total.div_ceil(u64::from(size))).unwrap_or(u32::MAX);
    let mut next = 1;
    if last_full && planned > 1 {
        let mut pages = stream::iter(1..planned)
            .map(|page| fetch(page, size))
            .buffered(in_flight);
        let mut stale_pages = 0;
        while let Some(result) = pages.next().await {
            let page = result?;
            next += 1;
            last_full = is_full(&page);
            let added = list.absorb(page).await;
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
        let page = fetch(next, size).await?;
        next = next.saturating_add(1);
        last_full = is_full(&page);
        let added = list.absorb(page).await;
        progress(list.progress());
        if added == 0 {
            break;
        }
    }
    // Records created while we paged sit at the front (newest first), on pages read
    // before they existed: read the front again while it brings news.
    let mut page = 0;
    while list.incomplete() && page < next {
        let items = fetch(page, size).await?;
        let full = is_full(&items);
        let added = list.absorb(items).await;
        progress(list.progress());
        if added == 0 || !full {
            break;
        }
        page += 1;
    }
    // The count as the host has it now: anything else than what was received means
    // records moved past pages already read (or a page was cut short). A list read in
    // one request was read at the end already.
    if next > 1 || list.incomplete() {
        let front = fetch(0, size).await?;
        list.absorb(front).await;
        progress(list.progress());
    }
    if list.fetched() != list.total {
        return Err(ClientError::Incomplete {
            list: "records",
            received: list.fetched(),
            total: list.total,
        });
    }
    Ok(Streamed {
        records: list.seen.len() as u64,
        unreadable: list.unreadable.into_values().collect(),
    })
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

    /// Page `page` of `size` over `ids`, as a host whose list is `ids` at that moment.
    fn page_of(ids: &[u32], page: u32, size: u32) -> ListPage<Rec> {
        ListPage {
            records: ids
                .iter()
                .skip((page * size) as usize)
                .take(size as usize)
                .map(|id| Rec(id.to_string()))
                .collect(),
            unreadable: Vec::new(),
            total: ids.len() as u64,
        }
    }

    async fn try_run(
        fetch: impl Fn(u32, u32) -> ListPage<Rec>,
    ) -> (Result<Streamed, ClientError>, Vec<String>, Vec<Progress>) {
        let seen = Mutex::new(Vec::new());
        let record = |p: Progress| seen.lock().unwrap().push(p);
        let fetch = |page, size| {
            let answer = fetch(page, size);
            async move { Ok(answer) }
        };
        let mut ids = Vec::new();
        let mut pages = 0;
        let mut sink = |page: Vec<Rec>| -> Taken {
            pages += 1;
            ids.extend(page.into_iter().map(|r| r.0));
            Box::pin(std::future::ready(()))
        };
        let outcome = collect_pages(fetch, 25, 4, &record, &mut sink).await;
        let progress = seen.into_inner().unwrap();
        assert!(pages <= progress.len(), "at most one hand-over per page");
        (outcome, ids, progress)
    }

    async fn run(fetch: impl Fn(u32, u32) -> ListPage<Rec>) -> (Vec<String>, Vec<Progress>) {
        let (outcome, ids, progress) = try_run(fetch).await;
        let streamed = outcome.unwrap();
        assert_eq!(streamed.records, ids.len() as u64);
        (ids, progress)
    }

    #[tokio::test]
    async fn a_sink_that_has_no_room_holds_the_fetch_back() {
        let ids: Vec<u32> = (0..110).rev().collect();
        let fetch = |page, size| {
            let answer = page_of(&ids, page, size);
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
        let (got, progress) = run(|p, size| page_of(&ids, p, size)).await;
        let expected: Vec<String> = ids.iter().map(u32::to_string).collect();
        assert_eq!(got, expected);
        assert_eq!(
            progress.len(),
            6,
            "one report per page, and the final count"
        );
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
        let (got, progress) = run(|p, size| {
            let mut calls = calls.lock().unwrap();
            *calls += 1;
            if *calls == 1 {
                page_of(&before, p, size)
            } else {
                page_of(&after, p, size)
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
    async fn a_record_deleted_while_paging_makes_the_fetch_incomplete() {
        // 100 records; after the first page, the newest is deleted: every later record
        // moves one place forward, and the first record of page 1 lands on page 0,
        // which was read already. Nothing but the count can tell.
        let before: Vec<u32> = (0..100).rev().collect();
        let after: Vec<u32> = (0..99).rev().collect();
        let calls = Mutex::new(0);
        let (outcome, _, _) = try_run(|p, size| {
            let mut calls = calls.lock().unwrap();
            *calls += 1;
            if *calls == 1 {
                page_of(&before, p, size)
            } else {
                page_of(&after, p, size)
            }
        })
        .await;
        match outcome {
            Err(ClientError::Incomplete {
                received, total, ..
            }) => assert_eq!((received, total), (100, 99)),
            other => panic!("expected Incomplete, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_host_that_caps_the_page_size_is_paged_at_its_size() {
        // Asked for 25, the host answers 10 and skips page × 10.
        let ids: Vec<u32> = (0..73).rev().collect();
        let (got, _) = run(|p, size| page_of(&ids, p, size.min(10))).await;
        let expected: Vec<String> = ids.iter().map(u32::to_string).collect();
        assert_eq!(got, expected, "every record, in order");
    }

    #[tokio::test]
    async fn a_host_that_cuts_pages_short_fails_instead_of_a_short_list() {
        // Skips page × the asked size but answers only 10: records in between are never
        // served. The fetch must fail, not hand on a short list as the whole.
        let ids: Vec<u32> = (0..73).rev().collect();
        let (outcome, _, _) = try_run(|p, size| {
            let mut page = page_of(&ids, p, 25);
            page.records
                .truncate(if size == 25 { 10 } else { size as usize });
            page
        })
        .await;
        assert!(
            matches!(outcome, Err(ClientError::Incomplete { .. })),
            "{outcome:?}"
        );
    }

    #[tokio::test]
    async fn unreadable_records_are_counted_and_named_once() {
        let ids: Vec<u32> = (0..60).rev().collect();
        let (outcome, got, progress) = try_run(|p, size| {
            let mut page = page_of(&ids, p, size);
            // The record "30" cannot be read, wherever it shows up.
            if let Some(at) = page.records.iter().position(|r| r.0 == "30") {
                page.records.remove(at);
                page.unreadable.push(Unreadable {
                    id: "30".into(),
                    detail: "invalid type".into(),
                });
            }
            page
        })
        .await;
        let streamed = outcome.expect("the rest of the list is kept");
        assert_eq!(got.len(), 59);
        assert_eq!(streamed.records, 59);
        assert_eq!(streamed.unreadable.len(), 1);
        assert_eq!(streamed.unreadable[0].id, "30");
        assert_eq!(progress.last().unwrap().fetched, 60, "counted as received");
    }

    #[tokio::test]
    async fn an_empty_list_is_one_request() {
        let calls = Mutex::new(0);
        let (got, _) = run(|_, _| {
            *calls.lock().unwrap() += 1;
            page_of(&[], 0, 25)
        })
        .await;
        assert!(got.is_empty());
        assert_eq!(*calls.lock().unwrap(), 1);
    }

    #[tokio::test]
    async fn a_host_ignoring_the_offset_does_not_loop() {
        // Always the same full page and a growing count: stop when nothing is new, and
        // say the list was not read whole.
        let ids: Vec<u32> = (0..25).collect();
        let calls = Mutex::new(0);
        let (outcome, got, _) = try_run(|_, size| {
            *calls.lock().unwrap() += 1;
            let mut page = page_of(&ids, 0, size);
            page.total = 1_000_000;
            page
        })
        .await;
        assert_eq!(got.len(), 25);
        assert!(matches!(outcome, Err(ClientError::Incomplete { .. })));
        assert!(
            *calls.lock().unwrap() < 10,
            "stopped soon after pages brought nothing new"
        );
    }
}
