//! The form an editor fills in: one control per field of the schema, in
//! Dutch with the schema's labels, and each problem beside the field it
//! concerns. Plain HTML that posts without JavaScript: lists get buttons
//! to add, remove and move items, which post the form and come back.

use super::draft::{Draft, FieldPath, Step, element_id, form_name};
use crate::fields::{FieldKind, FieldSpec};
use crate::text::xml_escape;
use indexmap::IndexMap;
use std::collections::HashMap;
use std::fmt::Write;

/// A page a reference may name: its slug as written, and its title.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub slug: String,
    pub title: String,
}

/// What a form is made from.
pub struct FormInput<'a> {
    pub specs: &'a IndexMap<String, FieldSpec>,
    pub values: &'a IndexMap<String, Draft>,
    /// The pages of a collection, by its name.
    pub choices: &'a dyn Fn(&str) -> Vec<Choice>,
    /// Problems by the field they concern, as the form shows them.
    pub errors: &'a HashMap<FieldPath, Vec<String>>,
    /// An interface string of the theme.
    pub words: &'a dyn Fn(&str) -> String,
}

/// The fields every page has, before its collection's, as a schema.
pub fn common_specs(words: &dyn Fn(&str) -> String) -> IndexMap<String, FieldSpec> {
    let yaml = format!(
        "title: {{ type: text, required: true, label: {} }}\ndescription: {{ type: text, label: {} }}\nupdated: {{ type: date, label: {} }}\ndraft: {{ type: boolean, label: {} }}\naliases: {{ type: list, of: {{ type: text }}, label: {} }}\n",
        crate::yaml::flow_scalar(&words("diff_field_title")),
        crate::yaml::flow_scalar(&words("diff_field_description")),
        crate::yaml::flow_scalar(&words("diff_field_updated")),
        crate::yaml::flow_scalar(&words("diff_field_draft")),
        crate::yaml::flow_scalar(&words("diff_field_aliases")),
    );
    serde_saphyr::from_str(&yaml).expect("the common fields are valid YAML")
}

/// The controls of every field in `input.specs`, in their order, and the
/// pages each referenced collection offers.
pub fn fields_html(input: &FormInput) -> String {
    let mut html = String::new();
    let mut referenced = Vec::new();
    for (name, spec) in input.specs {
        let path = vec![Step::Key(name.clone())];
        field(
            &mut html,
            input,
            &path,
            name,
            spec,
            input.values.get(name),
            None,
        );
        collections_referenced(spec, &mut referenced);
    }
    for collection in referenced {
        let _ = write!(html, "<datalist id=\"{}\">", choices_id(&collection));
        for choice in (input.choices)(&collection) {
            let _ = write!(
                html,
                "<option value=\"{}\" label=\"{}\"></option>",
                xml_escape(&choice.slug),
                xml_escape(&choice.title)
            );
        }
        html.push_str("</datalist>");
    }
    html
}

fn choices_id(collection: &str) -> String {
    format!("keuzes-{}", crate::slug::slugify(collection))
}

/// The collections the references in `spec` (at any depth) name, each once.
fn collections_referenced(spec: &FieldSpec, found: &mut Vec<String>) {
    if spec.kind.value == FieldKind::Reference
        && let Some(collection) = &spec.collection
        && !found.contains(&collection.value)
    {
        found.push(collection.value.clone());
    }
    if let Some(item) = &spec.of {
        collections_referenced(item, found);
    }
    for sub in spec.fields.values() {
        collections_referenced(sub, found);
    }
}

/// The bodies of the chart a field belongs to, for a relation's target.
type Bodies<'a> = Option<&'a [Draft]>;

fn label_of(name: &str, spec: &FieldSpec) -> String {
    spec.label.clone().unwrap_or_else(|| name.to_owned())
}

