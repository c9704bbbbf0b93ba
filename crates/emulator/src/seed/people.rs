//! Generates the seeded users and their onboarding records.

use rusqlite::{Connection, params};
use serde_json::{Value, json};

use super::names::{CITIES, DOMAINS, FIRST, LAST, TAGS, TEAMS};
use crate::clock;
use crate::error::Error;
use crate::metadata;
use crate::secrets;

/// Seeded dates fall in this window, so the same seed gives the same dates on any day.
const START_MS: i64 = 1_704_067_200_000; // 2024-01-01
const END_MS: i64 = 1_767_225_600_000; // 2026-01-01

/// splitmix64: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[usize::try_from(self.below(items.len() as u64)).unwrap_or(0)]
    }
    fn span(&mut self, from: i64, to: i64) -> i64 {
        from + i64::try_from(self.below(u64::try_from((to - from).max(1)).unwrap_or(1)))
            .unwrap_or(0)
    }
    fn code(&mut self) -> i64 {
        100_000 + i64::try_from(self.below(900_000)).unwrap_or(0)
    }
    fn uuid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            (b >> 48) & 0x3fff | 0x8000,
            b & 0xffff_ffff_ffff
        )
    }
}

struct Person {
    handle: String,
    user_name: String,
    display: String,
}

fn person(rng: &mut Rng, n: u64) -> Person {
    let (first, fa) = *rng.pick(FIRST);
    let (last, la) = *rng.pick(LAST);
    let domain = rng.pick(DOMAINS);
    let style = rng.below(100);
    let handle = match style {
        0..55 => format!("{fa}.{la}{n}@{domain}"),
        55..75 => format!("{fa}.{la}+{}{n}@{domain}", rng.pick(TAGS)),
        75..92 => format!("{}{la}{n}@{domain}", &fa[..1]),
        _ => format!("{fa}_{la}{n}"),
    };
    let user_name = if style >= 92 || rng.below(100) < 25 {
        format!("{fa}_{la}{n}")
    } else {
        String::new()
    };
    Person {
        handle,
        user_name,
        display: format!("{first} {last}"),
    }
}

fn meta_for(rng: &mut Rng, paths: &[String], display: &str, n: u64) -> Value {
    let mut meta = json!({});
    for path in paths {
        let leaf = path.rsplit('.').next().unwrap_or(path);
        let value = match leaf {
            "name" => Value::from(display),
            "team" => Value::from(*rng.pick(TEAMS)),
            "city" => Value::from(*rng.pick(CITIES)),
            _ => Value::from(format!("{leaf}-{n}")),
        };
        metadata::set_path(&mut meta, path, value);
    }
    meta
}

