//! Geometry of drawn charts, read back from the SVG: every body once, no
//! overlapping boxes, every edge from its box to its other box without
//! crossing a third, hierarchy pointing down, names inside their boxes.

mod common;
use common::TestSite;
use twn::drawing::geometry::{Point, Rect};
use twn::drawing::svg::{ChartText, lay_out};
use twn::orgchart::{OrgChart, synthetic};

fn number(node: roxmltree::Node, name: &str) -> f64 {
    node.attribute(name)
        .unwrap_or_else(|| panic!("{name} missing"))
        .parse()
        .unwrap()
}

fn points(d: &str) -> Vec<Point> {
    d.split(['M', 'L'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|p| {
            let (x, y) = p.split_once(',').unwrap();
            Point {
                x: x.parse().unwrap(),
                y: y.parse().unwrap(),
            }
        })
        .collect()
}

fn text_for(chart: &OrgChart) -> ChartText {
    ChartText {
        title: "Organogram".into(),
        notes: chart
            .bodies
            .iter()
            .enumerate()
            .map(|(i, _)| (i % 3 == 0).then(|| format!("{i} werkplaatsen")))
            .collect(),
        sentences: chart.relations().map(|_| String::new()).collect(),
    }
}

/// Checks the drawing of a chart of `bodies` bodies and `relations`
/// relations; returns a description of what is wrong.
fn check_geometry(bodies: usize, relations: usize, svg: &str) -> Result<(), String> {
    let document = roxmltree::Document::parse(svg).map_err(|e| e.to_string())?;
    let mut boxes = std::collections::HashMap::new();
    for group in document
        .descendants()
        .filter(|n| n.has_attribute("data-body"))
    {
        let id = group.attribute("data-body").unwrap().to_owned();
        let rect = group
            .children()
            .find(|n| n.has_tag_name("rect"))
            .ok_or("a body without a box")?;
        let b = Rect {
            x: number(rect, "x"),
            y: number(rect, "y"),
            width: number(rect, "width"),
            height: number(rect, "height"),
        };
        for tspan in group.descendants().filter(|n| n.has_tag_name("tspan")) {
            let y = number(tspan, "y");
            if y < b.y || y > b.bottom() {
                return Err(format!("a line of {id} is outside its box"));
            }
        }
        if boxes.insert(id.clone(), b).is_some() {
            return Err(format!("{id} is drawn twice"));
        }
    }
    if boxes.len() != bodies {
        return Err(format!("{} boxes for {bodies} bodies", boxes.len()));
    }
    let all: Vec<(&String, &Rect)> = boxes.iter().collect();
    for (i, (a, p)) in all.iter().enumerate() {
        for (b, q) in &all[i + 1..] {
            if p.overlaps(q) {
                return Err(format!("{a} and {b} overlap"));
            }
        }
    }
    let edges: Vec<_> = document
        .descendants()
        .filter(|n| n.attribute("class") == Some("oc-edge"))
        .collect();
    if edges.len() != relations {
        return Err(format!("{} edges for {relations} relations", edges.len()));
    }
    for edge in edges {
        let (from, to, kind) = (
            edge.attribute("data-from").unwrap(),
            edge.attribute("data-to").unwrap(),
            edge.attribute("data-kind").unwrap(),
        );
        let path = points(edge.attribute("d").unwrap());
        let (first, last) = (path[0], path[path.len() - 1]);
        let (start_box, end_box) = match kind {
            "onderdeel-van" => (boxes[to], boxes[from]),
            _ => (boxes[from], boxes[to]),
        };
        if !start_box.has_on_border(first) || !end_box.has_on_border(last) {
            return Err(format!(
                "{kind} {from} → {to} does not run between its boxes: {path:?}"
            ));
        }
        if matches!(kind, "stuurt-aan" | "onderdeel-van") && first.y >= last.y {
            return Err(format!(
                "{kind} {from} → {to} does not point down: {path:?}"
            ));
        }
        for pair in path.windows(2) {
            if pair[0].x != pair[1].x && pair[0].y != pair[1].y {
                return Err(format!("{kind} {from} → {to} has a slanted segment"));
            }
            for (id, b) in &boxes {
                if b.cut_by(pair[0], pair[1]) {
                    return Err(format!(
                        "{kind} {from} → {to} crosses the box of {id}: {path:?}"
                    ));
                }
            }
        }
    }
    Ok(())
}

#[test]
fn generated_charts_of_1_to_200_bodies_are_drawn_cleanly() {
    for bodies in 1..=200 {
        let chart = synthetic::chart(bodies, bodies * 2, bodies as u64);
        let text = text_for(&chart);
        let svg = lay_out(&chart, &text).svg(&chart, &text, true);
        let relations = chart.relations().count();
        if let Err(problem) = check_geometry(bodies, relations, &svg) {
            panic!("chart of {bodies} bodies: {problem}");
        }
    }
}

/// Pairs of edges whose lines cross (a vertical piece of one through a
/// horizontal piece of the other), by the edges' `data-from`/`data-to`.
fn crossings(svg: &str) -> Vec<String> {
    let document = roxmltree::Document::parse(svg).unwrap();
    let edges: Vec<(String, Vec<Point>)> = document
        .descendants()
        .filter(|n| n.attribute("class") == Some("oc-edge"))
        .map(|n| {
            let name = format!(
                "{} {} → {}",
                n.attribute("data-kind").unwrap(),
                n.attribute("data-from").unwrap(),
                n.attribute("data-to").unwrap()
            );
            (name, points(n.attribute("d").unwrap()))
        })
        .collect();
    let through = |v: (&Point, &Point), h: (&Point, &Point)| {
        v.0.x == v.1.x
            && h.0.y == h.1.y
            && h.0.x.min(h.1.x) < v.0.x
            && v.0.x < h.0.x.max(h.1.x)
            && v.0.y.min(v.1.y) < h.0.y
            && h.0.y < v.0.y.max(v.1.y)
    };
    let mut found = Vec::new();
    for (i, (a, a_points)) in edges.iter().enumerate() {
        for (b, b_points) in &edges[i + 1..] {
            let crossed = a_points.windows(2).any(|s| {
                b_points.windows(2).any(|t| {
                    through((&s[0], &s[1]), (&t[0], &t[1]))
                        || through((&t[0], &t[1]), (&s[0], &s[1]))
                })
            });
            if crossed {
                found.push(format!("{a} × {b}"));
            }
        }
    }
    found
}

#[test]
fn the_example_charts_are_drawn_cleanly() {
    let site = TestSite::example();
    site.build_ok();
    for (region, bodies, relations) in [
        ("twents-waternet", 5, 10),
        ("regio-twente", 6, 8),
        ("groningen-en-noord-drenthe", 9, 8),
    ] {
        for file in ["organogram.svg", "index.html"] {
            let text = site.read(&format!("public/regio/{region}/organisatie/{file}"));
            let svg = &text[text.find("<svg").unwrap()..text.find("</svg>").unwrap() + 6];
            if let Err(problem) = check_geometry(bodies, relations, svg) {
                panic!("{region}/{file}: {problem}");
            }
            assert_eq!(
                crossings(svg),
                Vec::<String>::new(),
                "{region}/{file}: lines that cross"
            );
        }
    }
}

#[test]
fn crossing_lines_are_found() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg">
<path class="oc-edge" data-kind="stuurt-aan" data-from="a" data-to="b" d="M10,0 L10,50"/>
<path class="oc-edge" data-kind="adviseert" data-from="c" data-to="d" d="M0,20 L30,20"/>
<path class="oc-edge" data-kind="adviseert" data-from="e" data-to="f" d="M40,0 L40,50"/>
</svg>"#;
    assert_eq!(crossings(svg), ["stuurt-aan a → b × adviseert c → d"]);
}
