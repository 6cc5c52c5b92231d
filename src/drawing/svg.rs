//! Drawing a chart as SVG: boxes with wrapped names, one line style and
//! end mark per relation type, links from each box to its text. Colours and
//! fonts are attributes, so the same drawing works inline in a page and as
//! a file of its own.

use super::font::{FONT_FAMILY, Font};
use super::geometry::{Edge, Layout, Point};
use super::layout;
use crate::orgchart::{OrgChart, RelationKind};
use crate::text::xml_escape as escape;

const NAME_FONT: Font = Font {
    size: 15.0,
    bold: true,
};
const NOTE_FONT: Font = Font {
    size: 13.0,
    bold: false,
};
const NAME_LINE: f64 = 19.0;
const NOTE_LINE: f64 = 17.0;
const PAD_X: f64 = 12.0;
const PAD_Y: f64 = 10.0;
const MIN_BOX: f64 = 140.0;
const MAX_TEXT: f64 = 180.0;
const INK: &str = "#1a1a1a";
const MUTED: &str = "#4a4a4a";
const BOX_LINE: &str = "#003d6b";
const COLLECTING_FILL: &str = "#eef3f7";

/// What a chart shows, in the words of the theme.
pub struct ChartText {
    /// The accessible name of the drawing.
    pub title: String,
    /// Per body, a short second line such as "9 werkplaatsen".
    pub notes: Vec<Option<String>>,
    /// Per relation (in [`OrgChart::relations`] order), its sentence.
    pub sentences: Vec<String>,
}

/// How each relation type looks: colour, dash pattern, end marks.
struct Style {
    colour: &'static str,
    width: f64,
    dash: Option<&'static str>,
    /// Drawn at the upper body of a hierarchy relation (the whole).
    start: Option<Mark>,
    end: Option<Mark>,
}

#[derive(Clone, Copy)]
enum Mark {
    Arrow,
    OpenArrow,
    Chevron,
    Dot,
    Diamond,
}

fn style(kind: RelationKind) -> Style {
    match kind {
        RelationKind::StuurtAan => Style {
            width: 2.0,
            colour: "#1b4f8a",
            dash: None,
            start: None,
            end: Some(Mark::Arrow),
        },
        RelationKind::OnderdeelVan => Style {
            width: 3.0,
            colour: "#3d3d3d",
            dash: None,
            start: Some(Mark::Diamond),
            end: None,
        },
        RelationKind::RapporteertAan => Style {
            width: 2.0,
            colour: "#0b6b4f",
            dash: Some("8 4"),
            start: None,
            end: Some(Mark::OpenArrow),
        },
        RelationKind::Adviseert => Style {
            width: 2.0,
            colour: "#6b2c91",
            dash: Some("2 4"),
            start: None,
            end: Some(Mark::Chevron),
        },
        RelationKind::Ondersteunt => Style {
            width: 2.0,
            colour: "#8a4b08",
            dash: Some("10 4 2 4"),
            start: None,
            end: Some(Mark::Dot),
        },
    }
}

impl Mark {
    fn name(self) -> &'static str {
        match self {
            Mark::Arrow => "pijl",
            Mark::OpenArrow => "open-pijl",
            Mark::Chevron => "hoek",
            Mark::Dot => "punt",
            Mark::Diamond => "ruit",
        }
    }

    /// A `<marker>`; its tip sits on the end of the line.
    fn definition(self, id: &str, colour: &str) -> String {
        let (shape, ref_x) = match self {
            Mark::Arrow => (
                format!("<path d=\"M0,0 L10,5 L0,10 z\" fill=\"{colour}\"/>"),
                10,
            ),
            Mark::OpenArrow => (
                format!(
                    "<path d=\"M1,1 L10,5 L1,9 z\" fill=\"#fff\" stroke=\"{colour}\" stroke-width=\"1.5\"/>"
                ),
                10,
            ),
            Mark::Chevron => (
                format!(
                    "<path d=\"M1,1 L9,5 L1,9\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>"
                ),
                9,
            ),
            Mark::Dot => (
                format!("<circle cx=\"5\" cy=\"5\" r=\"4\" fill=\"{colour}\"/>"),
                9,
            ),
            Mark::Diamond => (
                format!("<path d=\"M0,5 L6,1 L12,5 L6,9 z\" fill=\"{colour}\"/>"),
                0,
            ),
        };
        format!(
            "<marker id=\"{id}\" viewBox=\"0 0 12 10\" refX=\"{ref_x}\" refY=\"5\" markerWidth=\"12\" markerHeight=\"10\" markerUnits=\"userSpaceOnUse\" orient=\"auto\">{shape}</marker>"
        )
    }
}

