//! Level models for demand: simple exponential smoothing for items that sell most days, and
//! TSB (Teunter, Syntetos & Babai, 2011) for intermittent items. TSB smooths the chance of
//! a sale every day and the size of a sale on sale days, so an item that stops selling
//! decays toward zero instead of keeping its last rate as Croston's method would.
//!
//! Both pick their smoothing constants from a small grid by in-sample one-step squared
//! error: a grid is robust on short or flat series where a numerical optimiser wanders.
//! A NaN observation is "not informative" (a day the seasonal profile says is closed):
//! the level carries over and no error is counted.

const GRID: [f64; 7] = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5];

/// A fitted level model.
pub(super) struct LevelFit {
    /// Expected demand per period after the last observation.
    pub level: f64,
    /// The largest smoothing constant used: how fast uncertainty grows with the horizon.
    pub alpha: f64,
    /// The one-step-ahead forecast made before each observation.
    pub fitted: Vec<f64>,
}

/// Simple exponential smoothing, started from the mean of the first season.
pub(super) fn smoothed_level(values: &[f64], period: usize) -> LevelFit {
    let start = mean(observed(values).take(period.max(1)));
    let sse = |alpha: f64| run_ses(values, start, alpha, None).1;
    let alpha = argmin(GRID[0], GRID.iter().map(|&a| (a, sse(a))));

    let mut fitted = Vec::with_capacity(values.len());
    let (level, _) = run_ses(values, start, alpha, Some(&mut fitted));
    LevelFit { level, alpha, fitted }
}

/// TSB: the probability of a sale times the size of a sale, each smoothed on its own.
pub(super) fn tsb(values: &[f64], period: usize) -> LevelFit {
    let first = observed(values).take(2 * period.max(1));
    let prob = mean(first.map(|x| if x > 0.0 { 1.0 } else { 0.0 }));
    let size = mean(observed(values).filter(|&x| x > 0.0).take(3));
    let start = Tsb { prob, size };
    let pairs = GRID.iter().flat_map(|&s| GRID.iter().map(move |&p| (s, p)));
    let sse = |(s, p)| run_tsb(values, start, s, p, None).1;
    let (a_size, a_prob) = argmin((GRID[0], GRID[0]), pairs.map(|c| (c, sse(c))));

    let mut fitted = Vec::with_capacity(values.len());
    let (level, _) = run_tsb(values, start, a_size, a_prob, Some(&mut fitted));
    LevelFit { level, alpha: a_size.max(a_prob), fitted }
}

#[derive(Clone, Copy)]
struct Tsb {
    prob: f64,
    size: f64,
}

fn run_ses(
    values: &[f64],
    start: f64,
    alpha: f64,
    mut fitted: Option<&mut Vec<f64>>,
) -> (f64, f64) {
    let (mut level, mut sse) = (start, 0.0);
    for &x in values {
        if let Some(f) = fitted.as_deref_mut() {
            f.push(level);
        }
        if x.is_nan() {
            continue;
        }
        sse += (x - level).powi(2);
        level += alpha * (x - level);
    }
    (level, sse)
}

fn run_tsb(
    values: &[f64],
    start: Tsb,
    a_size: f64,
    a_prob: f64,
    mut fitted: Option<&mut Vec<f64>>,
) -> (f64, f64) {
    let (mut s, mut sse) = (start, 0.0);
    for &x in values {
        let forecast = s.prob * s.size;
        if let Some(f) = fitted.as_deref_mut() {
            f.push(forecast);
        }
        if x.is_nan() {
            continue;
        }
        sse += (x - forecast).powi(2);
        if x > 0.0 {
            s.prob += a_prob * (1.0 - s.prob);
            s.size += a_size * (x - s.size);
        } else {
            s.prob -= a_prob * s.prob;
        }
    }
    (s.prob * s.size, sse)
}

/// The non-NaN observations.
fn observed(values: &[f64]) -> impl Iterator<Item = f64> + '_ {
    values.iter().copied().filter(|x| !x.is_nan())
}

fn mean(xs: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = xs.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    if n == 0 {
        0.0
    } else {
        sum / n as f64
    }
}

/// The candidate with the smallest error; the first one on ties (the smoothest), and
/// `fallback` if no error is a number.
fn argmin<T: Copy>(fallback: T, candidates: impl Iterator<Item = (T, f64)>) -> T {
    let mut best = (fallback, f64::INFINITY);
    for (c, err) in candidates {
        if err < best.1 {
            best = (c, err);
        }
    }
    best.0
}
