//! Query benchmark over 1,000,000 synthetic users.
//!
//! `cargo bench -p gatehouse-cache --bench query` builds a cache file of deterministic
//! users, invitations and signups, then re-runs itself in a fresh process that opens
//! the file (building the index) and times query windows, so that the peak memory it
//! reports is that of an app which opened an existing cache. Set `GATEHOUSE_BENCH_USERS`
//! for another size.

use std::path::Path;
use std::time::{Duration, Instant};

use gatehouse_cache::{
    Anonymous, Cache, IndexOrigin, Invite, InviteQuery, InviteStatus, LastLogin, Onboarding,
    Signup, SignupQuery, SignupStatus, StatusFilter, TimeRange, User, UserColumn, UserQuery,
    UserSet,
};
use serde_json::json;

const FIRST: &[&str] = &[
    "james",
    "mary",
    "robert",
    "patricia",
    "john",
    "jennifer",
    "michael",
    "linda",
    "david",
    "elizabeth",
    "william",
    "barbara",
    "richard",
    "susan",
    "joseph",
    "jessica",
    "thomas",
    "sarah",
    "chris",
    "karen",
    "józef",
    "zoë",
    "françois",
    "søren",
    "ana",
    "müller",
    "li",
    "priya",
    "omar",
    "yuki",
];
const LAST: &[&str] = &[
    "smith",
    "johnson",
    "williams",
    "brown",
    "jones",
    "garcia",
    "miller",
    "davis",
    "rodriguez",
    "martinez",
    "hernandez",
    "lopez",
    "gonzalez",
    "wilson",
    "anderson",
    "thomas",
    "taylor",
    "moore",
    "jackson",
    "martin",
    "lee",
    "perez",
    "thompson",
    "white",
    "harris",
    "sanchez",
    "clark",
    "ramirez",
    "lewis",
    "robinson",
    "nguyen",
    "kowalski",
];
const DOMAINS: &[&str] = &[
    "gmail.com",
    "yahoo.com",
    "outlook.com",
    "example.org",
    "acme.io",
    "corp.example.com",
];
const CITIES: &[&str] = &[
    "Berlin",
    "London",
    "New York",
    "São Paulo",
    "Tokyo",
    "Paris",
    "Kraków",
    "Lagos",
    "Sydney",
    "Toronto",
    "München",
    "Austin",
];
const TEAMS: &[&str] = &["red", "blue", "green", "platform", "sales", "support"];
const PROVIDERS: &[&str] = &["email", "", "google", "apple"];
const START: i64 = 1_600_000_000_000;
const DAY: i64 = 86_400_000;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*: deterministic and dependency-free.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn synthetic_user(rng: &mut Rng, n: u64) -> User {
    let (first, last) = (rng.pick(FIRST), rng.pick(LAST));
    let anonymous = rng.below(50) == 0;
    let handle = if anonymous {
        format!(
            "ANON_{:08x}-{:04x}-4{:03x}-{:016x}",
            rng.next() as u32,
            n & 0xffff,
            n & 0xfff,
            rng.next()
        )
    } else {
        format!("{first}.{last}{n}@{}", rng.pick(DOMAINS))
    };
    let created = START + rng.below(3 * 365 * DAY as u64) as i64;
    User {
        id: format!("{:08x}{:016x}", 0x5f00_0000u64 + n, n),
        handle,
        user_name: if anonymous {
            String::new()
        } else {
            format!("{} {}", cap(first), cap(last))
        },
        status: if rng.below(20) == 0 {
            "suspend"
        } else {
            "active"
        }
        .into(),
        locale: "EN".into(),
        login_provider: rng.pick(PROVIDERS).into(),
        meta_data: json!({
            "profile": {"city": rng.pick(CITIES), "team": rng.pick(TEAMS)},
            "employeeId": 100_000 + n,
            "score": rng.below(1000),
        }),
        created_at: created,
        updated_at: created,
        last_login: (rng.below(10) < 7).then(|| created + rng.below(200 * DAY as u64) as i64),
    }
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn build(path: &Path, users: u64) -> Duration {
    let (cache, _) = Cache::open(path).expect("open");
    let started = Instant::now();
    let mut staging = cache.begin_sync().expect("sync");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut page = Vec::with_capacity(1000);
    let (mut invites, mut signups) = (Vec::new(), Vec::new());
    for n in 0..users {
        let u = synthetic_user(&mut rng, n);
        if n % 10 == 0 {
            invites.push(Invite {
                id: format!("i{n:023x}"),
                handle: u.handle.clone(),
                sender_handle: "admin@acme.io".into(),
                sender_user_id: "superuser".into(),
                status: if n % 20 == 0 { "verified" } else { "pending" }.into(),
                code: format!("{:06}", n % 1_000_000),
                meta_data: json!({}),
                created_at: u.created_at,
            });
        } else if n % 10 < 4 {
            signups.push(Signup {
                id: format!("s{n:023x}"),
                handle: u.handle.clone(),
                code: if n % 10 == 1 {
                    0
                } else {
                    100_000 + (n % 900_000) as i64
                },
                status: "verified".into(),
                meta_data: json!({}),
                created_at: u.created_at,
            });
        }
        page.push(u);
        if page.len() == 1000 {
            staging.add_users(&page).expect("users");
            page.clear();
        }
    }
    staging.add_users(&page).expect("users");
    staging.add_invites(&invites).expect("invites");
    staging.add_signups(&signups).expect("signups");
    let staged = started.elapsed();
    staging.commit().expect("commit");
    println!(
        "generated and staged in {:.1} s; committed (handle indexes, swap, index build) in {:.1} s",
        staged.as_secs_f64(),
        (started.elapsed() - staged).as_secs_f64()
    );
    started.elapsed()
}

fn shapes() -> Vec<(&'static str, Vec<UserQuery>)> {
    let q = UserQuery::default;
    let texts =
        |words: &[&str], f: &dyn Fn(&str) -> UserQuery| words.iter().map(|w| f(w)).collect();
    vec![
        (
            "search 'smith' + active + sort handle",
            texts(&["smith", "garcia", "nguyen", "kowalski", "brown"], &|t| {
                UserQuery {
                    text: t.into(),
                    status: Some(StatusFilter::Active),
                    sort: UserColumn::Handle,
                    ..q()
                }
            }),
        ),
        (
            "search 'gmail' + hide anonymous + sort created desc",
            texts(&["gmail", "yahoo", "acme", "outlook"], &|t| UserQuery {
                text: t.into(),
                anonymous: Anonymous::Exclude,
                sort: UserColumn::CreatedAt,
                descending: true,
                ..q()
            }),
        ),
        (
            "search 'a' (1M hits) + onboarding signup + sort last login desc",
            texts(&["a", "e", "o", "m"], &|t| UserQuery {
                text: t.into(),
                onboarding: Some(Onboarding::Signup),
                sort: UserColumn::LastLogin,
                descending: true,
                ..q()
            }),
        ),
        (
            "search metadata number '12345' + sort user name",
            texts(&["12345", "54321", "99999", "31337"], &|t| UserQuery {
                text: t.into(),
                sort: UserColumn::UserName,
                ..q()
            }),
        ),
        (
            "search 'münchen' + created range + sort status",
            texts(&["münchen", "kraków", "são", "tokyo"], &|t| UserQuery {
                text: t.into(),
                created: Some(TimeRange {
                    from: Some(START + 365 * DAY),
                    to: Some(START + 730 * DAY),
                }),
                sort: UserColumn::Status,
                ..q()
            }),
        ),
        (
            "search 'ZOË' + never logged in + sort onboarding desc",
            texts(&["ZOË", "SØREN", "józef", "françois"], &|t| UserQuery {
                text: t.into(),
                last_login: LastLogin::Never,
                sort: UserColumn::Onboarding,
                descending: true,
                ..q()
            }),
        ),
        (
            "search 'er' (common pair, ~40% of rows) + sort user name desc",
            texts(&["er", "an", "on", "li"], &|t| UserQuery {
                text: t.into(),
                sort: UserColumn::UserName,
                descending: true,
                ..q()
            }),
        ),
        (
            "no search, suspended, sort provider, offset 40,000",
            texts(&["", ""], &|t| UserQuery {
                text: t.into(),
                status: Some(StatusFilter::Suspended),
                sort: UserColumn::LoginProvider,
                offset: 40_000,
                ..q()
            }),
        ),
        (
            "no search, sort handle, offset 500,000",
            texts(&["", ""], &|t| UserQuery {
                text: t.into(),
                offset: 500_000,
                ..q()
            }),
        ),
    ]
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(field)).map(str::to_owned))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