/// The boxes' text lines and sizes, then the layout.
pub struct Drawing {
    pub layout: Layout,
    names: Vec<Vec<String>>,
    notes: Vec<Option<String>>,
    /// Per relation, as in [`OrgChart::relations`]: (from, kind, to).
    edges: Vec<(usize, RelationKind, usize)>,
}

/// Lays the chart out.
pub fn lay_out(chart: &OrgChart, text: &ChartText) -> Drawing {
    let names: Vec<Vec<String>> = chart
        .bodies
        .iter()
        .map(|b| NAME_FONT.wrap(&b.name, MAX_TEXT))
        .collect();
    let notes: Vec<Option<String>> = (0..chart.bodies.len())
        .map(|i| text.notes.get(i).cloned().flatten())
        .collect();
    let sizes: Vec<(f64, f64)> = names
        .iter()
        .zip(&notes)
        .map(|(lines, note)| {
            let widest = lines
                .iter()
                .map(|l| NAME_FONT.width(l))
                .chain(note.iter().map(|n| NOTE_FONT.width(n)))
                .fold(0.0, f64::max);
            let width = (widest + 2.0 * PAD_X).clamp(MIN_BOX, MAX_TEXT + 2.0 * PAD_X);
            let lines_height = lines.len().max(1) as f64 * NAME_LINE
                + if note.is_some() { NOTE_LINE } else { 0.0 };
            (width.ceil(), (lines_height + 2.0 * PAD_Y).ceil())
        })
        .collect();
    let edges: Vec<(usize, RelationKind, usize)> = chart.relations().collect();
    let layout_edges: Vec<Edge> = edges
        .iter()
        .map(|&(from, kind, to)| {
            if kind.is_hierarchy() {
                let (upper, lower) = kind.upper_lower(from, to);
                Edge {
                    source: upper,
                    target: lower,
                    ranks: true,
                }
            } else {
                Edge {
                    source: from,
                    target: to,
                    ranks: false,
                }
            }
        })
        .collect();
    Drawing {
        layout: layout::lay_out(&sizes, &layout_edges),
        names,
        notes,
        edges,
    }
}

/// How much larger the chart page shows a drawing than its own units.
const SHOWN_SCALE: f64 = 1.5;

