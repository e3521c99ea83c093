//! Line charts drawn on the server as SVG: no script, no library, readable in any
//! browser and by a screen reader (the chart has a title and a description that
//! says what it shows; the numbers are in the CSV download).

use std::fmt::Write as _;

use maud::{html, Markup};

/// The colours of the series, in order; chosen to stay apart for the common forms of
/// colour blindness (Okabe–Ito).
pub const COLOURS: [&str; 6] = [
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9",
];

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 280.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 40.0;
/// Most week labels on the x axis; more would overlap.
const X_LABELS: usize = 6;

/// One line of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// What it counts, for the legend.
    pub label: String,
    /// One value per x label.
    pub values: Vec<f64>,
}

/// A line chart.
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart<'a> {
    /// An id unique on the page (for the title and description).
    pub id: &'a str,
    /// The accessible title: what the chart shows.
    pub title: &'a str,
    /// The label of each point on the x axis (weeks).
    pub x_labels: &'a [String],
    /// The y axis's unit, for the description (`events`).
    pub unit: &'a str,
    /// Whether values are shares, shown as percentages.
    pub percent: bool,
    /// The lines.
    pub series: &'a [Series],
}

impl LineChart<'_> {
    /// The chart as an inline `<svg>` followed by its legend; a short note instead
    /// when there is nothing to draw.
    ///
    /// SVG elements are written with end tags (`<line …></line>`): inside `<svg>` an
    /// HTML parser does not close a start tag on its own.
    pub fn render(&self) -> Markup {
        let points = self.x_labels.len();
        if points == 0 || self.series.is_empty() {
            return html! { p class="empty" { "Nothing to chart yet." } };
        }
        let max = self
            .series
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .filter(|v| v.is_finite())
            .fold(0.0_f64, f64::max);
        let (top, step) = nice_axis(max, self.percent);
        let plot_w = WIDTH - LEFT - RIGHT;
        let plot_h = HEIGHT - TOP - BOTTOM;
        let x = |i: usize| {
            if points == 1 {
                LEFT + plot_w / 2.0
            } else {
                LEFT + plot_w * i as f64 / (points - 1) as f64
            }
        };
        let y = |v: f64| TOP + plot_h * (1.0 - (v.max(0.0) / top).min(1.0));
        let ticks = std::iter::successors(Some(0.0), |tick| Some(tick + step))
            .take_while(|tick| *tick <= top + step / 2.0);
        let id = self.id;
        html! {
            figure class="chart" {
                svg viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } role="img"
                    aria-labelledby={ (id) "-title " (id) "-desc" }
                    xmlns="http://www.w3.org/2000/svg" font-size="11"
                    font-family="system-ui, sans-serif" {
                    title id={ (id) "-title" } { (self.title) }
                    desc id={ (id) "-desc" } { (self.description()) }
                    // Horizontal grid lines and the y axis's labels.
                    @for tick in ticks {
                        line class="grid" x1=(LEFT) x2=(fixed(WIDTH - RIGHT))
                            y1=(fixed(y(tick))) y2=(fixed(y(tick))) stroke="#ddd" {}
                        text x=(fixed(LEFT - 6.0)) y=(fixed(y(tick) + 4.0)) text-anchor="end"
                            fill="#555" { (self.format(tick)) }
                    }
                    line class="axis" x1=(LEFT) x2=(fixed(WIDTH - RIGHT))
                        y1=(fixed(TOP + plot_h)) y2=(fixed(TOP + plot_h)) stroke="#555" {}
                    @for i in label_positions(points) {
                        text x=(fixed(x(i))) y=(fixed(TOP + plot_h + 18.0)) text-anchor="middle"
                            fill="#555" { (self.x_labels[i]) }
                    }
                    @for (n, series) in self.series.iter().enumerate() {
                        @let coordinates: Vec<String> = series
                            .values
                            .iter()
                            .take(points)
                            .enumerate()
                            .map(|(i, &v)| {
                                format!("{},{}", fixed(x(i)), fixed(y(if v.is_finite() { v } else { 0.0 })))
                            })
                            .collect();
                        polyline class={ "series s" (n) } fill="none"
                            stroke=(COLOURS[n % COLOURS.len()]) stroke-width="2"
                            stroke-linejoin="round" points=(coordinates.join(" ")) {
                            title { (series.label) }
                        }
                    }
                }
                figcaption {
                    ul class="legend" {
                        @for (n, series) in self.series.iter().enumerate() {
                            // A class, not a `style` attribute: the pages' CSP allows no
                            // inline style.
                            li { span class={ "swatch c" (n % COLOURS.len()) } {} (series.label) }
                        }
                    }
                }
            }
        }
    }

    /// What a screen reader hears: the span, and each series' total and peak.
    fn description(&self) -> String {
        let first = &self.x_labels[0];
        let last = &self.x_labels[self.x_labels.len() - 1];
        let mut text = format!("{} per week from {first} to {last}.", self.unit);
        for series in self.series {
            let peak = series
                .values
                .iter()
                .enumerate()
                .filter(|(_, v)| v.is_finite())
                .max_by(|a, b| a.1.total_cmp(b.1));
            match peak {
                Some((i, &v)) if v > 0.0 => {
                    let _ = write!(
                        text,
                        " {}: highest {} in {}.",
                        series.label,
                        self.format(v),
                        self.x_labels.get(i).map_or("", String::as_str)
                    );
                }
                _ => {
                    let _ = write!(text, " {}: none.", series.label);
                }
            }
        }
        text
    }

    fn format(&self, value: f64) -> String {
        if self.percent {
            let percent = value * 100.0;
            if percent.fract().abs() < 1e-9 {
                format!("{percent:.0}%")
            } else {
                format!("{percent:.1}%")
            }
        } else if value.fract().abs() < 1e-9 {
            format!("{value:.0}")
        } else {
            format!("{value:.1}")
        }
    }
}

