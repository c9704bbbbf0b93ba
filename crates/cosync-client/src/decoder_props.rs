//! Property tests of the crate-private answer classification: `interpret` with any
//! status and any bytes, `error_from_body`, `typed` and `expect_true`. The public wire
//! types are covered by `tests/decoders.rs`, whose strategies this module includes.

#[path = "../tests/decoders/json.rs"]
mod json;

use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::{RngAlgorithm, TestCaseError};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use crate::client::{expect_true, interpret, interpret_page, typed};
use crate::error::error_from_body;
use crate::{
    App, ClientError, CreatedInvites, Invite, InvitesPage, LogsPage, Readable, Signup, SignupsPage,
    User, UsersPage,
};

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

/// Any status `StatusCode` can hold, with the ones the classification treats apart.
fn status() -> impl Strategy<Value = StatusCode> {
    prop_oneof![
        select(
            &[
                100u16, 200, 201, 204, 299, 301, 400, 401, 403, 404, 429, 500, 501, 502, 503, 504,
                505, 599, 999
            ][..]
        ),
        100u16..=999,
    ]
    .prop_map(|code| StatusCode::from_u16(code).expect("100..=999 is a status"))
}

/// Objects near the host's two error shapes: `{code, message}` and
/// `{status: "Fails", message}`, sometimes with a record's `_id`.
fn error_body() -> impl Strategy<Value = Value> {
    let code = prop_oneof![
        2 => select(&[400i64, 402, 404, 500, 601, 613, 0, -1, 123_456][..]).prop_map(Value::from),
        1 => json::number(),
        1 => json::json(),
    ];
    let message = prop_oneof![3 => json::text().prop_map(Value::String), 1 => json::json()];
    let status = prop_oneof![
        3 => Just(json!("Fails")),
        1 => json::text().prop_map(Value::String),
        1 => json::json(),
    ];
    (
        prop::option::weighted(0.7, code),
        prop::option::weighted(0.8, message),
        prop::option::weighted(0.4, status),
        prop::option::weighted(0.15, json::text()),
        btree_map(json::key(), json::json(), 0..3),
    )
        .prop_map(|(code, message, status, id, extra)| {
            let mut map: Map<String, Value> = extra.into_iter().collect();
            for (name, value) in [
                ("code", code),
                ("message", message),
                ("status", status),
                ("_id", id.map(Value::String)),
            ] {
                match value {
                    Some(value) => map.insert(name.to_owned(), value),
                    None => map.remove(name),
                };
            }
            Value::Object(map)
        })
}

/// Answer bodies: any bytes, any JSON, error bodies, JSON cut short, JSON wrapped in
/// whitespace or a byte-order mark.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        2 => vec(any::<u8>(), 0..64),
        2 => json::json().prop_map(|v| v.to_string().into_bytes()),
        3 => error_body().prop_map(|v| v.to_string().into_bytes()),
        1 => json::page("users", "totalUser", json::user())
            .prop_map(|page| Value::Object(page).to_string().into_bytes()),
        1 => (json::json(), any::<Index>()).prop_map(|(v, cut)| {
            let bytes = v.to_string().into_bytes();
            bytes[..cut.index(bytes.len() + 1)].to_vec()
        }),
        1 => (json::json(), select(&["", " ", "\n\t", "\u{feff}"][..]), select(&["", "\n", " x"][..]))
            .prop_map(|(v, before, after)| format!("{before}{v}{after}").into_bytes()),
    ]
}

/// Any value a route could be answered with.
fn answer() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => json::json(),
        1 => error_body(),
        1 => json::user().prop_map(Value::Object),
        1 => json::app().prop_map(Value::Object),
        1 => json::page("users", "totalUser", json::user()).prop_map(Value::Object),
        1 => json::page("invites", "totalInvite", json::invite()).prop_map(Value::Object),
        1 => json::page("signups", "totalSignup", json::signup()).prop_map(Value::Object),
    ]
}

/// `typed` as `T`: a value, or a `wrong_shape` error that prints.
fn typed_as<T: DeserializeOwned>(value: &Value) -> Result<(), TestCaseError> {
    if let Err(err) = typed::<T>(value.clone()) {
        prop_assert_eq!(err.code(), "wrong_shape");
        let _ = err.to_string();
    }
    Ok(())
}

fn typed_as_every_type(value: &Value) -> Result<(), TestCaseError> {
    typed_as::<User>(value)?;
    typed_as::<Vec<User>>(value)?;
    typed_as::<UsersPage>(value)?;
    typed_as::<Invite>(value)?;
    typed_as::<Vec<Invite>>(value)?;
    typed_as::<InvitesPage>(value)?;
    typed_as::<CreatedInvites>(value)?;
    typed_as::<Signup>(value)?;
    typed_as::<Vec<Signup>>(value)?;
    typed_as::<SignupsPage>(value)?;
    typed_as::<App>(value)?;
    typed_as::<Vec<App>>(value)?;
    typed_as::<LogsPage>(value)?;
    prop_assert!(typed::<Value>(value.clone()).is_ok());
    Ok(())
}

