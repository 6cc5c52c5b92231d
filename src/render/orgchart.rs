//! The chart page of every page with bodies (`<page>/organisatie/`): the
//! drawing, its legend, and the same structure as nested text, plus the
//! drawing as a file of its own for the preview on the page.

use super::Renderer;
use super::context::breadcrumbs;
use crate::artifact::OutputFile;
use crate::drawing::svg::{ChartText, lay_out, legend_sample};
use crate::ids::{PageId, PageTable};
use crate::orgchart::{OrgChart, RelationKind};
use crate::resolve::Site;
use crate::resolve::field_links::field_html;
use crate::urls::CHART_FILE;
use serde_json::{Value, json};

/// The chart page and drawing of every chart.
pub(super) fn render_charts(
    renderer: &Renderer,
    site: &Site,
    summaries: &PageTable<tera::Value>,
) -> Result<Vec<OutputFile>, crate::diagnostics::Diagnostic> {
    let mut files = Vec::with_capacity(site.org_charts.len() * 2);
    for chart in &site.org_charts {
        let text = chart_text(renderer, site, chart);
        let drawing = lay_out(chart, &text);
        let legend: Vec<Value> = drawing
            .kinds()
            .into_iter()
            .map(|kind| {
                json!({
                    "kind": kind.key(),
                    "label": renderer.string(&format!("relation_{}", kind.key())),
                    "sample": legend_sample(kind),
                })
            })
            .collect();
        let owner = &site.pages[chart.page];
        let mut trail = breadcrumbs(site, owner.collection.as_deref());
        trail.push(json!({"title": owner.front.title, "url": site.url(chart.page)}));
        let summary = serde_json::to_value(&summaries[chart.page]).unwrap_or_default();
        let mut page = summary.clone();
        page["title"] = json!(named(
            &renderer.string("orgchart_heading"),
            &owner.front.title
        ));
        page["url"] = json!(chart.url(site));
        page["breadcrumbs"] = Value::Array(trail);
        page["owner"] = summary;
        page["updated"] = super::context::last_updated(site, chart.page);
        let context = json!({
            "svg": drawing.svg(chart, &text, true),
            "file": chart.file_url(site),
            "title": text.title,
            "legend": legend,
            "bodies": body_list(renderer, site, summaries, chart),
        });
        let html = renderer.render("orgchart.html", page, &[("chart", context)])?;
        let dir = chart.out_dir(site);
        files.push(OutputFile {
            path: format!("{dir}index.html"),
            contents: html.into_bytes(),
        });
        files.push(OutputFile {
            path: format!("{dir}{CHART_FILE}"),
            contents: drawing.svg(chart, &text, false).into_bytes(),
        });
    }
    Ok(files)
}

fn named(pattern: &str, name: &str) -> String {
    pattern.replace("{name}", name)
}

fn chart_text(renderer: &Renderer, site: &Site, chart: &OrgChart) -> ChartText {
    let owner = &site.pages[chart.page].front.title;
    ChartText {
        title: named(&renderer.string("orgchart_drawing"), owner),
        notes: chart
            .bodies
            .iter()
            .map(|body| {
                let collection = site.config.collections.get(body.collects.as_deref()?)?;
                Some(format!("{}: {}", collection.title, body.collected.len()))
            })
            .collect(),
        sentences: chart
            .relations()
            .map(|(from, kind, to)| {
                let (before, after) = sentence_parts(renderer, chart, from, kind);
                format!("{before}{}{after}", chart.bodies[to].name_in_text())
            })
            .collect(),
    }
}

