//! Forgiving field decoders.
//!
//! One odd field must not fail a whole page of a thousand users: a sync that fails on
//! a malformed date would leave the operator with nothing. These decoders accept the
//! plausible encodings (a form body stores every value as text) and fall back to
//! "absent" for the rest. Identity fields (`_id`, `handle`) stay strict.

use serde::{Deserialize, Deserializer};

use super::records::{Readable, Unreadable};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::format_description::well_known::{Iso8601, Rfc3339};

pub(crate) fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<OffsetDateTime>, D::Error> {
    Ok(Option::<Value>::deserialize(d)?.and_then(|v| date_from(&v)))
}

fn date_from(value: &Value) -> Option<OffsetDateTime> {
    match value {
        Value::String(text) => OffsetDateTime::parse(text, &Rfc3339)
            .or_else(|_| OffsetDateTime::parse(text, &Iso8601::DEFAULT))
            .ok(),
        // Milliseconds since the epoch, as some serialisers of MongoDB dates emit.
        Value::Number(n) => {
            let millis = i128::from(n.as_i64()?);
            OffsetDateTime::from_unix_timestamp_nanos(millis * 1_000_000).ok()
        }
        Value::Object(map) => map.get("$date").and_then(date_from),
        _ => None,
    }
}

pub(crate) fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::Bool(b)) => Some(b.to_string()),
        _ => None,
    })
}

pub(crate) fn string_or_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(string(d)?.unwrap_or_default())
}

pub(crate) fn boolean<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Bool(b)) => Some(b),
        Some(Value::String(s)) => match s.trim() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        Some(Value::Number(n)) => n.as_i64().map(|n| n != 0),
        _ => None,
    })
}

pub(crate) fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(boolean(d)?.unwrap_or(false))
}

pub(crate) fn int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(Option::<Value>::deserialize(d)?.and_then(|v| int_from(&v)))
}

fn int_from(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| {
            let f = n.as_f64()?;
            // Only whole numbers within range; the cast is then exact.
            (f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub(crate) fn count<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    Ok(int(d)?.and_then(|n| u64::try_from(n).ok()).unwrap_or(0))
}

pub(crate) fn strings<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Array(items)) => items
            .into_iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    })
}

/// A metadata object. A form body may have stored it as JSON text; anything that is not
/// an object reads as empty.
pub(crate) fn object<'de, D: Deserializer<'de>>(d: D) -> Result<Map<String, Value>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Object(map)) => map,
        Some(Value::String(text)) => match serde_json::from_str(&text) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        },
        _ => Map::new(),
    })
}

/// A list whose items each decode on their own; an item that does not is skipped.
/// Used for the app's field definitions only, never for user lists (a skipped user
/// would silently vanish from a sync).
pub(crate) fn list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Array(items)) => items
            .into_iter()
            .filter_map(|v| serde_json::from_value(v).ok())
            .collect(),
        _ => Vec::new(),
    })
}

/// A list of records, each read on its own: the ones that fail are set aside as
/// [`Unreadable`] instead of failing the page.
pub(crate) fn records<'de, D, T>(d: D) -> Result<Readable<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    struct Records<T>(std::marker::PhantomData<T>);

    impl<'de, T: serde::de::DeserializeOwned> serde::de::Visitor<'de> for Records<T> {
        type Value = Readable<T>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an array of records")
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = Readable {
                records: Vec::with_capacity(seq.size_hint().unwrap_or(0)),
                unreadable: Vec::new(),
            };
            // Each record is first taken as its text (checked, not parsed into a tree),
            // then read on its own: a record that fails leaves the rest of the page
            // readable, which reading the page's records in one pass could not do.
            let mut position = 0usize;
            while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
                match serde_json::from_str::<T>(raw.get()) {
                    Ok(record) => out.records.push(record),
                    Err(e) => out.unreadable.push(Unreadable {
                        id: record_name(raw.get(), position),
                        detail: e.to_string(),
                    }),
                }
                position += 1;
            }
            Ok(out)
        }
    }

    d.deserialize_seq(Records(std::marker::PhantomData))
}

/// How a record that could not be read is named: its `_id` when it has one.
fn record_name(text: &str, position: usize) -> String {
    match serde_json::from_str::<Value>(text)
        .ok()
        .as_ref()
        .and_then(|v| v.get("_id"))
    {
        Some(Value::String(id)) => id.clone(),
        Some(other) => other.to_string(),
        None => format!("record {position} of its page"),
    }
}
