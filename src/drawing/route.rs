//! Routing the edges of a laid-out chart: ports spread along each box side,
//! a track per horizontal run in the channel between two layers, and the
//! corners of every edge from its source box to its target box.

use super::geometry::{Edge, Grid, Layout, MARGIN, Point, Rect, Slot, attachments};

const TRACK_GAP: f64 = 12.0;
const MIN_CHANNEL: f64 = 64.0;
/// Horizontal runs on one track keep at least this much apart.
const RUN_GAP: f64 = 8.0;

/// Places the layers one under another and draws every edge.
pub(super) fn route(grid: &Grid, sizes: &[(f64, f64)], edges: &[Edge], left: &[f64]) -> Layout {
    let layer_count = grid.layers.len();
    let centre = |slot: usize| left[slot] + grid.width[slot] / 2.0;

    // Ports: the ends on one side of a box spread along it, ordered by
    // where the edge goes next so they do not cross at the box.
    let mut ends: Vec<Vec<(usize, usize, f64)>> = vec![Vec::new(); sizes.len() * 2];
    for edge in 0..edges.len() {
        let chain = &grid.chains[edge];
        for (end, (slot, side)) in attachments(grid, edge).into_iter().enumerate() {
            let next = if end == 0 {
                chain[1]
            } else {
                chain[chain.len() - 2]
            };
            ends[slot * 2 + side as usize].push((edge, end, centre(next)));
        }
    }
    let mut port_x = vec![[0.0f64; 2]; edges.len()];
    for (key, list) in ends.iter_mut().enumerate() {
        let slot = key / 2;
        list.sort_by(|a, b| a.2.total_cmp(&b.2).then(a.0.cmp(&b.0)));
        let step = grid.width[slot] / (list.len() + 1) as f64;
        for (k, &(edge, end, _)) in list.iter().enumerate() {
            port_x[edge][end] = (left[slot] + step * (k + 1) as f64).round();
        }
    }
    // Where each edge crosses each channel: (channel, from x, to x).
    let x_at = |edge: usize, index: usize| {
        let chain = &grid.chains[edge];
        if index == 0 {
            port_x[edge][0]
        } else if index == chain.len() - 1 {
            port_x[edge][1]
        } else {
            centre(chain[index]).round()
        }
    };
    let mut runs: Vec<Vec<(usize, usize, f64, f64)>> = vec![Vec::new(); layer_count];
    for (edge, chain) in grid.chains.iter().enumerate() {
        for (index, &slot) in chain[..chain.len() - 1].iter().enumerate() {
            let (a, b) = (x_at(edge, index), x_at(edge, index + 1));
            runs[grid.layer_of[slot]].push((edge, index, a, b));
        }
    }
    // Tracks: runs that overlap get different ones; straight runs none.
    let mut track = vec![Vec::new(); edges.len()];
    for (edge, chain) in grid.chains.iter().enumerate() {
        track[edge] = vec![0usize; chain.len()];
    }
    let mut tracks_in = vec![0usize; layer_count];
    for (channel, list) in runs.iter().enumerate() {
        let bent: Vec<Run> = list
            .iter()
            .filter(|&&(_, _, a, b)| (a - b).abs() >= 0.5)
            .map(|&(edge, index, a, b)| {
                let chain = &grid.chains[edge];
                let same_layer = grid.layer_of[chain[0]] == grid.layer_of[chain[chain.len() - 1]];
                Run {
                    edge,
                    index,
                    from_above: if same_layer { vec![a, b] } else { vec![a] },
                    to_below: if same_layer { None } else { Some(b) },
                    lo: a.min(b),
                    hi: a.max(b),
                }
            })
            .collect();
        let assigned = assign_tracks(&bent);
        for (run, t) in bent.iter().zip(&assigned) {
            track[run.edge][run.index] = *t;
        }
        tracks_in[channel] = assigned.iter().map(|t| t + 1).max().unwrap_or(0);
    }
    // Vertical placement: each layer as tall as its tallest box, then its
    // channel.
    let mut layer_top = vec![0.0; layer_count];
    let mut channel_top = vec![0.0; layer_count];
    let mut channel_height = vec![0.0; layer_count];
    let mut y = MARGIN;
    for l in 0..layer_count {
        layer_top[l] = y;
        let tallest = grid.layers[l]
            .iter()
            .filter_map(|&slot| match grid.slots[slot] {
                Slot::Box(b) => Some(sizes[b].1),
                Slot::Pass => None,
            })
            .fold(0.0, f64::max);
        y += tallest;
        channel_top[l] = y;
        let needed = (tracks_in[l] + 1) as f64 * TRACK_GAP;
        let last = l + 1 == layer_count;
        channel_height[l] = if last && tracks_in[l] == 0 {
            0.0
        } else {
            needed.max(MIN_CHANNEL)
        };
        y += channel_height[l];
    }
    let track_y = |channel: usize, t: usize| {
        let count = tracks_in[channel].max(1);
        (channel_top[channel] + channel_height[channel] * (t + 1) as f64 / (count + 1) as f64)
            .round()
    };
    let boxes: Vec<Rect> = (0..sizes.len())
        .map(|b| Rect {
            x: left[b],
            y: layer_top[grid.layer_of[b]],
            width: grid.width[b],
            height: sizes[b].1,
        })
        .collect();
    let mut paths = Vec::with_capacity(edges.len());
    for (edge, chain) in grid.chains.iter().enumerate() {
        let (first, last) = (chain[0], chain[chain.len() - 1]);
        let mut points = vec![Point {
            x: port_x[edge][0],
            y: boxes[first].bottom(),
        }];
        for index in 0..chain.len() - 1 {
            let channel = grid.layer_of[chain[index]];
            let (a, b) = (x_at(edge, index), x_at(edge, index + 1));
            if (a - b).abs() >= 0.5 {
                let ty = track_y(channel, track[edge][index]);
                points.push(Point { x: a, y: ty });
                points.push(Point { x: b, y: ty });
            }
        }
        let same_layer = grid.layer_of[first] == grid.layer_of[last];
        points.push(Point {
            x: port_x[edge][1],
            y: if same_layer {
                boxes[last].bottom()
            } else {
                boxes[last].y
            },
        });
        let mut points = simplify(points);
        if edges[edge].source != first {
            points.reverse();
        }
        paths.push(points);
    }
    let width = left
        .iter()
        .zip(&grid.width)
        .map(|(x, w)| x + w)
        .fold(0.0, f64::max)
        + MARGIN;
    Layout {
        boxes,
        edges: paths,
        width: width.ceil(),
        height: (y + MARGIN).ceil(),
    }
}