/// The problems of `path`, and the attributes that tie them to its control.
fn problems(html: &mut String, input: &FormInput, path: &FieldPath) -> String {
    let Some(messages) = input.errors.get(path) else {
        return String::new();
    };
    let id = format!("{}-fout", element_id(path));
    let _ = write!(html, "<div class=\"field-error\" id=\"{id}\">");
    for message in messages {
        let _ = write!(html, "<p>{}</p>", xml_escape(message));
    }
    html.push_str("</div>");
    format!(" aria-invalid=\"true\" aria-describedby=\"{id}\"")
}

fn field(
    html: &mut String,
    input: &FormInput,
    path: &FieldPath,
    name: &str,
    spec: &FieldSpec,
    value: Option<&Draft>,
    bodies: Bodies,
) {
    let label = label_of(name, spec);
    let required = if spec.required {
        format!(
            " <span class=\"required\">({})</span>",
            xml_escape(&(input.words)("edit_required"))
        )
    } else {
        String::new()
    };
    match spec.kind.value {
        FieldKind::List | FieldKind::Bodies => {
            let items = match value {
                Some(Draft::List(items)) => items.as_slice(),
                Some(other @ Draft::Text(t)) if !t.is_empty() => std::slice::from_ref(other),
                _ => &[],
            };
            let bodies = if spec.kind.value == FieldKind::Bodies {
                Some(items)
            } else {
                bodies
            };
            list(html, input, path, &label, &required, spec, items, bodies);
        }
        FieldKind::Object => {
            let _ = write!(
                html,
                "<fieldset class=\"edit-group\" id=\"{}\"><legend>{}{required}</legend>",
                element_id(path),
                xml_escape(&label)
            );
            problems(html, input, path);
            group_fields(html, input, path, spec, value, bodies);
            html.push_str("</fieldset>");
        }
        _ => {
            let id = element_id(path);
            let _ = write!(
                html,
                "<div class=\"edit-field\"><label for=\"{id}\">{}{required}</label>",
                xml_escape(&label)
            );
            let described = problems(html, input, path);
            let text = value.map(Draft::text).unwrap_or_default();
            control(html, input, path, name, spec, text, bodies, &described);
            html.push_str("</div>");
        }
    }
}

/// The control of one value, labelled by `id` from outside.
#[allow(clippy::too_many_arguments)]
fn control(
    html: &mut String,
    input: &FormInput,
    path: &FieldPath,
    name: &str,
    spec: &FieldSpec,
    text: &str,
    bodies: Bodies,
    described: &str,
) {
    let id = element_id(path);
    let form = form_name(path);
    let value = xml_escape(text);
    let words = input.words;
    let input_of = |kind: &str| {
        format!("<input type=\"{kind}\" id=\"{id}\" name=\"{form}\" value=\"{value}\"{described}>")
    };
    match spec.kind.value {
        FieldKind::Markdown => {
            let _ = write!(html, "<textarea id=\"{id}\" name=\"{form}\" rows=\"3\"{described}>{value}</textarea>");
        }
        FieldKind::Date => html.push_str(&input_of("date")),
        FieldKind::Number => html.push_str(&format!(
            "<input type=\"number\" step=\"any\" id=\"{id}\" name=\"{form}\" value=\"{value}\"{described}>"
        )),
        FieldKind::Url => html.push_str(&input_of("url")),
        FieldKind::Email => html.push_str(&input_of("email")),
        FieldKind::Boolean => {
            let checked = if text == "true" { " checked" } else { "" };
            let _ = write!(
                html,
                "<input type=\"hidden\" name=\"{form}\" value=\"false\"><input type=\"checkbox\" id=\"{id}\" name=\"{form}\" value=\"true\"{checked}{described}>"
            );
        }
        FieldKind::Choice => {
            let options: Vec<(String, String)> = spec.choices().map(|c| (c.to_owned(), c.to_owned())).collect();
            select(html, &id, &form, described, text, &options, &words("edit_choose"), &words("edit_unknown_value"));
        }
        // Typed, with the collection's pages offered as one types: a
        // picker that searches titles, and a name that does not exist is
        // reported like any other problem.
        FieldKind::Reference => {
            let collection = spec.collection.as_ref().map_or("", |c| c.value.as_str());
            let _ = write!(
                html,
                "<input type=\"text\" id=\"{id}\" name=\"{form}\" value=\"{value}\" list=\"{}\" autocomplete=\"off\"{described}>",
                choices_id(collection)
            );
        }
        // A relation names a body of the same chart.
        FieldKind::Text if name == "to" && bodies.is_some() => {
            let options: Vec<(String, String)> = bodies
                .unwrap_or_default()
                .iter()
                .filter_map(|body| {
                    let Draft::Object(fields) = body else { return None };
                    let id = fields.get("id")?.text();
                    let shown = fields.get("name").map_or(id, Draft::text);
                    (!id.is_empty()).then(|| (id.to_owned(), shown.to_owned()))
                })
                .collect();
            select(html, &id, &form, described, text, &options, &words("edit_choose_body"), &words("edit_unknown_body"));
        }
        _ => html.push_str(&input_of("text")),
    }
}

