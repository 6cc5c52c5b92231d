//! Drawing organisation charts: a layered layout ([`layout`]) with edges
//! routed orthogonally (`route`), measured with the font of the page
//! ([`font`]) and drawn as SVG ([`svg`]). It knows the chart model, not
//! the site: the renderer hands it a chart.

pub mod font;
pub mod geometry;
pub mod layout;
mod route;
pub mod svg;
