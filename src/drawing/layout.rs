//! A layered (Sugiyama-style) layout with orthogonal edges.
//!
//! Ranking edges (the hierarchy) put their source one layer or more above
//! their target; other edges are routed between whatever layers their boxes
//! are in. Edges that skip layers pass through reserved slots in the layers
//! between, so no edge crosses a box. Boxes in a layer are ordered to reduce
//! crossings (barycentre sweeps) and placed as close to their neighbours as
//! order and spacing allow (isotonic regression per layer). Horizontal runs
//! of edges get their own track in the channel between two layers (in
//! `route`).

use super::geometry::{Edge, Grid, Layout, MARGIN, Slot, attachments};

const BOX_GAP: f64 = 48.0;
const SLOT_GAP: f64 = 16.0;
/// Room per edge end along a box side.
const PORT_GAP: f64 = 12.0;
const SWEEPS: usize = 12;
const PLACEMENT_ROUNDS: usize = 6;

/// Lays out boxes of the given `(width, height)` and the edges between them.
pub fn lay_out(sizes: &[(f64, f64)], edges: &[Edge]) -> Layout {
    let layer = assign_layers(sizes.len(), edges);
    let mut grid = build_grid(sizes, edges, &layer);
    order_layers(&mut grid);
    widen_for_ports(&mut grid, edges);
    let left = place_horizontally(&grid);
    super::route::route(&grid, sizes, edges, &left)
}

/// Longest path from the top over ranking edges; a box with only other
/// edges joins the highest layer of its neighbours.
fn assign_layers(count: usize, edges: &[Edge]) -> Vec<usize> {
    let mut layer = vec![0usize; count];
    let mut incoming = vec![0usize; count];
    let mut ranked = vec![false; count];
    for edge in edges.iter().filter(|e| e.ranks && e.source != e.target) {
        incoming[edge.target] += 1;
        ranked[edge.source] = true;
        ranked[edge.target] = true;
    }
    let mut ready: Vec<usize> = (0..count).filter(|&n| incoming[n] == 0).collect();
    ready.reverse();
    while let Some(node) = ready.pop() {
        for edge in edges
            .iter()
            .filter(|e| e.ranks && e.source == node && e.target != node)
        {
            layer[edge.target] = layer[edge.target].max(layer[node] + 1);
            incoming[edge.target] -= 1;
            if incoming[edge.target] == 0 {
                ready.push(edge.target);
            }
        }
    }
    // A top box that only leads to boxes far below moves down to sit just
    // above the highest of them.
    let has_ranking_parent: Vec<bool> = (0..count)
        .map(|n| {
            edges
                .iter()
                .any(|e| e.ranks && e.target == n && e.source != n)
        })
        .collect();
    for node in (0..count).filter(|&n| ranked[n] && !has_ranking_parent[n]) {
        let highest_child = edges
            .iter()
            .filter(|e| e.ranks && e.source == node && e.target != node)
            .map(|e| layer[e.target])
            .min();
        if let Some(child_layer) = highest_child {
            layer[node] = child_layer.saturating_sub(1).max(layer[node]);
        }
    }
    for node in (0..count).filter(|&n| !ranked[n]) {
        let neighbour_layer = edges
            .iter()
            .filter_map(|e| match (e.source == node, e.target == node) {
                (true, false) if ranked[e.target] => Some(layer[e.target]),
                (false, true) if ranked[e.source] => Some(layer[e.source]),
                _ => None,
            })
            .min();
        layer[node] = neighbour_layer.unwrap_or(0);
    }
    layer
}

fn build_grid(sizes: &[(f64, f64)], edges: &[Edge], layer: &[usize]) -> Grid {
    let layer_count = layer.iter().max().map_or(0, |m| m + 1);
    let mut grid = Grid {
        slots: (0..sizes.len()).map(Slot::Box).collect(),
        layer_of: layer.to_vec(),
        width: sizes.iter().map(|s| s.0).collect(),
        layers: vec![Vec::new(); layer_count],
        up: vec![Vec::new(); sizes.len()],
        down: vec![Vec::new(); sizes.len()],
        chains: Vec::with_capacity(edges.len()),
    };
    for edge in edges {
        let (upper, lower) = if layer[edge.source] <= layer[edge.target] {
            (edge.source, edge.target)
        } else {
            (edge.target, edge.source)
        };
        let mut chain = vec![upper];
        for pass_layer in layer[upper] + 1..layer[lower] {
            grid.slots.push(Slot::Pass);
            grid.layer_of.push(pass_layer);
            grid.width.push(0.0);
            grid.up.push(Vec::new());
            grid.down.push(Vec::new());
            chain.push(grid.slots.len() - 1);
        }
        chain.push(lower);
        for pair in chain.windows(2) {
            if grid.layer_of[pair[0]] != grid.layer_of[pair[1]] {
                grid.down[pair[0]].push(pair[1]);
                grid.up[pair[1]].push(pair[0]);
            }
        }
        grid.chains.push(chain);
    }
    // First order: depth first from the top, in the order the boxes came.
    let mut seen = vec![false; grid.slots.len()];
    let mut stack: Vec<usize> = (0..sizes.len()).rev().collect();
    while let Some(slot) = stack.pop() {
        if std::mem::replace(&mut seen[slot], true) {
            continue;
        }
        grid.layers[grid.layer_of[slot]].push(slot);
        stack.extend(grid.down[slot].iter().rev().filter(|&&s| !seen[s]));
    }
    grid
}

