//! The query engine against a naive model: filter and sort plain records, on random
//! data with non-ASCII text, metadata numbers, ties and single-row changes. It lives in
//! the crate so that `cfg(test)` lowers the engine's size thresholds and small data
//! takes every path (parallel scan, permutation walks, sorting matches, the overlay).

use proptest::prelude::*;
use serde_json::{Value, json};

use crate::query::{Anonymous, LastLogin, StatusFilter, TimeRange, UserColumn, UserQuery};
use crate::records::{Invite, Onboarding, Signup, User};
use crate::store::Cache;

const WORDS: &[&str] = &[
    "ab", "Ab", "ß", "ΣΑΣ", "ς", "é", "İx", "0", "12", "@", "ANON_", "Zz",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 0..4).prop_map(|w| w.concat())
}

fn meta() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        text().prop_map(Value::from),
        (0i64..200).prop_map(Value::from),
        Just(json!(1.5)),
        Just(Value::Bool(true)),
        Just(Value::Null),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
            prop::collection::btree_map(text(), inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn user_data() -> impl Strategy<Value = User> {
    (
        text(),
        text(),
        prop::sample::select(&["active", "suspend", "odd"][..]),
        prop::sample::select(&["", "email", "Google", "apple"][..]),
        meta(),
        0i64..4,
        prop::option::of(0i64..4),
    )
        .prop_map(|(h, name, status, provider, meta, created, login)| User {
            id: String::new(),
            handle: h,
            user_name: name,
            status: status.into(),
            locale: "EN".into(),
            login_provider: provider.into(),
            meta_data: meta,
            created_at: created,
            updated_at: 0,
            last_login: login,
        })
}

#[derive(Debug, Clone)]
enum Change {
    Status(usize, bool),
    Remove(usize),
    Upsert(usize, User),
    Meta(usize, Value),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (0usize..200, any::<bool>()).prop_map(|(i, a)| Change::Status(i, a)),
        (0usize..200).prop_map(Change::Remove),
        (0usize..200, user_data()).prop_map(|(i, u)| Change::Upsert(i, u)),
        (0usize..200, meta()).prop_map(|(i, m)| Change::Meta(i, m)),
    ]
}

fn range() -> impl Strategy<Value = TimeRange> {
    (prop::option::of(0i64..4), prop::option::of(0i64..4))
        .prop_map(|(from, to)| TimeRange { from, to })
}

fn query() -> impl Strategy<Value = UserQuery> {
    let columns = vec![
        UserColumn::Handle,
        UserColumn::UserName,
        UserColumn::Status,
        UserColumn::Onboarding,
        UserColumn::CreatedAt,
        UserColumn::LastLogin,
        UserColumn::LoginProvider,
    ];
    let onboarding = vec![
        Onboarding::Admin,
        Onboarding::Invite,
        Onboarding::Other,
        Onboarding::Signup,
    ];
    let last_login = prop_oneof![
        Just(LastLogin::Any),
        Just(LastLogin::Never),
        range().prop_map(LastLogin::Within),
        range().prop_map(LastLogin::WithinOrNever),
    ];
    (
        (
            prop_oneof![text(), prop::sample::select(WORDS).prop_map(String::from)],
            prop::option::of(prop::sample::select(
                &[StatusFilter::Active, StatusFilter::Suspended][..],
            )),
        ),
        prop::option::of(prop::sample::select(onboarding)),
        prop::sample::select(&[Anonymous::Include, Anonymous::Exclude, Anonymous::Only][..]),
        prop::option::of(range()),
        last_login,
        (prop::sample::select(columns), any::<bool>()),
        (0usize..50, 0usize..50),
    )
        .prop_map(
            |(
                (text, status),
                onboarding,
                anonymous,
                created,
                last_login,
                (sort, descending),
                (offset, limit),
            )| UserQuery {
                text,
                status,
                onboarding,
                anonymous,
                created,
                last_login,
                // The model has no change feed; the filter is tested in tests/history.rs.
                changed_since_last_sync: false,
                // Nor findings; tested in tests/findings.rs.
                set: None,
                sort,
                descending,
                offset,
                limit,
            },
        )
}

fn meta_texts(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.to_lowercase()),
        Value::Number(n) => out.push(n.to_string()),
        Value::Array(a) => a.iter().for_each(|v| meta_texts(v, out)),
        Value::Object(m) => m.values().for_each(|v| meta_texts(v, out)),
        _ => {}
    }
}

