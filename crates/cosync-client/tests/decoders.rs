//! Property tests of the wire decoders, through the public types: whatever JSON a host
//! sends, decoding ends in a value or an error and never panics; a page accounts for
//! every record it carries; the host's secret fields never reach a decoded value.
//!
//! The crate-private answer classification (`interpret`, `error_from_body`, `typed`,
//! `expect_true`) is covered by `src/decoder_props.rs`, with the same strategies.

#[path = "decoders/json.rs"]
mod json;

use std::fmt::Debug;

use cosync_client::{
    App, AppStatus, CreatedInvites, Invite, InviteStatus, InvitesPage, LogEntry, LogsPage,
    MetaDataField, MetaDataInviteField, Readable, Signup, SignupFlow, SignupStatus, SignupsPage,
    User, UserStatus, UsersPage,
};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{RngAlgorithm, TestCaseError};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use time::format_description::well_known::{Iso8601, Rfc3339};
use time::{Duration, OffsetDateTime, UtcOffset};

/// 256 cases per property (proptest's default; `PROPTEST_CASES=20000` searches
/// deeper): enough to reach every decoder path, few enough to stay quick on two cores.
/// A failing case is shrunk and printed; keep it as a unit test.
fn config() -> ProptestConfig {
    ProptestConfig {
        failure_persistence: None,
        // ChaCha, the default, is several times slower unoptimised.
        rng_algorithm: RngAlgorithm::XorShift,
        ..ProptestConfig::default()
    }
}

/// Decodes `value` as a `T` from the value (as the client does) and from its text;
/// both must agree on success, and the outcome must print.
fn decode<T: DeserializeOwned + Debug>(value: &Value) -> Result<T, String> {
    let text = value.to_string();
    let from_value = serde_json::from_value::<T>(value.clone());
    let from_text = serde_json::from_str::<T>(&text);
    assert_eq!(
        from_value.is_ok(),
        from_text.is_ok(),
        "the value and its text decode differently: {from_value:?} / {from_text:?} from {text}"
    );
    let _ = format!("{from_value:?}");
    from_value.map_err(|e| e.to_string())
}

/// Every type the client decodes from a host's answer.
fn decode_as_every_type(value: &Value) {
    let _ = decode::<User>(value);
    let _ = decode::<Vec<User>>(value);
    let _ = decode::<UsersPage>(value);
    let _ = decode::<Invite>(value);
    let _ = decode::<Vec<Invite>>(value);
    let _ = decode::<InvitesPage>(value);
    let _ = decode::<CreatedInvites>(value);
    let _ = decode::<Signup>(value);
    let _ = decode::<Vec<Signup>>(value);
    let _ = decode::<SignupsPage>(value);
    let _ = decode::<App>(value);
    let _ = decode::<Vec<App>>(value);
    let _ = decode::<MetaDataField>(value);
    let _ = decode::<MetaDataInviteField>(value);
    let _ = decode::<LogEntry>(value);
    let _ = decode::<LogsPage>(value);
    let _ = decode::<AppStatus>(value);
    let _ = decode::<UserStatus>(value);
    let _ = decode::<InviteStatus>(value);
    let _ = decode::<SignupStatus>(value);
    let _ = decode::<SignupFlow>(value);
}

fn is_text(map: &Map<String, Value>, key: &str) -> bool {
    map.get(key).is_some_and(Value::is_string)
}

/// A page decodes exactly when its list is an array, and then every item of the array
/// is either a record (the same one it decodes to alone, in order) or set aside as
/// unreadable, named by its `_id` or its position.
fn check_page<T, P>(
    page: &Map<String, Value>,
    list: &str,
    readable: impl Fn(&P) -> &Readable<T>,
) -> Result<(), TestCaseError>
where
    T: DeserializeOwned + Debug + PartialEq,
    P: DeserializeOwned + Debug,
{
    let decoded = decode::<P>(&Value::Object(page.clone()));
    let Some(Value::Array(items)) = page.get(list) else {
        prop_assert!(
            decoded.is_err(),
            "a page without an array of {} decoded: {:?}",
            list,
            decoded
        );
        return Ok(());
    };
    let decoded = decoded.map_err(|e| {
        TestCaseError::fail(format!("a page with an array of {list} was refused: {e}"))
    })?;
    let got = readable(&decoded);
    prop_assert_eq!(got.records.len() + got.unreadable.len(), items.len());

    let alone: Vec<Result<T, _>> = items
        .iter()
        .map(|item| serde_json::from_value::<T>(item.clone()))
        .collect();
    let readable_alone: Vec<&T> = alone.iter().filter_map(|r| r.as_ref().ok()).collect();
    prop_assert_eq!(got.records.iter().collect::<Vec<_>>(), readable_alone);

    let unreadable_ids: Vec<String> = items
        .iter()
        .zip(&alone)
        .enumerate()
        .filter(|(_, (_, decoded))| decoded.is_err())
        .map(|(position, (item, _))| match item.get("_id") {
            Some(Value::String(id)) => id.clone(),
            Some(other) => other.to_string(),
            None => format!("record {position} of its page"),
        })
        .collect();
    let got_ids: Vec<String> = got.unreadable.iter().map(|u| u.id.clone()).collect();
    prop_assert_eq!(got_ids, unreadable_ids);
    prop_assert!(got.unreadable.iter().all(|u| !u.detail.is_empty()));
    Ok(())
}

