//! Strategies for arbitrary JSON, shaped to reach the wire decoders' interesting paths.
//!
//! Shared by `tests/decoders.rs` (the public types) and the crate's own
//! `src/decoder_props.rs` (the crate-private answer classification), which includes
//! this file with `#[path]`; each uses only part of it.
#![allow(dead_code)]

use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Number, Value, json};

pub const USER_FIELDS: &[&str] = &[
    "_id",
    "handle",
    "userName",
    "status",
    "locale",
    "loginProvider",
    "twoFactorPhoneVerification",
    "twoFactorGoogleVerification",
    "phone",
    "phoneVerified",
    "metaData",
    "lastLogin",
    "createdAt",
    "updatedAt",
];

pub const INVITE_FIELDS: &[&str] = &[
    "_id",
    "handle",
    "appId",
    "senderHandle",
    "senderUserId",
    "metaData",
    "code",
    "status",
    "createdAt",
    "updatedAt",
];

pub const SIGNUP_FIELDS: &[&str] = &[
    "_id",
    "handle",
    "appId",
    "code",
    "metaData",
    "locale",
    "status",
    "createdAt",
    "updatedAt",
];

pub const APP_FIELDS: &[&str] = &[
    "appId",
    "name",
    "status",
    "jwtEnabled",
    "signupEnabled",
    "invitationEnabled",
    "signupFlow",
    "anonymousLoginEnabled",
    "userNamesEnabled",
    "twoFactorVerification",
    "passwordFilter",
    "passwordMinLength",
    "passwordMinUpper",
    "passwordMinLower",
    "passwordMinDigit",
    "passwordMinSpecial",
    "userJWTExpiration",
    "realmAppId",
    "metaData",
    "metaDataInvite",
    "metaDataEmail",
    "locales",
    "appToken",
    "appPublicKey",
    "createdAt",
    "updatedAt",
];

/// The fields of an app's metadata field definitions (`metaData`, `metaDataInvite`).
pub const FIELD_DEF_FIELDS: &[&str] = &["id", "path", "fieldName", "required", "canEdit"];

pub const LOG_FIELDS: &[&str] = &[
    "appId",
    "handle",
    "action",
    "status",
    "logType",
    "value",
    "createdAt",
];

pub const PAGE_FIELDS: &[&str] = &[
    "users",
    "totalUser",
    "totalAnonUser",
    "invites",
    "totalInvite",
    "signups",
    "totalSignup",
    "exists",
    "logs",
    "totalLog",
];

/// The two error bodies: `{code, message}` and `{status: "Fails", message}`.
pub const ERROR_FIELDS: &[&str] = &["code", "message", "status", "_id"];

/// The host's secret fields, which no decoded value may hold.
pub const SECRET_FIELDS: &[&str] = &["password", "googleSecretKey", "phoneCode", "twoFactorCode"];

/// Words the decoders give a meaning to.
const WORDS: &[&str] = &[
    "active",
    "inactive",
    "migrated",
    "suspend",
    "pending",
    "verified",
    "code",
    "link",
    "none",
    "Fails",
    "Service Not found",
    "true",
    "false",
    "1",
    "0",
    " 1 ",
    "-1",
    "24",
    "1e3",
    "0x10",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "NaN",
    "ANON_6F9619FF-8B86",
    "{}",
    "{\"a\":1}",
    "[1,2]",
    "null",
];

/// Any field name of any record, page or error body.
pub fn field_name() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        select(USER_FIELDS),
        select(INVITE_FIELDS),
        select(SIGNUP_FIELDS),
        select(APP_FIELDS),
        select(FIELD_DEF_FIELDS),
        select(LOG_FIELDS),
        select(PAGE_FIELDS),
        select(ERROR_FIELDS),
        select(SECRET_FIELDS),
        Just("$date"),
    ]
}

/// Characters of handles, ids and numbers as text.
const PLAIN_CHARS: &str = "abzAZ019@._+- $e";

/// Characters that trip up text handling: other scripts, emoji, joiners, zero-width
/// and byte-order marks, controls, quotes and backslashes, the last character of
/// Unicode.
const ODD_CHARS: &str =
    "éΩßİﬃ中文😀👩\u{200d}\u{200b}\u{feff}\u{0}\u{1f}\u{7f}\n\t\"\\\u{10ffff}\u{fffd}";

/// Characters of dates.
const DATE_CHARS: &str = "01259-:TtWZz+., ";

/// A string of up to `max` characters drawn from `chars`. (Much cheaper than a regex
/// strategy, which matters with thousands of strings per case.)
fn string_of(chars: &str, max: usize) -> impl Strategy<Value = String> {
    let chars: Vec<char> = chars.chars().collect();
    vec(select(chars), 0..=max).prop_map(|chars| chars.into_iter().collect())
}

