//! The shapes a drawing is made of, shared by layout, routing and SVG:
//! points, boxes, edges, and the grid of layers and slots that layout
//! builds and routing reads.

/// Room around the drawing.
pub const MARGIN: f64 = 12.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    pub fn right(&self) -> f64 {
        self.x + self.width
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.height
    }

    /// True if the two share more than a border.
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }

    /// True if `p` lies on the border (within half a pixel).
    pub fn has_on_border(&self, p: Point) -> bool {
        let near = |a: f64, b: f64| (a - b).abs() <= 0.5;
        let within_x = p.x >= self.x - 0.5 && p.x <= self.right() + 0.5;
        let within_y = p.y >= self.y - 0.5 && p.y <= self.bottom() + 0.5;
        ((near(p.y, self.y) || near(p.y, self.bottom())) && within_x)
            || ((near(p.x, self.x) || near(p.x, self.right())) && within_y)
    }

    /// True if the axis-parallel segment from `a` to `b` passes through the
    /// inside of the box (touching the border does not count).
    pub fn cut_by(&self, a: Point, b: Point) -> bool {
        let (x0, x1) = (a.x.min(b.x), a.x.max(b.x));
        let (y0, y1) = (a.y.min(b.y), a.y.max(b.y));
        x0 < self.right() - 0.5
            && x1 > self.x + 0.5
            && y0 < self.bottom() - 0.5
            && y1 > self.y + 0.5
    }
}

/// An edge to draw from box `source` to box `target`.
#[derive(Debug, Clone, Copy)]
pub struct Edge {
    pub source: usize,
    pub target: usize,
    /// A ranking edge puts `source` above `target`.
    pub ranks: bool,
}

#[derive(Debug, Clone)]
pub struct Layout {
    pub boxes: Vec<Rect>,
    /// Per edge, its corners from source to target.
    pub edges: Vec<Vec<Point>>,
    pub width: f64,
    pub height: f64,
}

/// One slot in a layer: a box, or a pass of an edge through the layer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Slot {
    Box(usize),
    Pass,
}

pub struct Grid {
    pub slots: Vec<Slot>,
    pub layer_of: Vec<usize>,
    pub width: Vec<f64>,
    /// Slots in each layer, left to right.
    pub layers: Vec<Vec<usize>>,
    /// Per slot, its neighbours in the layer above and below.
    pub up: Vec<Vec<usize>>,
    pub down: Vec<Vec<usize>>,
    /// Per edge, its slots from the upper end to the lower end.
    pub chains: Vec<Vec<usize>>,
}

/// Which side of a box an edge leaves or enters by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Top,
    Bottom,
}

/// The (box, side) each end of each edge attaches to.
pub fn attachments(grid: &Grid, edge: usize) -> [(usize, Side); 2] {
    let chain = &grid.chains[edge];
    let (first, last) = (chain[0], chain[chain.len() - 1]);
    if grid.layer_of[first] == grid.layer_of[last] {
        [(first, Side::Bottom), (last, Side::Bottom)]
    } else {
        [(first, Side::Bottom), (last, Side::Top)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn box_predicates_tell_border_inside_and_overlap_apart() {
        let b = Rect {
            x: 10.0,
            y: 20.0,
            width: 100.0,
            height: 40.0,
        };
        let p = |x, y| Point { x, y };
        assert!(b.has_on_border(p(50.0, 20.0)) && b.has_on_border(p(110.0, 40.0)));
        assert!(!b.has_on_border(p(50.0, 40.0)) && !b.has_on_border(p(50.0, 70.0)));
        assert!(b.cut_by(p(50.0, 0.0), p(50.0, 100.0)), "straight through");
        assert!(!b.cut_by(p(50.0, 0.0), p(50.0, 20.0)), "ends on the border");
        assert!(
            !b.cut_by(p(0.0, 60.0), p(200.0, 60.0)),
            "runs along the bottom"
        );
        let beside = Rect { x: 110.0, ..b };
        assert!(!b.overlaps(&beside), "sharing a border is no overlap");
        assert!(b.overlaps(&Rect { x: 109.0, ..b }));
    }
}
