//! User metadata: dot paths into a JSON object, and the app's required fields.

use serde_json::{Map, Value};

/// Sets `value` at a dot path such as `profile.team`, creating objects on the way.
pub fn set_path(target: &mut Value, path: &str, value: Value) {
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let mut node = target;
    let mut parts = path.split('.').peekable();
    while let Some(part) = parts.next() {
        let Some(obj) = node.as_object_mut() else {
            return;
        };
        if parts.peek().is_none() {
            obj.insert(part.to_owned(), value);
            return;
        }
        let child = obj
            .entry(part.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        if !child.is_object() {
            *child = Value::Object(Map::new());
        }
        node = child;
    }
}

pub fn get_path<'a>(source: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.')
        .try_fold(source, |node, part| node.get(part))
}

/// Whether every field the app marks `required` is present and not null.
pub fn has_required(definitions: Option<&Value>, meta: &Value) -> bool {
    let Some(Value::Array(defs)) = definitions else {
        return true;
    };
    defs.iter()
        .filter(|d| d.get("required").and_then(Value::as_bool) == Some(true))
        .filter_map(|d| d.get("path").and_then(Value::as_str))
        .all(|path| get_path(meta, path).is_some_and(|v| !v.is_null()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_nest() {
        let mut v = json!({"a": 1});
        set_path(&mut v, "profile.team", json!("red"));
        assert_eq!(v, json!({"a": 1, "profile": {"team": "red"}}));
        let defs = json!([{"path": "profile.team", "required": true}]);
        assert!(has_required(Some(&defs), &v));
        assert!(!has_required(Some(&defs), &json!({})));
    }
}