fn query_phase(path: &Path) {
    // First an open with no image (the index built from the rows) and the image written,
    // then the open every later start makes: the image read back.
    let image = format!("{}-index", path.display());
    let _ = std::fs::remove_file(&image);
    let started = Instant::now();
    let (built, report) = Cache::open(path).expect("open");
    let build = started.elapsed();
    assert!(
        matches!(report.index, IndexOrigin::Built { .. }),
        "{report:?}"
    );
    let t = Instant::now();
    built.save_index().expect("image written");
    let write = t.elapsed();
    drop(built);
    let image_size = std::fs::metadata(&image).map(|m| m.len()).unwrap_or(0);
    let started = Instant::now();
    let (cache, report) = Cache::open(path).expect("open");
    let open = started.elapsed();
    assert_eq!(report.index, IndexOrigin::Image);
    let rounds = 20;
    println!("| query shape (100-row window) | matching | p50 ms | p95 ms | max ms |");
    println!("|---|---:|---:|---:|---:|");
    for (name, queries) in shapes() {
        let mut times = Vec::new();
        let mut matching = 0;
        for _ in 0..rounds {
            for query in &queries {
                let t = Instant::now();
                let w = cache.query_users(query).expect("query");
                times.push(t.elapsed());
                matching = w.matching;
                assert!(
                    !w.rows.is_empty() || w.matching <= query.offset,
                    "{name}: no rows"
                );
            }
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "| {name} | {matching} | {:.2} | {:.2} | {:.2} |",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.95)),
            ms(*times.last().expect("times"))
        );
    }
    let t = Instant::now();
    let all = cache.matching_user_ids(&UserQuery {
        text: "gmail".into(),
        ..UserQuery::default()
    });
    println!(
        "\nselect all ('gmail', {} ids): {:.0} ms",
        all.len(),
        t.elapsed().as_secs_f64() * 1000.0
    );
    findings_phase(&cache);
    println!("open + index build: {:.2} s", build.as_secs_f64());
    println!(
        "index image: written in {:.2} s, {} MB on disk",
        write.as_secs_f64(),
        image_size / 1_000_000
    );
    println!("open + index image read: {:.2} s", open.as_secs_f64());
    println!("index heap: {} MB", cache.index_bytes() / 1_000_000);
    for (part, bytes) in cache.index_bytes_by_part() {
        println!("    {part}: {:.1} MB", bytes as f64 / 1e6);
    }
    println!(
        "peak RSS of the opening process (VmHWM): {} MB",
        status_kb("VmHWM:") / 1024
    );
    println!(
        "RSS after queries (VmRSS): {} MB",
        status_kb("VmRSS:") / 1024
    );
}

