//! Text folding for search: the one definition of "Unicode lower-case" and of which
//! metadata values are searchable, shared by the index, SQL side columns and tests.

use serde_json::Value;

/// Folds text for a case-insensitive literal match. Each field is folded on its own
/// (lower-casing is context-sensitive for a final sigma). NUL separates fields in the
/// index, so a NUL in data or in a search becomes U+FFFD on both sides.
pub(crate) fn fold(s: &str) -> String {
    let lower = s.to_lowercase();
    if lower.contains('\0') {
        lower.replace('\0', "\u{FFFD}")
    } else {
        lower
    }
}

/// Calls `f` with every string and number in a metadata value, depth first. Keys,
/// booleans and nulls are not searchable.
pub(crate) fn for_each_meta_text(value: &Value, f: &mut impl FnMut(&str)) {
    match value {
        Value::String(s) => f(s),
        Value::Number(n) => f(&n.to_string()),
        Value::Array(items) => items.iter().for_each(|v| for_each_meta_text(v, f)),
        Value::Object(map) => map.values().for_each(|v| for_each_meta_text(v, f)),
        Value::Bool(_) | Value::Null => {}
    }
}

/// The folded searchable texts of one record: the given fields, then its metadata.
pub(crate) fn folded_fields(fields: &[&str], meta: &Value) -> Vec<String> {
    let mut out: Vec<String> = fields.iter().map(|s| fold(s)).collect();
    for_each_meta_text(meta, &mut |s| out.push(fold(s)));
    out
}

/// Whether any folded field contains the folded needle.
pub(crate) fn any_contains(fields: &[String], needle: &str) -> bool {
    needle.is_empty() || fields.iter().any(|f| f.contains(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_nested_strings_are_searchable_keys_are_not() {
        let meta = serde_json::json!({"team": {"name": "Zürich"}, "n": [42, 1.5], "ok": true});
        let fields = folded_fields(&["Bob"], &meta);
        assert_eq!(fields, vec!["bob", "42", "1.5", "zürich"]);
        assert!(any_contains(&fields, "zür"));
        assert!(!any_contains(&fields, "team"), "keys are not values");
        assert!(!any_contains(&fields, "true"), "booleans are not text");
    }

    #[test]
    fn nul_cannot_join_fields() {
        assert_eq!(fold("a\0B"), "a\u{FFFD}b");
    }
}
