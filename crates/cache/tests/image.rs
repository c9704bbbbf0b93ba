//! The index image: a reopened cache reads its index instead of building it, answers as
//! a built one would, and never trusts an image of another state or a damaged one.

mod common;

use common::{invite, signup, user};
use gatehouse_cache::{
    Cache, IndexOrigin, LastLogin, Onboarding, StatusFilter, UserColumn, UserQuery,
};
use serde_json::json;
use std::path::{Path, PathBuf};

fn image_of(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-index");
    PathBuf::from(name)
}

/// A cache of 3,000 users with varied fields, invitations and signups, synced once.
fn filled(dir: &Path) -> PathBuf {
    let path = dir.join("app.sqlite");
    let (cache, _) = Cache::open(&path).unwrap();
    fill(&cache);
    assert!(cache.save_index().is_ok());
    // The sync's image writer holds the file open: a test that damages the file next
    // must not race its close.
    cache.settle();
    path
}

/// Syncs 3,000 users with varied fields, invitations and signups into `cache`.
fn fill(cache: &Cache) {
    let mut staging = cache.begin_sync().unwrap();
    let users: Vec<_> = (0..3000u32)
        .map(|n| {
            let mut u = user(
                n,
                &format!("{}{n}@Example.COM", ["ann", "bob", "Çelik"][n as usize % 3]),
            );
            u.user_name = format!("Näme {}", n % 97);
            u.login_provider = ["email", "apple", "google"][n as usize % 3].into();
            u.meta_data = json!({"team": format!("t{}", n % 7), "score": n % 13});
            u.created_at = 1_700_000_000_000 - i64::from(n % 500) * 1000;
            u.last_login = (n % 4 != 0).then(|| 1_700_000_000_000 + i64::from(n % 300));
            if n % 5 == 0 {
                u.status = "suspend".into();
            }
            u
        })
        .collect();
    // In pages, with the other lists between them, as a sync stages what arrives.
    for (page, users) in users.chunks(700).enumerate() {
        staging.add_users(users).unwrap();
        if page == 1 {
            staging
                .add_invites(&[invite(1, "ann0@Example.COM", "verified")])
                .unwrap();
            staging
                .add_signups(&[signup(1, "bob1@Example.COM", 0)])
                .unwrap();
        }
    }
    staging.commit().unwrap();
}

/// Answers to a spread of queries: text, every sort both ways, filters, a far offset.
fn answers(cache: &Cache) -> Vec<(usize, usize, Vec<String>)> {
    let mut queries = Vec::new();
    for sort in [
        UserColumn::Handle,
        UserColumn::UserName,
        UserColumn::Status,
        UserColumn::Onboarding,
        UserColumn::CreatedAt,
        UserColumn::LastLogin,
        UserColumn::LoginProvider,
    ] {
        for descending in [false, true] {
            queries.push(UserQuery {
                sort,
                descending,
                limit: 40,
                ..UserQuery::default()
            });
        }
    }
    for text in ["ann", "çel", "näme 4", "t3", "12", "zzz"] {
        queries.push(UserQuery {
            text: text.into(),
            limit: 40,
            ..UserQuery::default()
        });
    }
    queries.push(UserQuery {
        status: Some(StatusFilter::Suspended),
        onboarding: Some(Onboarding::Admin),
        last_login: LastLogin::Never,
        offset: 100,
        limit: 40,
        ..UserQuery::default()
    });
    queries.push(UserQuery {
        offset: 2_950,
        limit: 100,
        ..UserQuery::default()
    });
    queries
        .iter()
        .map(|q| {
            let window = cache.query_users(q).unwrap();
            let ids = window.rows.into_iter().map(|r| r.user.id).collect();
            (window.total, window.matching, ids)
        })
        .collect()
}

#[test]
fn a_reopened_cache_reads_its_image_and_answers_as_a_built_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = filled(dir.path());
    let (built, report) = Cache::open(&path).unwrap();
    assert_eq!(report.index, IndexOrigin::Image);
    let expected = {
        std::fs::remove_file(image_of(&path)).unwrap();
        let (rebuilt, report) = Cache::open(&path).unwrap();
        assert!(
            matches!(report.index, IndexOrigin::Built { .. }),
            "{report:?}"
        );
        answers(&rebuilt)
    };
    assert_eq!(answers(&built), expected);
    assert_eq!(expected[0].0, 3000, "the queries see the users");
}