/// The Insights tab's eight findings, each counted as the window counts it (a query at
/// limit 0), one after the other.
fn findings_phase(cache: &Cache) {
    let now = 1_767_225_600_000; // the end of the generated dates
    let days = |n: i64| now - n * 86_400_000;
    let before = |n: i64| TimeRange {
        from: None,
        to: Some(days(n)),
    };
    let q = || UserQuery {
        limit: 0,
        ..UserQuery::default()
    };
    let users: Vec<(&str, UserQuery)> = vec![
        (
            "dormant",
            UserQuery {
                last_login: LastLogin::Within(before(90)),
                ..q()
            },
        ),
        (
            "never logged in",
            UserQuery {
                last_login: LastLogin::Never,
                created: Some(before(30)),
                ..q()
            },
        ),
        (
            "near-duplicate handles",
            UserQuery {
                set: Some(UserSet::NearDuplicateHandles),
                ..q()
            },
        ),
        (
            "missing required metadata",
            UserQuery {
                set: Some(UserSet::MissingMetadata(vec!["profile.team".into()])),
                ..q()
            },
        ),
        (
            "old anonymous",
            UserQuery {
                anonymous: Anonymous::Only,
                created: Some(before(30)),
                ..q()
            },
        ),
        (
            "suspended",
            UserQuery {
                status: Some(StatusFilter::Suspended),
                ..q()
            },
        ),
    ];
    println!("\n| finding | count | ms |");
    println!("|---|---:|---:|");
    let all = Instant::now();
    for (name, query) in users {
        let t = Instant::now();
        let w = cache.query_users(&query).expect("finding");
        println!(
            "| {name} | {} | {:.0} |",
            w.matching,
            t.elapsed().as_secs_f64() * 1000.0
        );
    }
    let t = Instant::now();
    let stale = cache
        .query_invites(&InviteQuery {
            status: Some(InviteStatus::Pending),
            created_before: Some(days(14)),
            ..InviteQuery::default()
        })
        .expect("stale invitations");
    println!(
        "| stale invitations | {} | {:.0} |",
        stale.matching,
        t.elapsed().as_secs_f64() * 1000.0
    );
    let t = Instant::now();
    let expired = cache
        .query_signups(&SignupQuery {
            status: Some(SignupStatus::Pending),
            created_before: Some(now - 48 * 3_600_000),
            ..SignupQuery::default()
        })
        .expect("expired signups");
    println!(
        "| expired signups | {} | {:.0} |",
        expired.matching,
        t.elapsed().as_secs_f64() * 1000.0
    );
    println!(
        "\nall eight findings: {:.0} ms\n",
        all.elapsed().as_secs_f64() * 1000.0
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--query-phase") {
        query_phase(Path::new(&args[i + 1]));
        return;
    }
    let users: u64 = std::env::var("GATEHOUSE_BENCH_USERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("tempdir");
    // GATEHOUSE_BENCH_DB keeps the generated file for the next run, which then skips
    // generating it.
    let path = std::env::var_os("GATEHOUSE_BENCH_DB")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().join("bench.sqlite"));
    let took = if path.exists() {
        Duration::ZERO
    } else {
        build(&path, users)
    };
    let size: u64 = ["", "-wal"]
        .iter()
        .filter_map(|s| std::fs::metadata(format!("{}{s}", path.display())).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "users: {users}; staging + swap (sync write side, incl. index build): {:.1} s",
        took.as_secs_f64()
    );
    println!("database on disk (file + WAL): {} MB\n", size / 1_000_000);
    let status = std::process::Command::new(&args[0])
        .args(["--query-phase", &path.display().to_string()])
        .status()
        .expect("query phase");
    assert!(status.success(), "query phase failed");
}
