//! Which templates a theme edit reached: a template changes when its own
//! text does or when a template it extends, includes or imports does.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

/// Per template, a hash of its text and of every template it uses.
#[derive(Debug, Default, Clone)]
pub struct TemplatePrints {
    prints: HashMap<String, u64>,
    /// Templates no other template names: a change to one of those that
    /// twn does not render directly may be used in a way we cannot see.
    unreferenced: HashSet<String>,
}

/// What a theme edit changed.
#[derive(Debug, Default)]
pub struct TemplateChanges {
    pub changed: HashSet<String>,
    /// A changed template is used in a way that cannot be traced.
    pub untraceable: bool,
}

impl TemplatePrints {
    pub fn of(templates: &[(String, String)]) -> TemplatePrints {
        let uses: HashMap<&str, Vec<String>> = templates
            .iter()
            .map(|(name, text)| (name.as_str(), used_templates(text)))
            .collect();
        let texts: HashMap<&str, &str> = templates
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        let mut prints = HashMap::new();
        for (name, _) in templates {
            let mut hasher = DefaultHasher::new();
            let mut seen = HashSet::new();
            let mut stack = vec![name.as_str()];
            while let Some(current) = stack.pop() {
                if !seen.insert(current) {
                    continue;
                }
                current.hash(&mut hasher);
                texts.get(current).hash(&mut hasher);
                for used in uses.get(current).into_iter().flatten() {
                    stack.push(used);
                }
            }
            prints.insert(name.clone(), hasher.finish());
        }
        let referenced: HashSet<&String> = uses.values().flatten().collect();
        let unreferenced = templates
            .iter()
            .map(|(n, _)| n)
            .filter(|n| !referenced.contains(n))
            .cloned()
            .collect();
        TemplatePrints {
            prints,
            unreferenced,
        }
    }

    /// The templates that differ between `self` and `newer`;
    /// `rendered_directly` says which ones twn renders by name.
    pub fn changes(
        &self,
        newer: &TemplatePrints,
        rendered_directly: impl Fn(&str) -> bool,
    ) -> TemplateChanges {
        let mut changes = TemplateChanges::default();
        let names: HashSet<&String> = self.prints.keys().chain(newer.prints.keys()).collect();
        for name in names {
            if self.prints.get(name) != newer.prints.get(name) {
                let unseen = newer.unreferenced.contains(name) || self.unreferenced.contains(name);
                if unseen && !rendered_directly(name) {
                    changes.untraceable = true;
                }
                changes.changed.insert(name.clone());
            }
        }
        changes
    }
}

/// The names in `{% extends "…" %}`, `{% include "…" %}` and
/// `{% import "…" as … %}` of a template.
fn used_templates(text: &str) -> Vec<String> {
    let mut used = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{%") {
        rest = &rest[start + 2..];
        let Some(end) = rest.find("%}") else { break };
        let tag = rest[..end].trim_matches(|c: char| c == '-' || c.is_whitespace());
        let mut words = tag.splitn(2, char::is_whitespace);
        if let (Some("extends" | "include" | "import"), Some(argument)) =
            (words.next(), words.next())
        {
            let mut quoted = argument.split(['"', '\'']);
            quoted.next();
            // Every quoted name counts: `include ["a.html", "b.html"]` too.
            for (k, part) in quoted.enumerate() {
                if k % 2 == 0 && !part.is_empty() {
                    used.push(part.to_owned());
                }
            }
        }
        rest = &rest[end + 2..];
    }
    used
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(base: &str, partial: &str) -> Vec<(String, String)> {
        vec![
            ("base.html".into(), base.into()),
            (
                "page.html".into(),
                r#"{% extends "base.html" %}{% block main %}{% include "partials/x.html" %}{% endblock main %}"#.into(),
            ),
            ("list.html".into(), r#"{%- extends 'base.html' -%}"#.into()),
            ("partials/x.html".into(), partial.into()),
            ("partials/loose.html".into(), "los".into()),
        ]
    }

    #[test]
    fn a_change_reaches_the_templates_that_use_it() {
        let direct = |name: &str| name == "page.html" || name == "list.html";
        let before = TemplatePrints::of(&theme("<html>", "x"));
        let partial = before.changes(&TemplatePrints::of(&theme("<html>", "y")), direct);
        assert_eq!(
            partial.changed,
            HashSet::from(["page.html".to_owned(), "partials/x.html".to_owned()])
        );
        assert!(!partial.untraceable);
        let base = before.changes(&TemplatePrints::of(&theme("<html lang>", "x")), direct);
        assert_eq!(base.changed.len(), 3, "{:?}", base.changed);
    }

    #[test]
    fn a_template_nobody_names_may_be_used_anywhere() {
        let mut changed = theme("<html>", "x");
        changed[4].1 = "anders".into();
        let changes = TemplatePrints::of(&theme("<html>", "x"))
            .changes(&TemplatePrints::of(&changed), |n| n == "page.html");
        assert!(changes.untraceable);
    }
}
