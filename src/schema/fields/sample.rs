//! Reading and writing a field's value in the preview's sample user.

use serde_json::{Map, Value};

use super::edit::show_path;
use crate::schema::position::escape_token;

/// The JSON pointer of a field's value in user data (`["address", "city"]` → `/address/city`).
pub fn instance_pointer<S: AsRef<str>>(path: &[S]) -> String {
    path.iter()
        .map(|s| format!("/{}", escape_token(s.as_ref())))
        .collect()
}

/// The value at a path in user data. A step into an array is the item's index
/// (`["phones", "0", "type"]`), as in the JSON pointers of the sample's problems.
pub fn instance_get<'a, S: AsRef<str>>(instance: &'a Value, path: &[S]) -> Option<&'a Value> {
    path.iter().try_fold(instance, |node, name| match node {
        Value::Array(items) => items.get(name.as_ref().parse::<usize>().ok()?),
        other => other.get(name.as_ref()),
    })
}

/// Appends an empty item (`{}`) to the array at `path` in user data, creating the array
/// (and the objects on the way) if missing; returns the new item's index.
pub fn instance_add_item<S: AsRef<str>>(instance: &mut Value, path: &[S]) -> Result<usize, String> {
    let mut items = match instance_get(instance, path) {
        None => Vec::new(),
        Some(Value::Array(items)) => items.clone(),
        Some(_) => {
            return Err(format!(
                "\"{}\" is not a list in the sample",
                show_path(path)
            ));
        }
    };
    items.push(Value::Object(Map::new()));
    let index = items.len() - 1;
    instance_set(instance, path, Some(Value::Array(items)))?;
    Ok(index)
}

/// Removes the item at `index` of the array at `path` in user data (the others keep their
/// order); an index past the end changes nothing.
pub fn instance_remove_item<S: AsRef<str>>(
    instance: &mut Value,
    path: &[S],
    index: usize,
) -> Result<(), String> {
    match instance_get(instance, path) {
        Some(Value::Array(items)) if index < items.len() => {
            let mut items = items.clone();
            items.remove(index);
            instance_set(instance, path, Some(Value::Array(items)))
        }
        Some(Value::Array(_)) | None => Ok(()),
        Some(_) => Err(format!(
            "\"{}\" is not a list in the sample",
            show_path(path)
        )),
    }
}

/// Sets (or with `None` removes) the value at a field's path in user data, creating the
/// objects on the way. Fails when something on the way is not an object.
pub fn instance_set<S: AsRef<str>>(
    instance: &mut Value,
    path: &[S],
    value: Option<Value>,
) -> Result<(), String> {
    let Some((last, parents)) = path.split_last() else {
        return Err("a field needs a name".into());
    };
    let mut node = instance;
    for name in parents {
        // A step into an existing item of a list (`["phones", "0", "type"]`).
        if let Value::Array(items) = node {
            match name
                .as_ref()
                .parse::<usize>()
                .ok()
                .filter(|i| *i < items.len())
            {
                Some(i) => {
                    node = &mut items[i];
                    continue;
                }
                None if value.is_none() => return Ok(()),
                None => {
                    return Err(format!(
                        "\"{}\" has no item \"{}\" in the sample",
                        show_path(parents),
                        name.as_ref()
                    ));
                }
            }
        }
        let Value::Object(map) = node else {
            return Err(format!(
                "\"{}\" is not an object in the sample",
                show_path(parents)
            ));
        };
        if value.is_none() && !map.contains_key(name.as_ref()) {
            return Ok(());
        }
        node = map
            .entry(name.as_ref().to_string())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    let Value::Object(map) = node else {
        return Err(format!(
            "\"{}\" is not an object in the sample",
            show_path(parents)
        ));
    };
    match value {
        Some(v) => {
            map.insert(last.as_ref().to_string(), v);
        }
        None => {
            map.shift_remove(last.as_ref());
        }
    }
    Ok(())
}
