//! Threads for work that no frame waits on: staging a sync, reading the new index beside
//! the commit, writing the index image, compacting. They run at a lower scheduling
//! priority than the window's threads, so that on a machine with two cores the web view
//! wins a core when both want one and typing stays smooth during a sync.

use std::thread::JoinHandle;

/// The niceness of background threads: CFS then gives them about a tenth of a core's
/// share when the window's threads (niceness 0) want the same core, and all of an idle one.
#[cfg(target_os = "linux")]
const BACKGROUND_NICENESS: i32 = 10;

/// Runs `work` on a new thread named `name`, at background priority. Threads `work`
/// starts inherit that priority.
pub fn spawn<T, F>(name: &str, work: F) -> std::io::Result<JoinHandle<T>>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            lower_priority();
            work()
        })
}

/// On Linux a priority given to a thread id is that thread's alone. Elsewhere the same
/// call would lower the whole process, so the thread keeps the default priority there.
#[cfg(target_os = "linux")]
fn lower_priority() {
    let this_thread = rustix::thread::gettid();
    // Best effort: at the default priority the work is only less polite.
    let _ = rustix::process::setpriority_process(Some(this_thread), BACKGROUND_NICENESS);
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    fn niceness() -> i32 {
        rustix::process::getpriority_process(Some(rustix::thread::gettid())).unwrap()
    }

    #[test]
    fn background_work_and_the_threads_it_starts_run_below_the_caller() {
        let caller = niceness();
        let (own, started) = spawn("test-background", || {
            let started = std::thread::spawn(niceness).join().unwrap();
            (niceness(), started)
        })
        .unwrap()
        .join()
        .unwrap();
        assert!(own > caller, "niceness {own}, caller's {caller}");
        assert_eq!(started, own);
        assert_eq!(niceness(), caller, "the caller's own priority is untouched");
    }
}