/// A secret's value holding `marker`: as text, inside other text, an array, an
/// object, or a `$date` wrapper.
fn secret_value(marker: &str, shape: u8) -> Value {
    match shape % 5 {
        0 => json!(marker),
        1 => json!(format!("$2b$10${marker}")),
        2 => json!([marker]),
        3 => json!({ "value": marker }),
        _ => json!({ "$date": marker }),
    }
}

/// Puts each of the host's secret fields into `map`, each with its own marker.
fn add_secrets(map: &mut Map<String, Value>, markers: &[(String, u8)]) {
    for (field, (marker, shape)) in json::SECRET_FIELDS.iter().zip(markers) {
        map.insert((*field).to_owned(), secret_value(marker, *shape));
    }
}

/// The outcome of decoding, printed, must not show any marker.
fn assert_hidden<T: Debug>(
    what: &str,
    outcome: &Result<T, String>,
    markers: &[(String, u8)],
) -> Result<(), TestCaseError> {
    let printed = format!("{outcome:?}");
    for (marker, _) in markers {
        prop_assert!(
            !printed.contains(marker.as_str()),
            "{} kept a secret field: {}",
            what,
            printed
        );
    }
    Ok(())
}

macro_rules! check_enum {
    ($ty:ty, $value:expr, $expected:expr) => {{
        let decoded = decode::<$ty>($value);
        prop_assert!(decoded.is_ok(), "{}: {:?}", stringify!($ty), decoded);
        let decoded = decoded.unwrap();
        prop_assert_eq!(decoded.as_wire(), $expected);
        prop_assert_eq!(<$ty>::from_wire(decoded.as_wire()), decoded.clone());
    }};
}