/// Inserts users, invites and signups; returns how many of each were written.
pub fn fill(
    db: &Connection,
    app_id: &str,
    paths: &[String],
    o: &super::SeedOptions,
) -> Result<(u64, u64, u64), Error> {
    let mut rng = Rng(o.seed ^ 0x05EE_D0FC_051C);
    let hash = secrets::hash(&secrets::md5_hex(super::DEMO_PASSWORD))?;
    let mut insert_user = db.prepare(
        "INSERT OR IGNORE INTO users(id, app_id, handle, user_name, status, password, locale, \
         login_provider, extra, meta_data, last_login, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'EN', ?7, ?8, ?9, ?10, ?11, ?11)",
    )?;
    let mut insert_signup = db.prepare(
        "INSERT INTO signups(id, app_id, handle, code, meta_data, locale, status, password, \
         created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 'EN', ?6, ?7, ?8, ?8)",
    )?;
    let mut insert_invite = db.prepare(
        "INSERT INTO invites(id, app_id, handle, sender_handle, sender_user_id, meta_data, code, \
         status, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7, ?8, ?8)",
    )?;
    let mut mail = db.prepare(
        "INSERT INTO mailbox(app_id, handle, kind, code, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    // Numbers in handles continue after the app's existing users, so a second seed adds people.
    let base: u64 = db
        .query_row(
            "SELECT COALESCE(MAX(users), 0) FROM user_counts WHERE app_id = ?1",
            [app_id],
            |r| r.get::<_, i64>(0),
        )
        .map(|n| u64::try_from(n).unwrap_or(0))?;
    let span = (END_MS - START_MS) / i64::try_from(o.users.max(1)).unwrap_or(1);
    let mut people: Vec<(String, i64, String)> = Vec::new();
    let mut written = 0u64;
    for i in 0..o.users {
        let n = base + i + 1;
        let created = START_MS
            + span * i64::try_from(i).unwrap_or(0)
            + rng.below(u64::try_from(span.max(1)).unwrap_or(1)) as i64;
        let anon = rng.below(100) < 2;
        let p = if anon {
            Person {
                handle: format!("ANON_{}", rng.uuid()),
                user_name: String::new(),
                display: String::new(),
            }
        } else {
            person(&mut rng, n)
        };
        let meta = if anon {
            String::from("{}")
        } else {
            meta_for(&mut rng, paths, &p.display, n).to_string()
        };
        let status = if rng.below(100) < 4 {
            "suspend"
        } else {
            "active"
        };
        let last_login = (rng.below(100) >= 20).then(|| clock::iso(rng.span(created, END_MS)));
        let provider = match rng.below(100) {
            _ if anon => "",
            0..4 => "google",
            4..6 => "apple",
            _ => "email",
        };
        let password = if anon { "" } else { hash.as_str() };
        let id = clock::object_id(created);
        let added = insert_user.execute(params![
            id,
            app_id,
            p.handle,
            p.user_name,
            status,
            password,
            provider,
            "",
            meta,
            last_login,
            clock::iso(created)
        ])?;
        written += added as u64;
        // Social sign-ins and anonymous users came in without a record ("other").
        if added == 1 && !anon && provider == "email" {
            people.push((p.handle, created, meta));
        }
    }
    // A deterministic shuffle decides who came by invite, by signup or by an admin.
    for i in (1..people.len()).rev() {
        let j = usize::try_from(rng.below(i as u64 + 1)).unwrap_or(0);
        people.swap(i, j);
    }
    let accepted = usize::try_from(o.invites.div_ceil(2))
        .unwrap_or(0)
        .min(people.len());
    let verified = usize::try_from(o.signups * 2 / 3)
        .unwrap_or(0)
        .min(people.len() - accepted);
    let mut invites = 0u64;
    let mut signups = 0u64;
    for (k, (handle, created, meta)) in people.iter().enumerate() {
        if k < accepted {
            let sent = created - rng.span(3_600_000, 7 * 86_400_000);
            insert_invite.execute(params![
                clock::object_id(sent),
                app_id,
                handle,
                "superuser",
                meta,
                rng.code(),
                "verified",
                clock::iso(sent)
            ])?;
            invites += 1;
        } else if k < accepted + verified {
            let asked = created - rng.span(60_000, 3_600_000);
            insert_signup.execute(params![
                clock::object_id(asked),
                app_id,
                handle,
                rng.code(),
                meta,
                "verified",
                hash,
                clock::iso(asked)
            ])?;
            signups += 1;
        } else {
            insert_signup.execute(params![
                clock::object_id(*created),
                app_id,
                handle,
                0,
                meta,
                "active",
                "",
                clock::iso(*created)
            ])?;
        }
    }
    for k in 0..o.invites.saturating_sub(accepted as u64) {
        let handle = format!("guest{}.{}@invitee.example", base + k + 1, o.seed);
        let sent = rng.span(START_MS, END_MS);
        let code = rng.code();
        insert_invite.execute(params![
            clock::object_id(sent),
            app_id,
            handle,
            "superuser",
            "{}",
            code,
            "pending",
            clock::iso(sent)
        ])?;
        mail.execute(params![app_id, handle, "invite", code, clock::iso(sent)])?;
        invites += 1;
    }
    for k in 0..o.signups.saturating_sub(verified as u64) {
        let (first, _) = rng.pick(FIRST);
        let handle = format!("pending{}+{}@signup.example", base + k + 1, o.seed);
        let asked = rng.span(START_MS, END_MS);
        let code = rng.code();
        let meta = json!({"name": format!("{first} Pending")}).to_string();
        insert_signup.execute(params![
            clock::object_id(asked),
            app_id,
            handle,
            code,
            meta,
            "pending",
            hash,
            clock::iso(asked)
        ])?;
        mail.execute(params![app_id, handle, "signup", code, clock::iso(asked)])?;
        signups += 1;
    }
    Ok((written, invites, signups))
}
