//! What the schema cannot see in a `bodies` field: ids that are unique and
//! usable in a URL, relations that point to a body of the same page, and a
//! hierarchy (`stuurt-aan`, `onderdeel-van`) without a cycle. Runs on the
//! YAML tree, which still knows every line and column.

use super::{ALL_MEMBERS, MEMBERS_FIELD, RelationKind};
use crate::diagnostics::{Diagnostic, Position};
use crate::source::SourceFile;
use crate::suggest::closest;
use crate::yaml::{Node, Value};

struct BodyNode<'a> {
    id: String,
    name: String,
    id_node: &'a Node,
    name_node: Option<&'a Node>,
    relations: Vec<RelationNode<'a>>,
}

struct RelationNode<'a> {
    kind: RelationKind,
    to: String,
    to_node: &'a Node,
}

/// (upper body, lower body, body the relation is written on, its index there).
type HierarchyEdge = (usize, usize, usize, usize);

/// The most bodies one chart may have.
pub const MAX_BODIES: usize = 200;

/// Checks the `bodies` list `node` of a page whose front matter is `front`.
pub fn check_bodies(file: &SourceFile, node: &Node, front: &Node) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut error = |at: &Node, marker: usize, message: String, help: String| {
        problems.push(
            Diagnostic::error(&file.display_path, message)
                .at(&file.text, at.position)
                .marker(marker)
                .help(help),
        );
    };
    let Value::List(items) = &node.value else {
        return problems;
    };
    let bodies: Vec<BodyNode> = items.iter().filter_map(body_node).collect();
    // Laid out, a chart costs time that grows steeply with its size; one
    // this large is no chart a reader can follow either.
    if bodies.len() > MAX_BODIES {
        error(
            node,
            1,
            format!(
                "dit organogram heeft {} organen; meer dan {MAX_BODIES} is niet te lezen en kost minuten om te tekenen",
                bodies.len()
            ),
            "verdeel de organen over de pagina's van de regio's of werkplaatsen waar ze bij horen"
                .into(),
        );
        return problems;
    }

    let mut first_at: Vec<(&str, Position)> = Vec::new();
    for body in &bodies {
        let id = body.id.as_str();
        let slug = crate::slug::slugify(id);
        let invisible = |c: char| {
            c.is_whitespace()
                || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
        };
        if let Some(name_node) = body.name_node.filter(|_| body.name.chars().all(invisible)) {
            error(
                name_node,
                1,
                "de naam van dit orgaan is leeg: in het organogram en voor schermlezers staat er niets".into(),
                "geef het orgaan een naam, bijvoorbeeld `Ambtelijk platform`".into(),
            );
        }
        if id.is_empty() {
            error(
                body.id_node,
                1,
                "dit orgaan heeft een lege id: links naar het orgaan leiden dan nergens heen".into(),
                "geef het een id van kleine letters, cijfers en `-`, bijvoorbeeld `ambtelijk-platform`".into(),
            );
        } else if slug != id {
            error(
                body.id_node,
                id.chars().count(),
                format!(
                    "`{id}` kan geen id van een orgaan zijn: het wordt een deel van een webadres"
                ),
                format!("gebruik kleine letters, cijfers en `-`, bijvoorbeeld `{slug}`"),
            );
        }
        match first_at.iter().find(|(seen, _)| *seen == id) {
            Some((_, at)) => error(
                body.id_node,
                id.chars().count(),
                format!(
                    "id `{id}` is al gebruikt voor een ander orgaan (regel {})",
                    at.line
                ),
                "geef elk orgaan een eigen id".into(),
            ),
            None => first_at.push((id, body.id_node.position)),
        }
    }

    let ids: Vec<&str> = bodies.iter().map(|b| b.id.as_str()).collect();
    let mut edges: Vec<HierarchyEdge> = Vec::new();
    for (from, body) in bodies.iter().enumerate() {
        for (r, relation) in body.relations.iter().enumerate() {
            let marker = relation.to.chars().count();
            let Some(to) = ids.iter().position(|id| *id == relation.to) else {
                let help = match closest(&relation.to, ids.iter().copied()) {
                    Some(s) => format!(
                        "bedoelt u `{s}`? `to` noemt het id van een orgaan op deze pagina: {}",
                        ids.join(", ")
                    ),
                    None => format!(
                        "`to` noemt het id van een orgaan op deze pagina: {}",
                        ids.join(", ")
                    ),
                };
                error(
                    relation.to_node,
                    marker,
                    format!(
                        "relatie `{}` naar een orgaan dat niet bestaat: `{}`",
                        relation.kind.key(),
                        relation.to
                    ),
                    help,
                );
                continue;
            };
            if to == from {
                error(
                    relation.to_node,
                    marker,
                    format!(
                        "{} heeft een relatie `{}` met zichzelf",
                        body.name,
                        relation.kind.key()
                    ),
                    "een relatie verbindt twee verschillende organen".into(),
                );
                continue;
            }
            if body.relations[..r]
                .iter()
                .any(|earlier| earlier.kind == relation.kind && earlier.to == relation.to)
            {
                error(
                    relation.to_node,
                    marker,
                    format!(
                        "de relatie `{}` naar `{}` staat twee keer bij {}",
                        relation.kind.key(),
                        relation.to,
                        body.name
                    ),
                    "verwijder de tweede".into(),
                );
                continue;
            }
            if relation.kind.is_hierarchy() {
                let (upper, lower) = relation.kind.upper_lower(from, to);
                edges.push((upper, lower, from, r));
            }
        }
    }

    for cycle in hierarchy_cycles(bodies.len(), &edges) {
        let sentences: Vec<String> = cycle
            .iter()
            .map(|&(_, _, from, r)| {
                let relation = &bodies[from].relations[r];
                let to = ids.iter().position(|id| *id == relation.to).unwrap_or(from);
                describe(relation.kind, &bodies[from].name, &bodies[to].name)
            })
            .collect();
        let &(_, _, from, r) = cycle.last().expect("a cycle has a relation");
        let closing = &bodies[from].relations[r];
        error(
            closing.to_node,
            closing.to.chars().count(),
            format!("kring in de hiërarchie: {}", enumerate_dutch(&sentences)),
            "`stuurt-aan` en `onderdeel-van` geven aan wie boven wie staat, en dat kan niet rondgaan; verwijder één van deze relaties of maak er een andere soort van, zoals `rapporteert-aan`".into(),
        );
    }

    let uses_all = items
        .iter()
        .filter_map(|item| item.get("members"))
        .find_map(|members| {
            let mut nodes: Vec<&Node> = match &members.value {
                Value::List(list) => list.iter().collect(),
                _ => vec![members],
            };
            nodes.retain(|n| n.value == Value::Str(ALL_MEMBERS.into()));
            nodes.first().copied()
        });
    if let Some(all) = uses_all
        && front.get(MEMBERS_FIELD).is_none()
    {
        error(
            all,
            ALL_MEMBERS.len(),
            format!(
                "`{ALL_MEMBERS}` staat voor alle leden van deze pagina, maar de pagina heeft geen `{MEMBERS_FIELD}`"
            ),
            format!("noem de leden in `{MEMBERS_FIELD}: [...]`, of noem hier de organisaties zelf"),
        );
    }
    problems
}

