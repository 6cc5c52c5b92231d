//! The Twents Waternet chart page in a real headless Chromium, served by
//! `twn serve`: drawn (not blank) on a 360 px phone and a 1280 px screen,
//! every name inside its box in the browser's own fonts, large enough to
//! read on a desktop, fitted to a phone's width with the drawing at full
//! size and the text version a tap away, and the page never wider than the
//! screen.

mod common;
use common::TestSite;
use common::browser::Browser;
use common::server::{start, wait_for};

const PAGE: &str = "/regio/twents-waternet/organisatie/";

/// Where the chart is and how it fits, measured by the browser.
const MEASURE: &str = r#"
const svg = document.querySelector('svg.orgchart');
svg.scrollIntoView({block: 'start'});
const chart = svg.getBoundingClientRect();
const frame = svg.parentElement.getBoundingClientRect();
const outside = [];
for (const body of svg.querySelectorAll('[data-body]')) {
  const box = body.querySelector('rect').getBBox();
  for (const text of body.querySelectorAll('text')) {
    const t = text.getBBox();
    if (t.x < box.x || t.y < box.y || t.x + t.width > box.x + box.width || t.y + t.height > box.y + box.height) {
      outside.push(body.dataset.body);
    }
  }
}
// Font sizes as drawn on the screen: in the drawing's units, times its scale.
const scale = chart.width / svg.viewBox.baseVal.width;
const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
const hint = document.querySelector('.orgchart-hint');
return {
  left: Math.max(chart.left, frame.left), top: Math.max(chart.top, frame.top),
  right: Math.min(chart.right, frame.right), bottom: Math.min(chart.bottom, frame.bottom),
  chart_width: chart.width, boxes: svg.querySelectorAll('rect.oc-box').length,
  outside: outside, smallest_font: Math.min(...sizes),
  page_width: document.documentElement.scrollWidth, viewport: window.innerWidth,
  frame_width: frame.width, hint_shown: hint.offsetParent !== null,
  hint_links: [...hint.querySelectorAll('a')].map(a => a.getAttribute('href')),
};
"#;

#[test]
fn the_twents_waternet_chart_is_drawn_on_a_phone_and_a_desktop_screen() {
    let site = TestSite::example();
    let server = start(&site);
    wait_for(&server, PAGE, 200);
    let mut browser = Browser::start();
    for width in [360u32, 1280] {
        browser.viewport(width, 900);
        browser.open(&format!("http://{}{PAGE}", server.address));
        let m = browser.run(MEASURE);
        assert_eq!(m["boxes"], 5, "{width}px: {m}");
        assert_eq!(
            m["outside"],
            serde_json::json!([]),
            "{width}px: names outside their boxes: {m}"
        );
        let number = |key: &str| m[key].as_f64().unwrap();
        assert!(
            number("chart_width") <= number("frame_width") + 0.5,
            "{width}px: the whole drawing fits its frame, nothing cut off: {m}"
        );
        if width >= 1280 {
            assert!(
                number("smallest_font") >= 15.0,
                "{width}px: names read as body text: {m}"
            );
            assert!(!m["hint_shown"].as_bool().unwrap(), "{m}");
        } else {
            assert!(m["hint_shown"].as_bool().unwrap(), "{width}px: {m}");
            let links = m["hint_links"].as_array().unwrap();
            assert!(
                links[0].as_str().unwrap().ends_with("organogram.svg") && links[1] == "#organen",
                "{width}px: the drawing at full size and the text version: {m}"
            );
        }
        assert!(
            number("page_width") <= number("viewport"),
            "{width}px: the page is never wider than the screen: {m}"
        );
        let (shot_width, _, pixels) = browser.screenshot();
        assert_eq!(shot_width, width);
        let visible = |key: &str| m[key].as_f64().unwrap().max(0.0) as u32;
        let (left, top, right, bottom) = (
            visible("left"),
            visible("top"),
            visible("right"),
            visible("bottom"),
        );
        assert!(
            right > left + 100 && bottom > top + 100,
            "{width}px: chart in view: {m}"
        );
        let mut inked = 0usize;
        let mut box_lines = 0usize;
        let mut total = 0usize;
        for y in top..bottom {
            for x in left..right {
                let i = ((y * shot_width + x) * 4) as usize;
                let Some(&[r, g, b, _]) = pixels.get(i..i + 4) else {
                    continue;
                };
                let [r, g, b] = [r, g, b].map(i32::from);
                total += 1;
                if r + g + b < 600 {
                    inked += 1;
                }
                // The box outline colour, #003d6b.
                if r < 40 && (g - 0x3d).abs() < 40 && (b - 0x6b).abs() < 40 {
                    box_lines += 1;
                }
            }
        }
        let share = inked as f64 / total as f64;
        eprintln!("{width}px: {m} share {share:.3} box_lines {box_lines}");
        assert!(
            share > 0.02 && share < 0.6,
            "{width}px: the chart is drawn, not blank ({share:.3} inked)"
        );
        assert!(
            box_lines > 100,
            "{width}px: box outlines visible ({box_lines} pixels)"
        );
    }
}