/// What a page read from its bytes and the same page read through a JSON tree must agree
/// on. The reasons an unreadable record gives may differ: one names a line and column.
fn page_read_alike<T, R>(
    status: StatusCode,
    bytes: &[u8],
    list: impl Fn(T) -> (Readable<R>, u64),
) -> Result<(), TestCaseError>
where
    T: DeserializeOwned,
    R: PartialEq + std::fmt::Debug,
{
    let seen = |page: T| {
        let (readable, total) = list(page);
        let ids: Vec<String> = readable.unreadable.into_iter().map(|u| u.id).collect();
        (readable.records, ids, total)
    };
    match (
        interpret_page::<T>(status, bytes),
        interpret(status, bytes).and_then(typed::<T>),
    ) {
        (Ok(direct), Ok(through_a_tree)) => prop_assert_eq!(seen(direct), seen(through_a_tree)),
        (Err(direct), Err(through_a_tree)) => prop_assert_eq!(direct, through_a_tree),
        // The one difference, by design: under a success status, a body that is a page
        // and also carries an error's fields is the page (the host sends errors with
        // 400 or 403, and never with a list).
        (Ok(_), Err(through_a_tree)) => {
            let parsed = serde_json::from_slice::<Value>(bytes).ok();
            prop_assert!(status.is_success());
            prop_assert_eq!(
                parsed.as_ref().and_then(error_from_body),
                Some(through_a_tree)
            );
        }
        (Err(direct), Ok(_)) => {
            return Err(TestCaseError::fail(format!(
                "a page read through a tree and not from its bytes: {direct:?}"
            )));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// A page is read from its bytes as it is read through a JSON tree, whatever the
    /// status and body: the same records, the same unreadable ones, the same error.
    #[test]
    fn a_page_reads_alike_from_bytes_and_through_a_tree(status in status(), bytes in body(), value in answer()) {
        for bytes in [bytes, value.to_string().into_bytes()] {
            page_read_alike(status, &bytes, |p: UsersPage| (p.users, p.total_user))?;
            page_read_alike(status, &bytes, |p: InvitesPage| (p.invites, p.total_invite))?;
            page_read_alike(status, &bytes, |p: SignupsPage| (p.signups, p.total_signup))?;
        }
    }

    /// Any status with any bytes: an error body wins whatever the status; otherwise
    /// 502–504 is the host being unavailable, another failure status is that status,
    /// and a success is the JSON body, or a decode error when it is not JSON.
    #[test]
    fn interpret_classifies_any_answer(status in status(), bytes in body()) {
        let parsed = serde_json::from_slice::<Value>(&bytes).ok();
        let shaped = parsed.as_ref().and_then(error_from_body);
        let code = status.as_u16();
        match interpret(status, &bytes) {
            Ok(body) => {
                prop_assert!(status.is_success(), "HTTP {} taken as success", code);
                prop_assert_eq!(shaped, None);
                prop_assert_eq!(Some(body), parsed);
            }
            Err(err) => {
                let _ = err.to_string();
                if let Some(shaped) = shaped {
                    prop_assert_eq!(err, shaped);
                } else if (502..=504).contains(&code) {
                    prop_assert_eq!(err, ClientError::Unavailable { status: code });
                } else if !status.is_success() {
                    prop_assert_eq!(err, ClientError::HttpStatus(code));
                } else {
                    prop_assert!(parsed.is_none(), "JSON refused under HTTP {}: {:?}", code, err);
                    prop_assert_eq!(err.code(), "decode");
                }
            }
        }
    }

    /// Only an object with `status: "Fails"`, or one without `_id` whose `message` is
    /// text and whose `code` is an integer, is an error; records never are.
    #[test]
    fn only_the_two_error_shapes_are_errors(body in answer()) {
        let found = error_from_body(&body);
        let _ = found.as_ref().map(ToString::to_string);
        let Some(object) = body.as_object() else {
            prop_assert_eq!(found, None);
            return Ok(());
        };
        let message = object.get("message").and_then(Value::as_str);
        let fails = object.get("status").and_then(Value::as_str) == Some("Fails");
        let code = object.get("code").and_then(Value::as_i64);
        let record = object.contains_key("_id");
        match found {
            None => prop_assert!(!fails && (record || message.is_none() || code.is_none())),
            Some(ClientError::Refused { message: got }) => {
                prop_assert!(fails);
                prop_assert_eq!(got.as_str(), message.unwrap_or_default());
            }
            // Code 500 (a bad secret or an internal error) may be told apart here or
            // later by the client; either way it comes from a `{code, message}` body.
            Some(ClientError::Unauthorized) => {
                prop_assert!(!fails && !record && message.is_some());
                prop_assert_eq!(code, Some(500));
            }
            Some(ClientError::Host { code: got, message: got_message }) => {
                prop_assert!(!fails && !record);
                prop_assert_eq!(Some(got), code);
                prop_assert_eq!(Some(got_message.as_str()), message);
            }
            Some(other) => {
                return Err(TestCaseError::fail(format!("not an error body's error: {other:?}")));
            }
        }
    }

    /// `typed` answers a value or `wrong_shape` for every type the routes read, both
    /// from a value and from the bytes `interpret` accepted; only the literal `true`
    /// satisfies `expect_true`.
    #[test]
    fn typed_and_expect_true_answer_values_or_wrong_shape(value in answer()) {
        typed_as_every_type(&value)?;
        if let Ok(body) = interpret(StatusCode::OK, value.to_string().as_bytes()) {
            typed_as_every_type(&body)?;
        }
        match expect_true(value.clone()) {
            Ok(()) => prop_assert_eq!(&value, &Value::Bool(true)),
            Err(err) => {
                prop_assert_ne!(&value, &Value::Bool(true));
                prop_assert_eq!(err.code(), "wrong_shape");
            }
        }
    }
}