#[test]
fn a_change_after_the_image_is_built_into_the_next_open_or_saved() {
    let dir = tempfile::tempdir().unwrap();
    let path = filled(dir.path());
    let id = user(7, "").id;
    {
        let (cache, _) = Cache::open(&path).unwrap();
        cache.set_user_status(&id, "suspend").unwrap();
    }
    let (cache, report) = Cache::open(&path).unwrap();
    let IndexOrigin::Built { reason } = &report.index else {
        panic!("an image of an older state was used: {report:?}");
    };
    assert!(reason.contains("another state"), "{reason}");
    let suspended = UserQuery {
        status: Some(StatusFilter::Suspended),
        limit: 3000,
        ..UserQuery::default()
    };
    let before = answers(&cache);
    let rows = cache.query_users(&suspended).unwrap().rows;
    assert!(rows.iter().any(|r| r.user.id == id));

    // A change kept in place is saved with the image: the next open reads it.
    // (The save the open started in the background may be the one that writes it.)
    cache.set_user_status(&id, "active").unwrap();
    cache.save_index().unwrap();
    assert!(!cache.save_index().unwrap(), "nothing new to save");
    let after = answers(&cache);
    drop(cache);
    let (reopened, report) = Cache::open(&path).unwrap();
    assert_eq!(report.index, IndexOrigin::Image);
    let rows = reopened.query_users(&suspended).unwrap().rows;
    assert!(
        !rows.iter().any(|r| r.user.id == id),
        "the change is in the image"
    );
    assert_eq!(answers(&reopened), after);
    assert_ne!(before, after);
}

#[test]
fn a_damaged_image_is_rebuilt_never_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let path = filled(dir.path());
    let image = image_of(&path);
    let good = std::fs::read(&image).unwrap();
    let expected = answers(&Cache::open(&path).unwrap().0);
    let len = good.len();
    let mut damages: Vec<(String, Vec<u8>)> = Vec::new();
    for at in [0, 9, 30, 40, len / 3, len / 2, len - 9, len - 1] {
        let mut bytes = good.clone();
        bytes[at] ^= 0x5A;
        damages.push((format!("byte {at} flipped"), bytes));
    }
    for keep in [0, 10, 28, 36, len / 2, len - 1] {
        damages.push((format!("cut at {keep}"), good[..keep].to_vec()));
    }
    let mut longer = good.clone();
    longer.extend_from_slice(&[0; 16]);
    damages.push(("16 bytes appended".into(), longer));
    // A column length that claims more than the file holds must not be allocated.
    let mut huge = good.clone();
    huge[36..44].copy_from_slice(&u64::MAX.to_le_bytes());
    damages.push(("a huge column length".into(), huge));

    for (what, bytes) in damages {
        std::fs::write(&image, &bytes).unwrap();
        let (cache, report) = Cache::open(&path).unwrap();
        assert!(
            matches!(&report.index, IndexOrigin::Built { reason } if reason.contains("image")),
            "{what}: {report:?}"
        );
        assert_eq!(answers(&cache), expected, "{what}");
        // Waits for the image the open writes in the background, before the next damage.
        cache.save_index().unwrap();
    }
}

#[test]
fn an_image_of_another_file_is_not_used() {
    let dir = tempfile::tempdir().unwrap();
    let path = filled(dir.path());
    let other_dir = tempfile::tempdir().unwrap();
    let other = other_dir.path().join("app.sqlite");
    {
        let (cache, _) = Cache::open(&other).unwrap();
        let mut staging = cache.begin_sync().unwrap();
        staging.add_users(&[user(1, "only@x.io")]).unwrap();
        staging.commit().unwrap();
        // Its own image, written now rather than in the background after the copy below.
        cache.save_index().unwrap();
    }
    std::fs::copy(image_of(&path), image_of(&other)).unwrap();
    let (cache, report) = Cache::open(&other).unwrap();
    assert!(
        matches!(report.index, IndexOrigin::Built { .. }),
        "{report:?}"
    );
    assert_eq!(cache.query_users(&UserQuery::default()).unwrap().total, 1);
}