/// Text of every kind: empty, any Unicode, plausible handles, dates and numbers.
pub fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => Just(String::new()),
        2 => vec(any::<char>(), 0..16).prop_map(|chars| chars.into_iter().collect()),
        2 => string_of(PLAIN_CHARS, 16),
        1 => string_of(ODD_CHARS, 8),
        2 => select(WORDS).prop_map(str::to_owned),
        2 => date_text(),
    ]
}

/// Dates as the host writes them, almost as it writes them, and not at all: RFC 3339
/// with out-of-range parts, ISO 8601 variants (extended years, weeks, ordinals,
/// basic format), character soup and known odd cases.
pub fn date_text() -> impl Strategy<Value = String> {
    let zone = || {
        select(
            &[
                "Z",
                "z",
                "",
                "+00:00",
                "-00:00",
                "+23:59",
                "-23:59",
                "+24:00",
                "-99:99",
                "+05",
                "+0530",
                "+05:30:15",
            ][..],
        )
    };
    let fraction = || {
        (select(&[".", ","][..]), string_of("0159", 12)).prop_map(|(separator, digits)| {
            if digits.is_empty() {
                digits
            } else {
                format!("{separator}{digits}")
            }
        })
    };
    let rfc3339 = (
        (0u32..=10_000, 0u8..=13, 0u8..=32),
        (0u8..=25, 0u8..=61, 0u8..=61),
        fraction(),
        zone(),
    )
        .prop_map(|((y, mo, d), (h, mi, s), fraction, zone)| {
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{fraction}{zone}")
        });
    let iso8601 = (
        (
            select(&["", "+", "-"][..]),
            select(&[4usize, 6][..]),
            0u32..=999_999,
        ),
        (select(&["-", ""][..]), select(&["", "W"][..]), 0u16..=400),
        select(
            &[
                "",
                "T10",
                "T23:59",
                "T2359",
                "T24:00:00",
                "T12:30:60",
                "T10:00:00",
            ][..],
        ),
        fraction(),
        zone(),
    )
        .prop_map(
            |((sign, width, year), (separator, week, day), time, fraction, zone)| {
                let fraction = if time.is_empty() {
                    ""
                } else {
                    fraction.as_str()
                };
                format!("{sign}{year:0width$}{separator}{week}{day:02}{time}{fraction}{zone}")
            },
        );
    prop_oneof![
        3 => rfc3339,
        2 => iso8601,
        1 => string_of(DATE_CHARS, 30),
        1 => select(
            &[
                "2024-03-01T10:00:00.000Z",
                "2024-02-29T23:59:60Z",
                "9999-12-31T23:59:59.999999999Z",
                "0000-01-01T00:00:00Z",
                "+999999-12-31T23:59:59Z",
                "-999999-01-01T00:00:00Z",
                "2024-W53-7T24:00:00Z",
                "2024-366",
                "T",
                "Z",
            ][..]
        )
        .prop_map(str::to_owned),
    ]
}

/// JSON numbers, with the integer extremes and floats near the decoders' limits.
pub fn number() -> impl Strategy<Value = Value> {
    use proptest::num::f64::{NEGATIVE, NORMAL, POSITIVE, SUBNORMAL, ZERO};
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        select(
            &[
                i64::MIN,
                i64::MIN + 1,
                -1,
                0,
                1,
                24,
                402,
                500,
                613,
                i64::MAX
            ][..]
        )
        .prop_map(Value::from),
        select(&[u64::MAX, i64::MAX as u64 + 1][..]).prop_map(Value::from),
        (POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO)
            .prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
        select(
            &[
                -0.0,
                0.5,
                24.0,
                500.0,
                8.999_999_999_999_998e15,
                9.0e15,
                4_503_599_627_370_495.5,
                -9.3e18,
                1.0e300,
                f64::MAX,
                f64::MIN,
                f64::MIN_POSITIVE,
                f64::EPSILON,
            ][..]
        )
        .prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
    ]
}

pub fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        3 => number(),
        4 => text().prop_map(Value::String),
    ]
}

/// An object key: mostly a real field name, sometimes anything.
pub fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => field_name().prop_map(str::to_owned),
        1 => text(),
    ]
}

/// Any JSON value, nested up to four levels: arrays, objects (keyed by real field
/// names and by anything), JSON written as text (as a form body stores it) and
/// `$date` wrappers.
pub fn json() -> BoxedStrategy<Value> {
    nested(4, 6)
}

/// A smaller `json()`, for the values of a record's fields (a record has many).
pub fn small_json() -> BoxedStrategy<Value> {
    nested(2, 4)
}