/// A drop-down of `options` (value, shown); a value that is not among
/// them stays selected, marked, so that saving never loses it.
#[allow(clippy::too_many_arguments)]
fn select(
    html: &mut String,
    id: &str,
    form: &str,
    described: &str,
    current: &str,
    options: &[(String, String)],
    none: &str,
    unknown: &str,
) {
    let _ = write!(
        html,
        "<select id=\"{id}\" name=\"{form}\"{described}><option value=\"\">{}</option>",
        xml_escape(none)
    );
    if !current.is_empty() && !options.iter().any(|(v, _)| v == current) {
        let _ = write!(
            html,
            "<option value=\"{0}\" selected>{0} ({1})</option>",
            xml_escape(current),
            xml_escape(unknown)
        );
    }
    for (value, shown) in options {
        let selected = if value == current { " selected" } else { "" };
        let _ = write!(
            html,
            "<option value=\"{}\"{selected}>{}</option>",
            xml_escape(value),
            xml_escape(shown)
        );
    }
    html.push_str("</select>");
}

/// A list: each item with buttons to move it up and remove it, and a
/// button to add one. The buttons post the form (`actie`).
#[allow(clippy::too_many_arguments)]
fn list(
    html: &mut String,
    input: &FormInput,
    path: &FieldPath,
    label: &str,
    required: &str,
    spec: &FieldSpec,
    items: &[Draft],
    bodies: Bodies,
) {
    let words = input.words;
    let form = form_name(path);
    let _ = write!(
        html,
        "<fieldset class=\"edit-list\" id=\"{}\"><legend>{}{required}</legend>",
        element_id(path),
        xml_escape(label)
    );
    problems(html, input, path);
    // The list is posted even when empty, so that removing its last item
    // removes the field.
    let _ = write!(
        html,
        "<input type=\"hidden\" name=\"lijst\" value=\"{form}\">"
    );
    let item_spec = spec.of.as_deref();
    html.push_str("<ol>");
    for (i, item) in items.iter().enumerate() {
        let mut inner = path.clone();
        inner.push(Step::Item(i));
        let number = i + 1;
        let item_name = item_title(item);
        html.push_str("<li>");
        match item_spec {
            Some(item_spec) if matches!(item_spec.kind.value, FieldKind::Object) => {
                let _ = write!(
                    html,
                    "<fieldset class=\"edit-item\" id=\"{}\"><legend>{} {number}{}</legend>",
                    element_id(&inner),
                    xml_escape(label),
                    item_name.map_or(String::new(), |n| format!(": {}", xml_escape(n)))
                );
                problems(html, input, &inner);
                group_fields(html, input, &inner, item_spec, Some(item), bodies);
                item_buttons(html, words, &inner, label, number, i);
                html.push_str("</fieldset>");
            }
            Some(item_spec) => {
                let id = element_id(&inner);
                let _ = write!(
                    html,
                    "<div class=\"edit-field edit-list-item\"><label for=\"{id}\">{} {number}</label>",
                    xml_escape(label)
                );
                let described = problems(html, input, &inner);
                control(
                    html,
                    input,
                    &inner,
                    "",
                    item_spec,
                    item.text(),
                    bodies,
                    &described,
                );
                item_buttons(html, words, &inner, label, number, i);
                html.push_str("</div>");
            }
            None => {}
        }
        html.push_str("</li>");
    }
    html.push_str("</ol>");
    let _ = write!(
        html,
        "<button type=\"submit\" name=\"actie\" value=\"erbij:{form}\" class=\"edit-add\">{}</button></fieldset>",
        xml_escape(&words("edit_add").replace("{field}", label))
    );
}

