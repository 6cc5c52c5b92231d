//! How long laying out and drawing a large chart takes: 200 bodies with
//! 400 relations, generated the same way every run. `cargo bench --bench
//! orgchart [-- BODIES RELATIONS]`.

use std::time::{Duration, Instant};
use twn::drawing::svg::{ChartText, lay_out};
use twn::orgchart::synthetic;

fn main() {
    let numbers: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let bodies = numbers.first().copied().unwrap_or(200);
    let relations = numbers.get(1).copied().unwrap_or(400);
    let mut times = Vec::new();
    let mut size = 0;
    let mut drawn_relations = 0;
    for seed in 1..=30u64 {
        let chart = synthetic::chart(bodies, relations, seed);
        let text = ChartText {
            title: "Organogram".into(),
            notes: vec![None; bodies],
            sentences: chart.relations().map(|_| String::new()).collect(),
        };
        let start = Instant::now();
        let svg = lay_out(&chart, &text).svg(&chart, &text, true);
        times.push(start.elapsed());
        size = svg.len();
        drawn_relations = chart.relations().count();
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "organogram van {bodies} organen en {drawn_relations} relaties (30 verschillende): mediaan {:.2} ms, snelste {:.2} ms, traagste {:.2} ms, {} kB SVG",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        size / 1000
    );
}