/// Barycentre sweeps, keeping the order with the fewest crossings.
fn order_layers(grid: &mut Grid) {
    let mut best = grid.layers.clone();
    let mut best_crossings = crossings(grid);
    for sweep in 0..SWEEPS {
        let downward = sweep % 2 == 0;
        let order: Vec<usize> = if downward {
            (1..grid.layers.len()).collect()
        } else {
            (0..grid.layers.len().saturating_sub(1)).rev().collect()
        };
        for l in order {
            let neighbour_layer = if downward { l - 1 } else { l + 1 };
            let mut position = vec![0.0; grid.slots.len()];
            for (i, &slot) in grid.layers[neighbour_layer].iter().enumerate() {
                position[slot] = i as f64;
            }
            let keys: Vec<(f64, usize)> = grid.layers[l]
                .iter()
                .enumerate()
                .map(|(i, &slot)| {
                    let neighbours = if downward {
                        &grid.up[slot]
                    } else {
                        &grid.down[slot]
                    };
                    let key = if neighbours.is_empty() {
                        // Keep its place relative to the others.
                        i as f64 * (grid.layers[neighbour_layer].len().max(1) as f64)
                            / grid.layers[l].len() as f64
                    } else {
                        neighbours.iter().map(|&n| position[n]).sum::<f64>()
                            / neighbours.len() as f64
                    };
                    (key, slot)
                })
                .collect();
            let mut keyed = keys;
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
            grid.layers[l] = keyed.into_iter().map(|(_, slot)| slot).collect();
        }
        let now = crossings(grid);
        if now < best_crossings {
            best_crossings = now;
            best = grid.layers.clone();
        }
    }
    grid.layers = best;
}

/// Crossings between neighbouring layers, counted as inversions.
fn crossings(grid: &Grid) -> usize {
    let mut position = vec![0usize; grid.slots.len()];
    for layer in &grid.layers {
        for (i, &slot) in layer.iter().enumerate() {
            position[slot] = i;
        }
    }
    let mut total = 0;
    for l in 0..grid.layers.len().saturating_sub(1) {
        let mut pairs: Vec<(usize, usize)> = grid.layers[l]
            .iter()
            .flat_map(|&slot| grid.down[slot].iter().map(move |&lower| (slot, lower)))
            .map(|(upper, lower)| (position[upper], position[lower]))
            .collect();
        pairs.sort_unstable();
        // Fenwick tree over lower positions: for each pair, count the
        // earlier pairs that end further right.
        let size = grid.layers[l + 1].len() + 1;
        let mut tree = vec![0usize; size + 1];
        for (seen, &(_, lower)) in pairs.iter().enumerate() {
            let mut at_or_left = 0;
            let mut i = lower + 1;
            while i > 0 {
                at_or_left += tree[i];
                i -= i & i.wrapping_neg();
            }
            total += seen - at_or_left;
            let mut i = lower + 1;
            while i <= size {
                tree[i] += 1;
                i += i & i.wrapping_neg();
            }
        }
    }
    total
}

fn widen_for_ports(grid: &mut Grid, edges: &[Edge]) {
    let mut count = vec![[0usize; 2]; grid.slots.len()];
    for edge in 0..edges.len() {
        for (slot, side) in attachments(grid, edge) {
            count[slot][side as usize] += 1;
        }
    }
    for (slot, [top, bottom]) in count.into_iter().enumerate() {
        let needed = (top.max(bottom) + 1) as f64 * PORT_GAP;
        grid.width[slot] = grid.width[slot].max(needed);
    }
}