fn item_buttons(
    html: &mut String,
    words: &dyn Fn(&str) -> String,
    path: &FieldPath,
    label: &str,
    number: usize,
    index: usize,
) {
    let form = form_name(path);
    let what = format!("{label} {number}");
    html.push_str("<div class=\"edit-item-buttons\">");
    if index > 0 {
        let _ = write!(
            html,
            "<button type=\"submit\" name=\"actie\" value=\"omhoog:{form}\">{}</button>",
            xml_escape(&words("edit_move_up").replace("{item}", &what))
        );
    }
    let _ = write!(
        html,
        "<button type=\"submit\" name=\"actie\" value=\"weg:{form}\">{}</button></div>",
        xml_escape(&words("edit_remove").replace("{item}", &what))
    );
}

/// The controls of a group's fields (`spec.fields`), and the fields the
/// schema does not know, carried through the form unseen so that saving
/// keeps them with their group, wherever it moves in its list.
fn group_fields(
    html: &mut String,
    input: &FormInput,
    path: &FieldPath,
    spec: &FieldSpec,
    value: Option<&Draft>,
    bodies: Bodies,
) {
    let fields = match value {
        Some(Draft::Object(fields)) => Some(fields),
        _ => None,
    };
    for (sub, sub_spec) in &spec.fields {
        let mut inner = path.clone();
        inner.push(Step::Key(sub.clone()));
        let value = fields.and_then(|f| f.get(sub));
        field(html, input, &inner, sub, sub_spec, value, bodies);
    }
    let unknown = fields
        .into_iter()
        .flatten()
        .filter(|(k, _)| !spec.fields.contains_key(*k));
    for (key, value) in unknown {
        let mut inner = path.clone();
        inner.push(Step::Key(key.clone()));
        hidden(html, &inner, value);
    }
}

fn hidden(html: &mut String, path: &FieldPath, value: &Draft) {
    match value {
        Draft::Text(text) => {
            let _ = write!(
                html,
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                form_name(path),
                xml_escape(text)
            );
        }
        Draft::List(items) => {
            let _ = write!(
                html,
                "<input type=\"hidden\" name=\"lijst\" value=\"{}\">",
                form_name(path)
            );
            for (i, item) in items.iter().enumerate() {
                let mut inner = path.clone();
                inner.push(Step::Item(i));
                hidden(html, &inner, item);
            }
        }
        Draft::Object(fields) => {
            for (key, item) in fields {
                let mut inner = path.clone();
                inner.push(Step::Key(key.clone()));
                hidden(html, &inner, item);
            }
        }
    }
}

/// How an item of a list of groups is known: its name or title.
fn item_title(item: &Draft) -> Option<&str> {
    let Draft::Object(fields) = item else {
        return None;
    };
    ["name", "title", "id"]
        .iter()
        .find_map(|k| fields.get(*k).map(Draft::text).filter(|t| !t.is_empty()))
}