/// A horizontal run of an edge through a channel, between the legs that
/// come down into it from above and the one that goes on below.
struct Run {
    edge: usize,
    index: usize,
    from_above: Vec<f64>,
    to_below: Option<f64>,
    lo: f64,
    hi: f64,
}

/// Tracks for the runs of one channel, from the top (0). A run must lie
/// above another whose span its downward leg would cross, and below one
/// whose span its upward leg would cross (the vertical constraints of
/// channel routing); runs then take the highest free track that keeps to
/// that, so fans of edges do not cross themselves.
fn assign_tracks(runs: &[Run]) -> Vec<usize> {
    let spans = |run: &Run, x: f64| run.lo < x && x < run.hi;
    // above[i] lists the runs that must lie above run i.
    let mut above: Vec<Vec<usize>> = vec![Vec::new(); runs.len()];
    for (i, a) in runs.iter().enumerate() {
        for (j, b) in runs.iter().enumerate() {
            if i == j {
                continue;
            }
            // a's leg from above passes b's track: a goes above b.
            let a_over_b = a.from_above.iter().any(|&x| spans(b, x))
                || b.to_below.is_some_and(|x| spans(a, x));
            if a_over_b {
                above[j].push(i);
            }
        }
    }
    let mut waiting: Vec<usize> = (0..runs.len()).map(|j| above[j].len()).collect();
    let mut placed = vec![false; runs.len()];
    let mut track: Vec<usize> = vec![0; runs.len()];
    let mut taken: Vec<Vec<(f64, f64)>> = Vec::new();
    for _ in 0..runs.len() {
        // The next run whose required upper runs are all placed; in a cycle
        // of constraints, the one with the fewest missing.
        let next = (0..runs.len())
            .filter(|&j| !placed[j])
            .min_by(|&p, &q| {
                waiting[p]
                    .cmp(&waiting[q])
                    .then(runs[p].lo.total_cmp(&runs[q].lo))
            })
            .expect("a run is left");
        let lowest = above[next]
            .iter()
            .filter(|&&i| placed[i])
            .map(|&i| track[i] + 1)
            .max()
            .unwrap_or(0);
        let run = &runs[next];
        let fits = |list: &Vec<(f64, f64)>| {
            list.iter()
                .all(|&(lo, hi)| hi + RUN_GAP <= run.lo || run.hi + RUN_GAP <= lo)
        };
        let t = (lowest..)
            .find(|&t| taken.get(t).is_none_or(fits))
            .expect("some track is free");
        if taken.len() <= t {
            taken.resize(t + 1, Vec::new());
        }
        taken[t].push((run.lo, run.hi));
        track[next] = t;
        placed[next] = true;
        for (j, list) in above.iter().enumerate() {
            if list.contains(&next) {
                waiting[j] -= 1;
            }
        }
    }
    track
}

/// Drops repeated points and corners that are not corners.
fn simplify(points: Vec<Point>) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(points.len());
    for p in points {
        if out.last() == Some(&p) {
            continue;
        }
        if out.len() >= 2 {
            let a = out[out.len() - 2];
            let b = out[out.len() - 1];
            let straight = (a.x == b.x && b.x == p.x) || (a.y == b.y && b.y == p.y);
            if straight {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}