/// The specification, spelled out naively.
fn model(
    users: &[User],
    invites: &[Invite],
    signups: &[Signup],
    q: &UserQuery,
) -> (Vec<String>, usize) {
    let onboarding = |h: &str| {
        let inv = invites
            .iter()
            .any(|i| i.handle == h && i.status == "verified");
        let codes: Vec<i64> = signups
            .iter()
            .filter(|s| s.handle == h)
            .map(|s| s.code)
            .collect();
        let code = if codes.contains(&0) {
            Some(0)
        } else {
            codes.first().copied()
        };
        Onboarding::derive(inv, code)
    };
    let needle = q.text.to_lowercase();
    let mut rows: Vec<&User> = users
        .iter()
        .filter(|u| {
            let mut fields = vec![u.handle.to_lowercase(), u.user_name.to_lowercase()];
            meta_texts(&u.meta_data, &mut fields);
            let login = u.last_login;
            fields.iter().any(|f| f.contains(&needle))
                && q.status
                    .is_none_or(|s| (s == StatusFilter::Active) == u.is_active())
                && q.onboarding.is_none_or(|o| o == onboarding(&u.handle))
                && match q.anonymous {
                    Anonymous::Include => true,
                    Anonymous::Exclude => !u.is_anonymous(),
                    Anonymous::Only => u.is_anonymous(),
                }
                && q.created.is_none_or(|r| r.contains(u.created_at))
                && match q.last_login {
                    LastLogin::Any => true,
                    LastLogin::Never => login.is_none(),
                    LastLogin::Within(r) => login.is_some_and(|t| r.contains(t)),
                    LastLogin::WithinOrNever(r) => login.is_none_or(|t| r.contains(t)),
                }
        })
        .collect();
    rows.sort_by(|a, b| {
        let primary = match q.sort {
            UserColumn::Handle => a.handle.to_lowercase().cmp(&b.handle.to_lowercase()),
            UserColumn::UserName => a.user_name.to_lowercase().cmp(&b.user_name.to_lowercase()),
            UserColumn::Status => b.is_active().cmp(&a.is_active()),
            UserColumn::Onboarding => onboarding(&a.handle).cmp(&onboarding(&b.handle)),
            UserColumn::CreatedAt => a.created_at.cmp(&b.created_at),
            UserColumn::LastLogin => a.last_login.cmp(&b.last_login),
            UserColumn::LoginProvider => a
                .login_provider
                .to_lowercase()
                .cmp(&b.login_provider.to_lowercase()),
        };
        primary.then_with(|| a.id.cmp(&b.id))
    });
    if q.descending {
        rows.reverse();
    }
    let matching = rows.len();
    (
        rows.into_iter()
            .skip(q.offset)
            .take(q.limit)
            .map(|u| u.id.clone())
            .collect(),
        matching,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn engine_agrees_with_the_model(
        data in prop::collection::vec(user_data(), 0..150),
        marks in prop::collection::vec((0usize..150, 0u8..4), 0..40),
        changes in prop::collection::vec(change(), 0..12),
        queries in prop::collection::vec(query(), 1..12),
    ) {
        // Ids unique and unrelated to insertion order, so the id tiebreak is tested.
        let mut users: Vec<User> = data.into_iter().enumerate()
            .map(|(i, mut u)| { u.id = format!("{:04}", (i * 7919) % 10007); u })
            .collect();
        let (mut invites, mut signups) = (Vec::new(), Vec::new());
        for (k, &(i, kind)) in marks.iter().enumerate() {
            let Some(u) = users.get(i) else { continue };
            let handle = u.handle.clone();
            match kind {
                0 | 1 => invites.push(Invite { id: format!("i{k}"), handle, sender_handle: "s".into(), sender_user_id: "superuser".into(), status: if kind == 0 { "verified" } else { "pending" }.into(), code: String::new(), meta_data: Value::Null, created_at: 0 }),
                _ => signups.push(Signup { id: format!("s{k}"), handle, code: if kind == 2 { 0 } else { 123 }, status: "verified".into(), meta_data: Value::Null, created_at: 0 }),
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let (cache, _) = Cache::open(dir.path().join("m.sqlite")).unwrap();
        let mut s = cache.begin_sync().unwrap();
        s.add_users(&users).unwrap();
        s.add_invites(&invites).unwrap();
        s.add_signups(&signups).unwrap();
        s.commit().unwrap();
        for c in changes {
            let n = users.len().max(1);
            match c {
                Change::Status(i, a) if !users.is_empty() => {
                    let u = &mut users[i % n];
                    u.status = if a { "active" } else { "suspend" }.into();
                    cache.set_user_status(&u.id, &u.status).unwrap();
                }
                Change::Remove(i) if !users.is_empty() => {
                    let u = users.remove(i % n);
                    cache.remove_user(&u.id).unwrap();
                }
                Change::Upsert(i, mut u) => {
                    u.id = if i % 3 == 0 || users.is_empty() { format!("new{i}") } else { users[i % n].id.clone() };
                    users.retain(|x| x.id != u.id);
                    cache.upsert_user(&u).unwrap();
                    users.push(u);
                }
                Change::Meta(i, m) if !users.is_empty() => {
                    let u = &mut users[i % n];
                    u.meta_data = m;
                    cache.set_user_metadata(&u.id, &u.meta_data).unwrap();
                }
                _ => {}
            }
        }
        for q in queries {
            let (want, matching) = model(&users, &invites, &signups, &q);
            let got = cache.query_users(&q).unwrap();
            let ids: Vec<String> = got.rows.iter().map(|r| r.user.id.clone()).collect();
            prop_assert_eq!(&ids, &want, "window of {:?}", q);
            prop_assert_eq!(got.matching, matching);
            prop_assert_eq!(got.total, users.len());
            let all = model(&users, &invites, &signups, &UserQuery { offset: 0, limit: usize::MAX, ..q.clone() }).0;
            prop_assert_eq!(cache.matching_user_ids(&q), all);
        }
    }
}
