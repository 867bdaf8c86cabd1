//! Refused forms as the pages show them (WCAG 3.3.1 and 3.3.3): an error summary at
//! the top whose links lead to the fields, and each message beside its field, tied
//! to it with `aria-describedby` and marked with `aria-invalid`. The page is shown
//! again with what was typed; `web/templates/form.html` holds the markup.

use domain::Lang;
use domain::validate::{FieldError, Problem};
use minijinja::Value;
use serde::Serialize;
use std::collections::BTreeMap;

/// A field of a form: the name the use case gives it, the id of its input on the
/// page and the message id of its label (the summary names the field with it).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    pub name: &'static str,
    pub id: &'static str,
    pub label: &'static str,
}

/// Shorthand for the tables of fields each form declares.
pub(crate) const fn field(name: &'static str, id: &'static str, label: &'static str) -> Field {
    Field { name, id, label }
}

/// What was wrong with a submitted form.
#[derive(Debug, Clone, Default)]
pub(crate) struct FormErrors {
    lang: Lang,
    items: Vec<Item>,
}

#[derive(Debug, Clone, Serialize)]
struct Item {
    /// The input's id; `None` for a refusal that concerns the form as a whole.
    id: Option<String>,
    label: Option<String>,
    message: String,
}

impl FormErrors {
    pub fn new(lang: Lang) -> FormErrors {
        FormErrors {
            lang,
            items: Vec::new(),
        }
    }

    /// A message about the field the use case calls `name`; about the whole form when
    /// the form has no such field.
    pub fn add(&mut self, fields: &[Field], name: &str, message: String) {
        let found = fields.iter().find(|f| f.name == name);
        self.items.push(Item {
            id: found.map(|f| f.id.to_owned()),
            label: found.map(|f| i18n::t(self.lang, f.label)),
            message,
        });
    }

    /// One message about one field.
    pub fn field(lang: Lang, fields: &[Field], name: &str, message: String) -> FormErrors {
        let mut errors = FormErrors::new(lang);
        errors.add(fields, name, message);
        errors
    }

    /// A refusal of what was typed in one field, in the reader's language.
    pub fn invalid(lang: Lang, fields: &[Field], err: &FieldError) -> FormErrors {
        FormErrors::field(lang, fields, err.field, problem_text(lang, err.problem))
    }

    /// A refusal that concerns the form as a whole (its state, a conflict).
    pub fn general(lang: Lang, message: String) -> FormErrors {
        FormErrors::field(lang, &[], "", message)
    }

    /// For the templates: `list` for the summary, `by` from input id to message.
    pub fn value(&self) -> Value {
        let by: BTreeMap<&str, &str> = self
            .items
            .iter()
            .filter_map(|i| Some((i.id.as_deref()?, i.message.as_str())))
            .collect();
        Value::from_serialize(serde_json::json!({
            "list": self.items,
            "by": by,
            "title": i18n::catalog().message(
                self.lang,
                "form-errors-title",
                &[("count", fluent_bundle::FluentValue::from(self.items.len()))],
            ),
        }))
    }
}

/// No errors, for a form shown for the first time.
pub(crate) fn no_errors() -> Value {
    FormErrors::default().value()
}

/// What is wrong with a typed value, as a sentence for the field it stands beside.
pub(crate) fn problem_text(lang: Lang, problem: Problem) -> String {
    match problem {
        Problem::Required => i18n::t(lang, "form-problem-required"),
        Problem::TooLong { max } => i18n::catalog().message(
            lang,
            "form-problem-too_long",
            &[("max", fluent_bundle::FluentValue::from(max))],
        ),
        Problem::InvalidEmail => i18n::t(lang, "form-problem-invalid_email"),
        Problem::InvalidSlug => i18n::t(lang, "form-problem-invalid_slug"),
        Problem::ControlCharacters => i18n::t(lang, "form-problem-control_characters"),
        Problem::OutOfRange => i18n::t(lang, "form-problem-out_of_range"),
        Problem::InvalidWebAddress => i18n::t(lang, "form-problem-invalid_web_address"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: &[Field] = &[field("title", "plan-title", "plan-field-title")];

    #[test]
    fn a_field_error_names_its_field_and_an_unknown_one_the_form() {
        let mut errors = FormErrors::new(Lang::En);
        errors.add(FIELDS, "title", "Fill in this field.".into());
        errors.add(FIELDS, "elsewhere", "The hearing changed meanwhile.".into());
        let value = errors.value();
        let list = value.get_attr("list").expect("list");
        let first = list.get_item(&Value::from(0)).expect("first");
        assert_eq!(
            first.get_attr("id").expect("id").as_str(),
            Some("plan-title")
        );
        assert!(first.get_attr("label").expect("label").as_str().is_some());
        let second = list.get_item(&Value::from(1)).expect("second");
        assert!(second.get_attr("id").expect("id").is_none());
        let by = value.get_attr("by").expect("by");
        assert_eq!(
            by.get_attr("plan-title").expect("message").as_str(),
            Some("Fill in this field.")
        );
    }
}