/// The sentence of a relation around the name of the body it points to,
/// from the theme's pattern such as `{from} stuurt {to} aan`.
fn sentence_parts(
    renderer: &Renderer,
    chart: &OrgChart,
    from: usize,
    kind: RelationKind,
) -> (String, String) {
    let pattern = renderer.string(&format!("sentence_{}", kind.key()));
    let pattern = if pattern.is_empty() {
        format!("{{from}} {} {{to}}", kind.key())
    } else {
        pattern
    };
    let with_subject = pattern.replace("{from}", chart.bodies[from].name_in_text());
    let (before, after) = with_subject
        .split_once("{to}")
        .map_or((with_subject.as_str(), ""), |(b, a)| (b, a));
    (capitalise(before), after.to_owned())
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The bodies as a tree in document order: each under the first body above
/// it in the hierarchy. Flat, with how deep each is and how many lists end
/// after it, so templates can nest without recursion.
fn body_list(
    renderer: &Renderer,
    site: &Site,
    summaries: &PageTable<tera::Value>,
    chart: &OrgChart,
) -> Vec<Value> {
    let count = chart.bodies.len();
    let mut parent: Vec<Option<usize>> = vec![None; count];
    for (from, kind, to) in chart.relations() {
        if kind.is_hierarchy() {
            let (upper, lower) = kind.upper_lower(from, to);
            parent[lower].get_or_insert(upper);
        }
    }
    let children =
        |p: Option<usize>| -> Vec<usize> { (0..count).filter(|&b| parent[b] == p).collect() };
    let mut order: Vec<(usize, usize)> = Vec::with_capacity(count);
    let mut visited = vec![false; count];
    let mut stack: Vec<(usize, usize)> = children(None).into_iter().rev().map(|b| (b, 0)).collect();
    loop {
        while let Some((body, depth)) = stack.pop() {
            if std::mem::replace(&mut visited[body], true) {
                continue;
            }
            order.push((body, depth));
            stack.extend(
                children(Some(body))
                    .into_iter()
                    .rev()
                    .map(|b| (b, depth + 1)),
            );
        }
        // Only a cycle, which the checks refuse, leaves bodies unvisited.
        match visited.iter().position(|v| !v) {
            Some(body) => stack.push((body, 0)),
            None => break,
        }
    }
    let owner = &site.pages[chart.page].front.title;
    order
        .iter()
        .enumerate()
        .map(|(position, &(b, depth))| {
            let body = &chart.bodies[b];
            let next_depth = order.get(position + 1).map_or(0, |&(_, d)| d);
            let has_children = next_depth > depth;
            let relations: Vec<Value> = body
                .relations
                .iter()
                .map(|relation| {
                    let (before, after) = sentence_parts(renderer, chart, b, relation.kind);
                    let target = &chart.bodies[relation.to];
                    json!({
                        "kind": relation.kind.key(),
                        "before": before,
                        "after": after,
                        "to_name": target.name_in_text(),
                        "to_anchor": target.anchor(),
                    })
                })
                .collect();
            let collected = body.collects.as_deref().map(|name| {
                let title = site
                    .config
                    .collections
                    .get(name)
                    .map_or(name.to_owned(), |c| c.title.clone());
                json!({
                    "title": title,
                    "pages": body.collected.iter().map(|&p| summaries[p].clone()).collect::<Vec<_>>(),
                })
            });
            json!({
                "id": body.id,
                "anchor": body.anchor(),
                "name": body.name,
                "level": (3 + depth).min(6),
                "composition": body.composition,
                "description": body.description.as_deref().map(|d| field_html(site, &site.pages[chart.page], &site.url(chart.page), d)),
                "members": body.members.iter().map(|&m| field_value_of_page(site, m)).collect::<Vec<_>>(),
                "all_members": body.all_members.then(|| named(&renderer.string("body_all_members"), owner)),
                "collected": collected,
                "relations": relations,
                "has_children": has_children,
                "closes": if has_children { 0 } else { depth - next_depth.min(depth) },
            })
        })
        .collect()
}

fn field_value_of_page(site: &Site, page: PageId) -> Value {
    json!({"title": site.pages[page].front.title, "url": site.url(page), "slug": site.pages[page].slug})
}
