//! Things the user should hear about that are not the answer to what they asked, such as
//! a damaged file that was set aside. Both front ends take them and show them: the CLI on
//! stderr, the desktop app at the top of the window.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

#[derive(Debug, Default)]
struct Inner {
    pending: Vec<String>,
    /// Every notice ever queued, so one that keeps being true (a host list from a newer
    /// release, read again by every command) is said once, not at every read.
    said: HashSet<String>,
}

/// The notices of one [`crate::Gatehouse`], shared with its host list and connections.
#[derive(Debug, Clone, Default)]
pub(crate) struct Notices(Arc<Mutex<Inner>>);

impl Notices {
    pub(crate) fn push(&self, notice: String) {
        let mut inner = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if inner.said.insert(notice.clone()) {
            inner.pending.push(notice);
        }
    }

    pub(crate) fn take(&self) -> Vec<String> {
        std::mem::take(&mut self.0.lock().unwrap_or_else(|e| e.into_inner()).pending)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_is_taken_once_and_not_queued_again() {
        let notices = Notices::default();
        notices.push("a".into());
        notices.push("a".into());
        notices.push("b".into());
        assert_eq!(notices.take(), vec!["a".to_owned(), "b".to_owned()]);
        notices.push("a".into());
        assert!(notices.take().is_empty());
    }
}