#[cfg(unix)]
#[test]
fn the_image_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = filled(dir.path());
    let mode = std::fs::metadata(image_of(&path))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn a_damaged_cache_file_takes_its_image_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = filled(dir.path());
    std::fs::write(
        &path,
        b"not a database at all, and long enough to be read.......",
    )
    .unwrap();
    let _ = std::fs::remove_file(dir.path().join("app.sqlite-wal"));
    let (cache, report) = Cache::open(&path).unwrap();
    assert!(report.recovered.is_some());
    assert_eq!(cache.query_users(&UserQuery::default()).unwrap().total, 0);
    assert_eq!(report.index, IndexOrigin::New);
}

#[test]
fn a_write_abandoned_by_an_ended_process_is_removed_and_a_recent_one_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = filled(dir.path());
    let abandoned = dir.path().join("app.sqlite-index.tmp-4000000");
    let recent = dir.path().join("app.sqlite-index.tmp-4000001");
    for file in [&abandoned, &recent] {
        std::fs::write(file, b"half an image").unwrap();
    }
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&abandoned)
        .unwrap()
        .set_modified(an_hour_ago)
        .unwrap();
    let (_cache, report) = Cache::open(&path).unwrap();
    assert_eq!(report.index, IndexOrigin::Image);
    assert!(!abandoned.exists());
    assert!(recent.exists(), "another process may be writing it now");
}

/// The commit reads the new index from the staged rows while it swaps them in: it must
/// answer as an index built from the swapped-in tables does, on a first sync and over a
/// previous copy.
#[test]
fn a_synced_index_answers_as_one_built_from_the_swapped_tables() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = Cache::open(dir.path().join("app.sqlite")).unwrap();
    for _ in 0..2 {
        fill(&cache);
        let synced = answers(&cache);
        cache.reload().unwrap();
        assert_eq!(answers(&cache), synced);
        assert_eq!(synced[0].0, 3000);
    }
}

#[test]
fn the_rarer_sort_orders_are_held_only_once_a_query_sorts_by_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = filled(dir.path());
    let (cache, _) = Cache::open(&path).unwrap();
    let orders = |cache: &Cache| {
        cache
            .index_bytes_by_part()
            .into_iter()
            .find(|(part, _)| part.starts_with("sort orders"))
            .map(|(_, bytes)| bytes)
            .unwrap()
    };
    let one_order = 3000 * 4;
    assert_eq!(orders(&cache), 3 * one_order, "id, handle and user name");
    let by_created = |descending| UserQuery {
        sort: UserColumn::CreatedAt,
        descending,
        limit: 3000,
        ..UserQuery::default()
    };
    let window = cache.query_users(&by_created(false)).unwrap();
    assert_eq!(orders(&cache), 4 * one_order);
    let created: Vec<i64> = window.rows.iter().map(|r| r.user.created_at).collect();
    assert!(created.is_sorted(), "made on first use, in order");
    cache.query_users(&by_created(true)).unwrap();
    assert_eq!(orders(&cache), 4 * one_order, "made once");
}

/// A sync reads its new index from the staged tables, with the onboarding it gathered
/// as they were staged: it must be the very index a build from the swapped-in tables
/// makes, byte for byte in its image.
#[test]
fn the_index_a_sync_makes_is_the_one_read_back_from_the_tables() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.sqlite");
    let (cache, _) = Cache::open(&path).unwrap();
    for _ in 0..2 {
        fill(&cache);
        cache.settle();
        let from_pages = std::fs::read(image_of(&path)).unwrap();
        std::fs::remove_file(image_of(&path)).unwrap();
        let (read_back, report) = Cache::open(&path).unwrap();
        assert!(matches!(report.index, IndexOrigin::Built { .. }));
        read_back.settle();
        let built = std::fs::read(image_of(&path)).unwrap();
        assert!(from_pages.len() > 100_000, "{} bytes", from_pages.len());
        assert!(from_pages == built, "the two images differ");
        assert_eq!(answers(&read_back), answers(&cache));
    }
}
