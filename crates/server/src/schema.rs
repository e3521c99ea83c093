//! The names the OpenAPI document gives the engine's generic answers.
//!
//! The engine derives the schemas of the answers it serialises (its `openapi`
//! feature, which this crate turns on), so they cannot drift from the types. utoipa
//! names an instance of a generic type after its arguments (`Listing_ResourceEntry`);
//! the document keeps the names clients know (`ResourceListing`).

use serde_json::Value;

/// Each generic instance's name as utoipa composes it, and its name in the document.
const GENERIC_NAMES: [(&str, &str); 8] = [
    // A search answer as sent: titles and snippets rendered as HTML strings.
    ("SearchAnswer_String", "SearchAnswer"),
    ("SearchHit_String", "SearchHit"),
    ("Listing_ResourceEntry", "ResourceListing"),
    ("LevelGroup_ResourceEntry", "ResourceGroup"),
    ("Ranked_ResourceEntry", "ResourceItem"),
    ("Listing_PathEntry", "PathListing"),
    ("LevelGroup_PathEntry", "PathGroup"),
    ("Ranked_PathEntry", "PathItem"),
];

/// Renames the generic instances of `document`'s schemas, and every reference to them.
pub fn name_generic_instances(document: &mut Value) {
    if let Some(schemas) = document["components"]["schemas"].as_object_mut() {
        for (composed, name) in GENERIC_NAMES {
            if let Some(schema) = schemas.remove(composed) {
                schemas.insert(name.to_string(), schema);
            }
        }
    }
    rename_references(document);
}

fn rename_references(value: &mut Value) {
    match value {
        Value::Object(object) => {
            for (key, value) in object.iter_mut() {
                match value {
                    Value::String(target) if key == "$ref" => {
                        let composed = target.rsplit('/').next().unwrap_or_default();
                        if let Some((_, name)) = GENERIC_NAMES.iter().find(|(c, _)| *c == composed)
                        {
                            *target = format!("#/components/schemas/{name}");
                        }
                    }
                    _ => rename_references(value),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(rename_references),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn references(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(object) => {
                for (key, value) in object {
                    match value {
                        Value::String(target) if key == "$ref" => out.push(target.clone()),
                        _ => references(value, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| references(v, out)),
            _ => {}
        }
    }

    #[test]
    fn generic_answers_keep_their_names_and_every_reference_resolves() {
        let document: Value =
            serde_json::from_str(crate::openapi::json(true)).expect("the document is JSON");
        let schemas = document["components"]["schemas"]
            .as_object()
            .expect("the document has schemas");
        let composed: Vec<&String> = schemas.keys().filter(|n| n.contains('_')).collect();
        assert!(
            composed.is_empty(),
            "generic instances not renamed: {composed:?}"
        );
        for (_, name) in GENERIC_NAMES {
            assert!(schemas.contains_key(name), "no schema {name}");
        }
        let mut targets = Vec::new();
        references(&document, &mut targets);
        for target in targets {
            let name = target.trim_start_matches("#/components/schemas/");
            assert!(schemas.contains_key(name), "dangling reference {target}");
        }
    }
}