/// Values nested up to `depth` levels, containers of fewer than `branch` items. Built
/// level by level once, rather than with `prop_recursive`, which rebuilds its
/// strategy for every value and made the suite several times slower.
fn nested(depth: u32, branch: usize) -> BoxedStrategy<Value> {
    let key = key().boxed();
    let mut level = scalar().boxed();
    for _ in 0..depth {
        let inner = level;
        level = prop_oneof![
            4 => inner.clone(),
            2 => vec(inner.clone(), 0..branch).prop_map(Value::Array),
            3 => btree_map(key.clone(), inner.clone(), 0..branch)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
            1 => inner.clone().prop_map(|v| Value::String(v.to_string())),
            1 => inner.prop_map(|v| json!({ "$date": v })),
        ]
        .boxed();
    }
    level
}

/// A value a field of the host's records could plausibly hold, or anything at all.
pub fn field_value() -> BoxedStrategy<Value> {
    prop_oneof![
        4 => small_json(),
        2 => date_text().prop_map(Value::String),
        1 => date_text().prop_map(|d| json!({ "$date": d })),
        1 => number(),
        1 => select(WORDS).prop_map(Value::from),
        1 => btree_map(key(), small_json(), 0..4)
            .prop_map(|map| Value::String(Value::Object(map.into_iter().collect()).to_string())),
    ]
    .boxed()
}

/// An object of some of `fields` with plausible or arbitrary values, and a few other keys.
pub fn object_with(fields: &'static [&'static str]) -> BoxedStrategy<Map<String, Value>> {
    (
        vec((select(fields), field_value()), 0..=fields.len()),
        btree_map(key(), small_json(), 0..3),
    )
        .prop_map(|(known, extra)| {
            let mut map: Map<String, Value> = extra.into_iter().collect();
            for (name, value) in known {
                map.insert(name.to_owned(), value);
            }
            map
        })
        .boxed()
}

/// A record of `fields` whose `identity` fields are usually text (so that it decodes
/// and the lenient fields are reached) and otherwise whatever `object_with` put there.
pub fn record(
    fields: &'static [&'static str],
    identity: &'static [&'static str],
) -> BoxedStrategy<Map<String, Value>> {
    (
        object_with(fields),
        vec(prop::option::weighted(0.85, text()), identity.len()),
    )
        .prop_map(move |(mut map, ids)| {
            for (name, id) in identity.iter().zip(ids) {
                if let Some(id) = id {
                    map.insert((*name).to_owned(), Value::String(id));
                }
            }
            map
        })
        .boxed()
}

pub fn user() -> BoxedStrategy<Map<String, Value>> {
    record(USER_FIELDS, &["_id", "handle"])
}

pub fn invite() -> BoxedStrategy<Map<String, Value>> {
    record(INVITE_FIELDS, &["_id", "handle"])
}

pub fn signup() -> BoxedStrategy<Map<String, Value>> {
    record(SIGNUP_FIELDS, &["_id", "handle"])
}

/// An app, whose field definitions are usually lists of definition-like objects.
pub fn app() -> BoxedStrategy<Map<String, Value>> {
    let definitions = || {
        prop::option::of(vec(
            prop_oneof![
                3 => object_with(FIELD_DEF_FIELDS).prop_map(Value::Object),
                1 => small_json(),
            ],
            0..4,
        ))
    };
    (record(APP_FIELDS, &["appId"]), definitions(), definitions())
        .prop_map(|(mut map, fields, invite_fields)| {
            if let Some(fields) = fields {
                map.insert("metaData".into(), Value::Array(fields));
            }
            if let Some(fields) = invite_fields {
                map.insert("metaDataInvite".into(), Value::Array(fields));
            }
            map
        })
        .boxed()
}

/// A page object: `list` usually an array of mostly `item`s (some arbitrary values
/// among them), sometimes anything or absent; `total` and other page keys around it.
pub fn page(
    list: &'static str,
    total: &'static str,
    item: BoxedStrategy<Map<String, Value>>,
) -> BoxedStrategy<Map<String, Value>> {
    let items = vec(
        prop_oneof![4 => item.prop_map(Value::Object), 1 => small_json()],
        0..6,
    );
    let list_value = prop_oneof![6 => items.prop_map(Value::Array), 1 => json()];
    (
        prop::option::weighted(0.9, list_value),
        prop::option::of(field_value()),
        object_with(PAGE_FIELDS),
    )
        .prop_map(move |(list_value, total_value, mut map)| {
            map.remove(list);
            if let Some(value) = list_value {
                map.insert(list.to_owned(), value);
            }
            if let Some(value) = total_value {
                map.insert(total.to_owned(), value);
            }
            map
        })
        .boxed()
}