impl Drawing {
    /// The chart as SVG. With `links`, every box links to `#<anchor>` on
    /// the page that shows it; without, the drawing stands on its own.
    pub fn svg(&self, chart: &OrgChart, text: &ChartText, links: bool) -> String {
        let layout = &self.layout;
        let mut out = String::with_capacity(4096 + 600 * chart.bodies.len());
        let (w, h) = (layout.width, layout.height);
        if links {
            // Shown larger than drawn, so that its names read as body text;
            // the page's style fits it to a narrower screen.
            let (shown_w, shown_h) = (w * SHOWN_SCALE, h * SHOWN_SCALE);
            out.push_str(&format!(
                "<svg class=\"orgchart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{shown_w}\" height=\"{shown_h}\" aria-labelledby=\"oc-title\" font-family=\"{FONT_FAMILY}\">"
            ));
        } else {
            out.push_str(&format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-labelledby=\"oc-title\" font-family=\"{FONT_FAMILY}\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
            ));
        }
        out.push_str(&format!(
            "<title id=\"oc-title\">{}</title>",
            escape(&text.title)
        ));
        out.push_str("<defs>");
        for kind in self.kinds() {
            out.push_str(&markers(kind, "oc"));
        }
        out.push_str("</defs><g aria-hidden=\"true\">");
        for (index, &(from, kind, to)) in self.edges.iter().enumerate() {
            let points = &layout.edges[index];
            let sentence = text.sentences.get(index).map_or("", String::as_str);
            out.push_str(&format!(
                "<path class=\"oc-edge\" data-kind=\"{}\" data-from=\"{}\" data-to=\"{}\" d=\"{}\"{}><title>{}</title></path>",
                kind.key(),
                escape(&chart.bodies[from].id),
                escape(&chart.bodies[to].id),
                path_data(points),
                line_attributes(kind, "oc"),
                escape(sentence)
            ));
        }
        out.push_str("</g>");
        for (index, body) in chart.bodies.iter().enumerate() {
            let rect = layout.boxes[index];
            let fill = if body.collects.is_some() {
                COLLECTING_FILL
            } else {
                "#fff"
            };
            let (open, close) = if links {
                (
                    format!(
                        "<a href=\"#{}\" data-body=\"{}\">",
                        escape(&body.anchor()),
                        escape(&body.id)
                    ),
                    "</a>",
                )
            } else {
                (format!("<g data-body=\"{}\">", escape(&body.id)), "</g>")
            };
            out.push_str(&open);
            out.push_str(&format!(
                "<rect class=\"oc-box\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"{fill}\" stroke=\"{BOX_LINE}\" stroke-width=\"1.5\"/>",
                rect.x, rect.y, rect.width, rect.height
            ));
            let centre = rect.x + rect.width / 2.0;
            let mut baseline = rect.y + PAD_Y + NAME_FONT.size;
            out.push_str(&format!(
                "<text class=\"oc-name\" x=\"{centre}\" text-anchor=\"middle\" font-size=\"{}\" font-weight=\"bold\" fill=\"{INK}\">",
                NAME_FONT.size
            ));
            for line in &self.names[index] {
                out.push_str(&format!(
                    "<tspan x=\"{centre}\" y=\"{baseline}\">{}</tspan>",
                    escape(line)
                ));
                baseline += NAME_LINE;
            }
            out.push_str("</text>");
            if let Some(note) = &self.notes[index] {
                out.push_str(&format!(
                    "<text class=\"oc-note\" x=\"{centre}\" y=\"{}\" text-anchor=\"middle\" font-size=\"{}\" fill=\"{MUTED}\">{}</text>",
                    baseline - NAME_LINE + NOTE_LINE + 1.0,
                    NOTE_FONT.size,
                    escape(note)
                ));
            }
            out.push_str(close);
        }
        out.push_str("</svg>");
        out
    }

    /// The relation types the chart uses, in legend order.
    pub fn kinds(&self) -> Vec<RelationKind> {
        let mut kinds: Vec<RelationKind> = self.edges.iter().map(|e| e.1).collect();
        kinds.sort();
        kinds.dedup();
        kinds
    }
}

/// A short sample line of a relation type, for the legend.
pub fn legend_sample(kind: RelationKind) -> String {
    let prefix = format!("oc-legenda-{}", kind.key());
    let (start, end) = if style(kind).start.is_some() {
        (6, 54)
    } else {
        (2, 50)
    };
    format!(
        "<svg class=\"oc-sample\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 56 14\" width=\"56\" height=\"14\" aria-hidden=\"true\" focusable=\"false\"><defs>{}</defs><path d=\"M{start},7 H{end}\"{}/></svg>",
        markers(kind, &prefix),
        line_attributes(kind, &prefix)
    )
}

fn markers(kind: RelationKind, prefix: &str) -> String {
    let style = style(kind);
    style
        .start
        .iter()
        .chain(style.end.iter())
        .map(|mark| mark.definition(&marker_id(prefix, kind, *mark), style.colour))
        .collect()
}

fn marker_id(prefix: &str, kind: RelationKind, mark: Mark) -> String {
    format!("{prefix}-{}-{}", kind.key(), mark.name())
}

fn line_attributes(kind: RelationKind, prefix: &str) -> String {
    let style = style(kind);
    let mut attributes = format!(
        " fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"",
        style.colour, style.width
    );
    if let Some(dash) = style.dash {
        attributes.push_str(&format!(" stroke-dasharray=\"{dash}\""));
    }
    if let Some(mark) = style.start {
        attributes.push_str(&format!(
            " marker-start=\"url(#{})\"",
            marker_id(prefix, kind, mark)
        ));
    }
    if let Some(mark) = style.end {
        attributes.push_str(&format!(
            " marker-end=\"url(#{})\"",
            marker_id(prefix, kind, mark)
        ));
    }
    attributes
}

fn path_data(points: &[Point]) -> String {
    let mut d = String::new();
    for (i, p) in points.iter().enumerate() {
        d.push_str(if i == 0 { "M" } else { " L" });
        d.push_str(&format!("{},{}", p.x, p.y));
    }
    d
}