/// Left x of every slot: each layer in turn is pulled towards its
/// neighbours' centres, in order and without overlap.
fn place_horizontally(grid: &Grid) -> Vec<f64> {
    let gap = |a: usize, b: usize| match (grid.slots[a], grid.slots[b]) {
        (Slot::Box(_), Slot::Box(_)) => BOX_GAP,
        _ => SLOT_GAP,
    };
    // Each slot's place with its layer packed from 0: how far it must at
    // least be from the layer's first slot.
    let mut packed = vec![0.0; grid.slots.len()];
    for layer in &grid.layers {
        let mut x = 0.0;
        for (i, &slot) in layer.iter().enumerate() {
            if i > 0 {
                x += gap(layer[i - 1], slot);
            }
            packed[slot] = x;
            x += grid.width[slot];
        }
    }
    let mut left = packed.clone();
    // Centre narrower layers under the widest before pulling.
    let widest = grid
        .layers
        .iter()
        .map(|layer| layer_extent(layer, &left, &grid.width))
        .fold(0.0, f64::max);
    for layer in &grid.layers {
        let shift = (widest - layer_extent(layer, &left, &grid.width)) / 2.0;
        for &slot in layer {
            left[slot] += shift;
        }
    }
    let layer_count = grid.layers.len();
    for round in 0..PLACEMENT_ROUNDS {
        let last = round == PLACEMENT_ROUNDS - 1;
        let order: Vec<(usize, bool)> = if last {
            (0..layer_count).map(|l| (l, true)).collect()
        } else {
            (1..layer_count)
                .map(|l| (l, false))
                .chain((0..layer_count.saturating_sub(1)).rev().map(|l| (l, false)))
                .collect()
        };
        for (position, (l, both)) in order.into_iter().enumerate() {
            let from_above = !both && position < layer_count.saturating_sub(1);
            let layer = &grid.layers[l];
            let mut targets = Vec::with_capacity(layer.len());
            let mut weights = Vec::with_capacity(layer.len());
            for &slot in layer {
                let neighbours: Vec<usize> = if both {
                    grid.up[slot]
                        .iter()
                        .chain(&grid.down[slot])
                        .copied()
                        .collect()
                } else if from_above {
                    grid.up[slot].clone()
                } else {
                    grid.down[slot].clone()
                };
                let (centre, weight) = if neighbours.is_empty() {
                    (left[slot] + grid.width[slot] / 2.0, 0.1)
                } else {
                    let sum: f64 = neighbours
                        .iter()
                        .map(|&n| left[n] + grid.width[n] / 2.0)
                        .sum();
                    let weight = if grid.slots[slot] == Slot::Pass {
                        4.0
                    } else {
                        neighbours.len() as f64
                    };
                    (sum / neighbours.len() as f64, weight)
                };
                targets.push(centre - grid.width[slot] / 2.0 - packed[slot]);
                weights.push(weight);
            }
            let fitted = isotonic(&targets, &weights);
            for (&slot, fit) in layer.iter().zip(fitted) {
                left[slot] = fit + packed[slot];
            }
        }
    }
    let min = left.iter().copied().fold(f64::INFINITY, f64::min);
    let min = if min.is_finite() { min } else { 0.0 };
    for x in &mut left {
        *x = (*x - min + MARGIN).round();
    }
    left
}

fn layer_extent(layer: &[usize], left: &[f64], width: &[f64]) -> f64 {
    match (layer.first(), layer.last()) {
        (Some(&first), Some(&last)) => left[last] + width[last] - left[first],
        _ => 0.0,
    }
}

/// The non-decreasing sequence closest to `targets` in weighted least
/// squares (pool adjacent violators).
fn isotonic(targets: &[f64], weights: &[f64]) -> Vec<f64> {
    // (total weight, weighted sum, count) per block.
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(targets.len());
    for (&target, &weight) in targets.iter().zip(weights) {
        blocks.push((weight, weight * target, 1));
        while blocks.len() > 1 {
            let (w2, s2, c2) = blocks[blocks.len() - 1];
            let (w1, s1, c1) = blocks[blocks.len() - 2];
            if s1 / w1 <= s2 / w2 {
                break;
            }
            blocks.pop();
            *blocks.last_mut().expect("two blocks") = (w1 + w2, s1 + s2, c1 + c2);
        }
    }
    blocks
        .into_iter()
        .flat_map(|(w, s, c)| std::iter::repeat_n(s / w, c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isotonic_pools_what_is_out_of_order() {
        let fitted = isotonic(&[1.0, 3.0, 2.0, 4.0], &[1.0; 4]);
        assert_eq!(fitted, [1.0, 2.5, 2.5, 4.0]);
    }

    #[test]
    fn a_chain_of_command_goes_down_and_a_report_goes_up() {
        let sizes = [(100.0, 40.0); 3];
        let edges = [
            Edge {
                source: 0,
                target: 1,
                ranks: true,
            },
            Edge {
                source: 1,
                target: 2,
                ranks: true,
            },
            Edge {
                source: 2,
                target: 0,
                ranks: false,
            },
        ];
        let layout = lay_out(&sizes, &edges);
        assert!(layout.boxes[0].bottom() < layout.boxes[1].y);
        assert!(layout.boxes[1].bottom() < layout.boxes[2].y);
        let report = &layout.edges[2];
        assert!(layout.boxes[2].has_on_border(report[0]));
        assert!(layout.boxes[0].has_on_border(*report.last().unwrap()));
        for pair in report.windows(2) {
            assert!(!layout.boxes[1].cut_by(pair[0], pair[1]), "{report:?}");
        }
    }
}
