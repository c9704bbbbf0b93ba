//! Reading the searchable texts straight out of stored metadata JSON, without building a
//! `serde_json::Value`: opening a cache parses a million metadata objects, and the
//! allocations of a `Value` tree dominate that.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// Collects every string and number of a JSON document, depth first, as
/// [`crate::text::for_each_meta_text`] would from the parsed value. Invalid JSON yields
/// nothing, as an unparseable metadata value counts as empty.
pub(crate) fn meta_texts(json: &str, out: &mut Vec<String>) {
    let start = out.len();
    let mut de = serde_json::Deserializer::from_str(json);
    let ok = Collect(out).deserialize(&mut de).is_ok() && de.end().is_ok();
    if !ok {
        out.truncate(start);
    }
}

struct Collect<'a>(&'a mut Vec<String>);

impl<'de> DeserializeSeed<'de> for Collect<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Collect<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.0.push(v.to_string());
        Ok(())
    }

    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        self.0.push(v.to_string());
        Ok(())
    }

    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        // The same text a parsed `Value`'s number prints.
        if let Some(n) = serde_json::Number::from_f64(v) {
            self.0.push(n.to_string());
        }
        Ok(())
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.0.push(v.to_owned());
        Ok(())
    }

    fn visit_string<E>(self, v: String) -> Result<(), E> {
        self.0.push(v);
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Collect(&mut *self.0))?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // `Value` objects iterate in key order; keep that order so both paths agree.
        let mut entries: Vec<(String, Vec<String>)> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let mut texts = Vec::new();
            map.next_value_seed(Collect(&mut texts))?;
            match entries.iter_mut().find(|(k, _)| *k == key) {
                // A repeated key keeps its last value, as `Value` does.
                Some(slot) => slot.1 = texts,
                None => entries.push((key, texts)),
            }
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        self.0.extend(entries.into_iter().flat_map(|(_, t)| t));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::for_each_meta_text;

    #[test]
    fn agrees_with_the_parsed_value() {
        for json in [
            r#"{"b": [1, -2, 1.5e300, "x"], "a": {"z": "Ünï", "y": null, "x": true}}"#,
            r#"[{"k": 0.1}, 18446744073709551615, "s"]"#,
            r#"{"dup": "first", "dup": "second"}"#,
            r#""plain""#,
        ] {
            let value: serde_json::Value = serde_json::from_str(json).unwrap();
            let mut want = Vec::new();
            for_each_meta_text(&value, &mut |s| want.push(s.to_owned()));
            let mut got = Vec::new();
            meta_texts(json, &mut got);
            assert_eq!(got, want, "{json}");
        }
        let mut got = vec!["kept".to_owned()];
        meta_texts(r#"{"a": "x", "b": "#, &mut got);
        assert_eq!(got, ["kept"], "invalid JSON adds nothing");
    }
}
