//! Generated charts of any size, for the layout's tests and benchmark: a
//! hierarchy without cycles plus other relations between any two bodies.

use super::{Body, OrgChart, Relation, RelationKind};
use crate::ids::{Id, PageId};

/// A small deterministic generator (xorshift), so a seed gives one chart.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const WORDS: [&str; 12] = [
    "Bestuurlijk",
    "platform",
    "Ambtelijke",
    "adviesgroep",
    "werkplaats",
    "regionaal",
    "overleg",
    "kernteam",
    "Afvalwaterketensamenwerking",
    "cluster",
    "stuurgroep",
    "Noord",
];

/// A chart of `bodies` bodies with about `relations` relations, of which
/// about half are hierarchy relations.
pub fn chart(bodies: usize, relations: usize, seed: u64) -> OrgChart {
    let mut random = Random(seed.wrapping_mul(2_654_435_761).max(1));
    let mut list: Vec<Body> = (0..bodies)
        .map(|i| {
            let words = 1 + random.below(4);
            let name: Vec<&str> = (0..words)
                .map(|_| WORDS[random.below(WORDS.len())])
                .collect();
            Body {
                id: format!("orgaan-{i}"),
                name: format!("{} {i}", name.join(" ")),
                ..Body::default()
            }
        })
        .collect();
    if bodies < 2 {
        return OrgChart {
            page: PageId::from_row(0),
            bodies: list,
        };
    }
    let mut made = 0;
    let mut attempts = 0;
    while made < relations && attempts < relations * 20 {
        attempts += 1;
        let a = random.below(bodies);
        let b = random.below(bodies);
        if a == b {
            continue;
        }
        let (upper, lower) = (a.min(b), a.max(b));
        // Hierarchy only downward in index order, so it has no cycle.
        let (from, kind, to) = match random.below(6) {
            0 | 1 => (upper, RelationKind::StuurtAan, lower),
            2 => (lower, RelationKind::OnderdeelVan, upper),
            3 => (a, RelationKind::RapporteertAan, b),
            4 => (a, RelationKind::Adviseert, b),
            _ => (a, RelationKind::Ondersteunt, b),
        };
        if list[from]
            .relations
            .iter()
            .any(|r| r.kind == kind && r.to == to)
        {
            continue;
        }
        list[from].relations.push(Relation { kind, to });
        made += 1;
    }
    OrgChart {
        page: PageId::from_row(0),
        bodies: list,
    }
}