/// A coordinate as the SVG's attributes write it: one decimal.
fn fixed(value: f64) -> String {
    format!("{value:.1}")
}

/// The top of the y axis and the step between its labels: a round step (1, 2 or 5
/// times a power of ten) giving at most five steps. Counts never step below 1.
fn nice_axis(max: f64, percent: bool) -> (f64, f64) {
    let floor = if percent { 0.01 } else { 1.0 };
    let max = max.max(floor);
    let raw = max / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|&s| s >= raw)
        .unwrap_or(10.0 * magnitude);
    let step = if percent { step } else { step.max(1.0).round() };
    ((max / step).ceil() * step, step)
}

/// Which of `points` x positions get a label: the first, the last, and evenly
/// between, at most [`X_LABELS`].
fn label_positions(points: usize) -> Vec<usize> {
    if points <= X_LABELS {
        return (0..points).collect();
    }
    let mut positions: Vec<usize> = (0..X_LABELS)
        .map(|k| ((points - 1) as f64 * k as f64 / (X_LABELS - 1) as f64).round() as usize)
        .collect();
    positions.dedup();
    positions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stylesheet_gives_each_legend_swatch_its_line_colour() {
        let css = include_str!("../../assets/style.css");
        for (n, colour) in COLOURS.iter().enumerate() {
            let rule = format!(".swatch.c{n} {{ background: {colour}; }}");
            assert!(css.contains(&rule), "style.css lacks {rule}");
        }
    }

    fn weeks(n: usize) -> Vec<String> {
        (1..=n).map(|w| format!("2026-W{w:02}")).collect()
    }

    #[test]
    fn a_series_becomes_a_polyline_with_axes_and_a_title() {
        let labels = weeks(4);
        let series = [Series {
            label: "term \"<memory>\"".into(),
            values: vec![0.0, 2.0, 4.0, 1.0],
        }];
        let svg = LineChart {
            id: "c1",
            title: "Events per week",
            x_labels: &labels,
            unit: "events",
            percent: false,
            series: &series,
        }
        .render()
        .into_string();
        assert!(svg.contains("role=\"img\" aria-labelledby=\"c1-title c1-desc\""));
        assert!(svg.contains("<title id=\"c1-title\">Events per week</title>"));
        assert!(svg.contains("highest 4 in 2026-W03."), "{svg}");
        // x spans the plot; y = 4 is the top of the axis, 0 its bottom.
        assert!(
            svg.contains("points=\"48.0,240.0 266.7,126.0 485.3,12.0 704.0,183.0\""),
            "{svg}"
        );
        assert!(svg.contains("&quot;&lt;memory&gt;&quot;"));
        assert!(!svg.contains("<memory>"));
        assert_eq!(svg.matches("<polyline").count(), 1);
        assert!(svg.contains(">2026-W01</text>") && svg.contains(">2026-W04</text>"));
    }

    #[test]
    fn shares_are_percentages_and_axes_are_round() {
        assert_eq!(nice_axis(4.0, false), (4.0, 1.0));
        assert_eq!(nice_axis(37.0, false), (40.0, 10.0));
        assert_eq!(nice_axis(0.0, false), (1.0, 1.0));
        let (top, step) = nice_axis(0.23, true);
        assert!(
            (top - 0.25).abs() < 1e-9 && (step - 0.05).abs() < 1e-9,
            "{top} {step}"
        );
        let labels = weeks(2);
        let series = [Series {
            label: "a".into(),
            values: vec![0.1, 0.25],
        }];
        let chart = LineChart {
            id: "c",
            title: "t",
            x_labels: &labels,
            unit: "share of events",
            percent: true,
            series: &series,
        };
        assert!(chart.render().into_string().contains(">25%</text>"));
        assert_eq!(label_positions(104), vec![0, 21, 41, 62, 82, 103]);
    }

    #[test]
    fn nothing_to_draw_is_said() {
        let chart = LineChart {
            id: "c",
            title: "t",
            x_labels: &[],
            unit: "events",
            percent: false,
            series: &[],
        };
        assert!(chart
            .render()
            .into_string()
            .contains("Nothing to chart yet."));
    }
}