proptest! {
    #![proptest_config(config())]

    /// Any JSON at all, decoded as every type the client reads: a value or an error.
    #[test]
    fn any_json_decodes_or_fails_without_panicking(value in json::json()) {
        decode_as_every_type(&value);
    }

    /// Objects of the host's real field names with plausible or arbitrary values,
    /// decoded as every type.
    #[test]
    fn objects_of_real_fields_decode_or_fail_without_panicking(
        map in prop_oneof![
            json::user(),
            json::invite(),
            json::signup(),
            json::app(),
            json::object_with(json::FIELD_DEF_FIELDS),
            json::object_with(json::LOG_FIELDS),
            json::object_with(json::ERROR_FIELDS),
            json::page("users", "totalUser", json::user()),
            json::page("invites", "totalInvite", json::invite()),
            json::page("signups", "totalSignup", json::signup()),
            json::page("logs", "totalLog", json::object_with(json::LOG_FIELDS)),
        ]
    ) {
        decode_as_every_type(&Value::Object(map));
    }

    /// One odd field never fails a record: it decodes exactly when its identity
    /// (`_id` and `handle`, an app's `appId`) is text, and keeps that identity.
    #[test]
    fn records_decode_exactly_when_their_identity_is_text(
        user in json::user(),
        invite in json::invite(),
        signup in json::signup(),
        app in json::app(),
        field in json::object_with(json::FIELD_DEF_FIELDS),
        log in json::object_with(json::LOG_FIELDS),
    ) {
        let identified = |map: &Map<String, Value>| is_text(map, "_id") && is_text(map, "handle");

        let decoded = decode::<User>(&Value::Object(user.clone()));
        prop_assert_eq!(decoded.is_ok(), identified(&user), "{:?}", decoded);
        if let Ok(decoded) = decoded {
            prop_assert_eq!(Some(&json!(decoded.id)), user.get("_id"));
            prop_assert_eq!(Some(&json!(decoded.handle)), user.get("handle"));
        }

        let decoded = decode::<Invite>(&Value::Object(invite.clone()));
        prop_assert_eq!(decoded.is_ok(), identified(&invite), "{:?}", decoded);
        if let Ok(decoded) = decoded {
            prop_assert_eq!(Some(&json!(decoded.id)), invite.get("_id"));
            prop_assert_eq!(Some(&json!(decoded.handle)), invite.get("handle"));
        }

        let decoded = decode::<Signup>(&Value::Object(signup.clone()));
        prop_assert_eq!(decoded.is_ok(), identified(&signup), "{:?}", decoded);
        if let Ok(decoded) = decoded {
            prop_assert_eq!(Some(&json!(decoded.id)), signup.get("_id"));
            prop_assert_eq!(Some(&json!(decoded.handle)), signup.get("handle"));
        }

        let decoded = decode::<App>(&Value::Object(app.clone()));
        prop_assert_eq!(decoded.is_ok(), is_text(&app, "appId"), "{:?}", decoded);
        if let Ok(decoded) = decoded {
            prop_assert_eq!(Some(&json!(decoded.app_id)), app.get("appId"));
            // A field definition that does not decode is skipped, never more.
            let defined = |key: &str| app.get(key).and_then(Value::as_array).map_or(0, Vec::len);
            prop_assert!(decoded.meta_data.len() <= defined("metaData"));
            prop_assert!(decoded.meta_data_invite.len() <= defined("metaDataInvite"));
        }

        // Field definitions and log entries have no identity: every object decodes.
        let decoded = decode::<MetaDataField>(&Value::Object(field.clone()));
        prop_assert!(decoded.is_ok(), "{:?}", decoded);
        let decoded = decode::<MetaDataInviteField>(&Value::Object(field));
        prop_assert!(decoded.is_ok(), "{:?}", decoded);
        let decoded = decode::<LogEntry>(&Value::Object(log));
        prop_assert!(decoded.is_ok(), "{:?}", decoded);
    }

    /// Every record of a page ends up either among its records or set aside as
    /// unreadable: `records.len() + unreadable.len()` is the length of the array.
    #[test]
    fn pages_account_for_every_record(
        users in json::page("users", "totalUser", json::user()),
        invites in json::page("invites", "totalInvite", json::invite()),
        signups in json::page("signups", "totalSignup", json::signup()),
    ) {
        check_page(&users, "users", |page: &UsersPage| &page.users)?;
        check_page(&invites, "invites", |page: &InvitesPage| &page.invites)?;
        check_page(&signups, "signups", |page: &SignupsPage| &page.signups)?;
    }

    /// The log page and the answer of `createAppInvite` are strict lists: every entry
    /// is kept, or the answer is refused.
    #[test]
    fn strict_lists_keep_every_entry_or_fail(
        logs in vec(json::object_with(json::LOG_FIELDS), 0..6),
        invites in vec(json::invite(), 0..6),
        exists in json::json(),
        total in json::field_value(),
    ) {
        let page = json!({ "logs": logs, "totalLog": total });
        let decoded = decode::<LogsPage>(&page);
        prop_assert!(decoded.is_ok(), "{:?}", decoded);
        prop_assert_eq!(decoded.unwrap().logs.len(), logs.len());

        let all_identified = invites
            .iter()
            .all(|map| is_text(map, "_id") && is_text(map, "handle"));
        let answer = json!({ "invites": invites, "exists": exists });
        let decoded = decode::<CreatedInvites>(&answer);
        prop_assert_eq!(decoded.is_ok(), all_identified, "{:?}", decoded);
        if let Ok(created) = decoded {
            prop_assert_eq!(created.invites.len(), invites.len());
            let texts: Vec<String> = exists
                .as_array()
                .map(|items| items.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
                .unwrap_or_default();
            prop_assert_eq!(created.exists, texts);
        }
    }

    /// `password`, `googleSecretKey`, `phoneCode` and `twoFactorCode` (and an app's
    /// `appPrivateKey`), whatever shape their value has, never show in the printed
    /// outcome of decoding a record or a page: neither in a value nor in an error.
    #[test]
    fn secret_fields_never_reach_debug_output(
        mut user in json::user(),
        mut invite in json::invite(),
        mut signup in json::signup(),
        mut app in json::app(),
        mut others in vec(json::user(), 0..4),
        shapes in vec((any::<u32>(), any::<u8>()), json::SECRET_FIELDS.len() + 1),
    ) {
        let markers: Vec<(String, u8)> = json::SECRET_FIELDS
            .iter()
            .chain(&["appPrivateKey"])
            .zip(&shapes)
            .map(|(field, (n, shape))| (format!("SECRET-{field}-{n:08x}"), *shape))
            .collect();
        add_secrets(&mut user, &markers);
        add_secrets(&mut invite, &markers);
        add_secrets(&mut signup, &markers);
        add_secrets(&mut app, &markers);
        let (key_marker, key_shape) = &markers[json::SECRET_FIELDS.len()];
        app.insert("appPrivateKey".into(), secret_value(key_marker, *key_shape));
        for other in &mut others {
            add_secrets(other, &markers);
        }

        let user = Value::Object(user);
        assert_hidden("User", &decode::<User>(&user), &markers)?;
        assert_hidden("Invite", &decode::<Invite>(&Value::Object(invite.clone())), &markers)?;
        assert_hidden("Signup", &decode::<Signup>(&Value::Object(signup.clone())), &markers)?;
        assert_hidden("App", &decode::<App>(&Value::Object(app)), &markers)?;

        let mut users = vec![user];
        users.extend(others.into_iter().map(Value::Object));
        let page = json!({ "users": users, "totalUser": users.len() });
        assert_hidden("UsersPage", &decode::<UsersPage>(&page), &markers)?;
        assert_hidden("Vec<User>", &decode::<Vec<User>>(&json!(users)), &markers)?;
        let page = json!({ "invites": [invite], "totalInvite": 1 });
        assert_hidden("InvitesPage", &decode::<InvitesPage>(&page), &markers)?;
        let page = json!({ "signups": [signup], "totalSignup": 1 });
        assert_hidden("SignupsPage", &decode::<SignupsPage>(&page), &markers)?;
    }

    /// A wire enum reads any value: text as written, numbers and booleans as their
    /// text, anything else as empty; and it reads its own text back.
    #[test]
    fn wire_enums_decode_any_value(value in json::json()) {
        let expected = match &value {
            Value::String(text) => text.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => String::new(),
        };
        check_enum!(AppStatus, &value, expected.as_str());
        check_enum!(UserStatus, &value, expected.as_str());
        check_enum!(InviteStatus, &value, expected.as_str());
        check_enum!(SignupStatus, &value, expected.as_str());
        check_enum!(SignupFlow, &value, expected.as_str());
    }

    /// A date reads back as the same instant in every encoding the host may use:
    /// RFC 3339 and ISO 8601 text at any offset, MongoDB's `{"$date": …}`, and
    /// milliseconds since the epoch.
    #[test]
    fn dates_read_back_in_every_encoding(
        seconds in -62_135_596_800i64..=253_402_300_799,
        nanos in 0i64..1_000_000_000,
        millis in -62_135_596_800_000i64..=253_402_300_799_999,
        offset_minutes in -1439i32..=1439,
    ) {
        let at = OffsetDateTime::from_unix_timestamp(seconds).unwrap() + Duration::nanoseconds(nanos);
        let local = at.to_offset(UtcOffset::from_whole_seconds(offset_minutes * 60).unwrap());
        let mut encodings = vec![json!(local.format(&Iso8601::DEFAULT).unwrap())];
        // RFC 3339 has four-digit years only.
        if let Ok(text) = local.format(&Rfc3339) {
            encodings.push(json!({ "$date": text }));
            encodings.push(json!(text));
        }
        for encoding in encodings {
            let user = json!({ "_id": "a", "handle": "h", "createdAt": encoding });
            let decoded = decode::<User>(&user).map_err(TestCaseError::fail)?;
            prop_assert_eq!(decoded.created_at, Some(at), "from {}", user);
        }

        let expected = OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000).unwrap();
        for encoding in [json!(millis), json!({ "$date": millis })] {
            let user = json!({ "_id": "a", "handle": "h", "lastLogin": encoding });
            let decoded = decode::<User>(&user).map_err(TestCaseError::fail)?;
            prop_assert_eq!(decoded.last_login, Some(expected), "from {}", user);
        }
    }
}
