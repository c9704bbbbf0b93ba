//! The app's allocator, and the moments it is asked to give freed memory back.

// mimalloc rather than the system allocator: a sync allocates and frees hundreds of
// thousands of small records on several threads, which glibc serves ~20 % slower and
// keeps in per-thread arenas (the process grew by ~370 MB with each re-sync of 100k users).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Hands the memory freed by a burst of work (building a cache's search index, a sync)
/// back to the system. mimalloc otherwise keeps it until the threads that freed it
/// allocate again, which in an idle window may be never: ~17 MB after opening a cache of
/// 100,000 users.
#[allow(unsafe_code)]
pub(crate) fn give_back_freed() {
    // SAFETY: `mi_collect` has no preconditions and may run on any thread at any time.
    unsafe { libmimalloc_sys::mi_collect(true) }
}