/// "a, b en c".
fn enumerate_dutch(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} en {last}", init.join(", ")),
    }
}

/// A relation as a sentence for an error message.
fn describe(kind: RelationKind, from: &str, to: &str) -> String {
    match kind {
        RelationKind::StuurtAan => format!("{from} stuurt {to} aan"),
        RelationKind::OnderdeelVan => format!("{from} is onderdeel van {to}"),
        RelationKind::RapporteertAan => format!("{from} rapporteert aan {to}"),
        RelationKind::Adviseert => format!("{from} adviseert {to}"),
        RelationKind::Ondersteunt => format!("{from} ondersteunt {to}"),
    }
}

fn body_node(item: &Node) -> Option<BodyNode<'_>> {
    let id_node = item.get("id")?;
    let id = id_node.text()?;
    let name_node = item.get("name");
    let name = name_node.and_then(Node::text).unwrap_or_else(|| id.clone());
    let relations = match item.get("relations").map(|r| &r.value) {
        Some(Value::List(list)) => list
            .iter()
            .filter_map(|relation| {
                let kind = RelationKind::from_key(&relation.get("type")?.text()?)?;
                let to_node = relation.get("to")?;
                Some(RelationNode {
                    kind,
                    to: to_node.text()?,
                    to_node,
                })
            })
            .collect(),
        _ => Vec::new(),
    };
    Some(BodyNode {
        id,
        name,
        id_node,
        name_node,
        relations,
    })
}

/// Cycles among `(upper, lower, ..)` edges, each as its edges in order; one
/// per group of bodies that go round, so one mistake gives one error.
fn hierarchy_cycles(nodes: usize, edges: &[HierarchyEdge]) -> Vec<Vec<HierarchyEdge>> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnPath,
        Done,
    }
    let mut state = vec![State::New; nodes];
    let mut in_reported = vec![false; nodes];
    let mut cycles = Vec::new();
    for start in 0..nodes {
        if state[start] != State::New {
            continue;
        }
        // Iterative depth-first search; `path` holds the edges taken.
        let mut path: Vec<HierarchyEdge> = Vec::new();
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = State::OnPath;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let outgoing = edges.iter().filter(|e| e.0 == node).nth(*next).copied();
            *next += 1;
            match outgoing {
                Some(edge) => match state[edge.1] {
                    State::New => {
                        state[edge.1] = State::OnPath;
                        path.push(edge);
                        stack.push((edge.1, 0));
                    }
                    State::OnPath => {
                        let begin = path
                            .iter()
                            .position(|e| e.0 == edge.1)
                            .unwrap_or(path.len());
                        let mut cycle: Vec<_> = path[begin..].to_vec();
                        cycle.push(edge);
                        if !cycle.iter().any(|e| in_reported[e.0]) {
                            for e in &cycle {
                                in_reported[e.0] = true;
                            }
                            cycles.push(cycle);
                        }
                    }
                    State::Done => {}
                },
                None => {
                    state[node] = State::Done;
                    stack.pop();
                    path.pop();
                }
            }
        }
    }
    cycles
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cycle_is_found_once_with_its_edges_in_order() {
        let edges = [(0, 1, 0, 0), (1, 2, 1, 0), (2, 0, 2, 0), (2, 3, 2, 1)];
        let cycles = hierarchy_cycles(4, &edges);
        assert_eq!(cycles.len(), 1);
        let walk: Vec<(usize, usize)> = cycles[0].iter().map(|e| (e.0, e.1)).collect();
        assert_eq!(walk, [(0, 1), (1, 2), (2, 0)]);
        assert!(hierarchy_cycles(4, &edges[..2]).is_empty());
    }
}
