//! Event uplift: how much more (or less) an item sells on flagged days (a promotion, a
//! holiday, SNAP benefit days) than its smoothed, seasonal baseline says. The uplift is
//! one multiplier per item, estimated from the last two years of history and shrunk toward
//! 1 as if two extra weeks of ordinary days had been seen, so a few lucky event days do
//! not make a rule.

use super::{profile, smoothing};

/// Recent days the uplift is estimated from.
const WINDOW: usize = 728;
/// Prior strength: this many days' worth of baseline demand at uplift 1.
const PRIOR_DAYS: f64 = 14.0;
/// Fitting and uplift depend on each other; a few rounds settle them.
const ROUNDS: usize = 3;
const BOUNDS: (f64, f64) = (0.1, 10.0);

/// The multiplier for flagged days; 1 when no day in the window is flagged.
pub(super) fn uplift(values: &[f64], start: usize, period: usize, flags: &[bool]) -> f64 {
    let first = values.len().saturating_sub(WINDOW);
    if !flags[first..].contains(&true) {
        return 1.0;
    }
    let mut lift = 1.0;
    for _ in 0..ROUNDS {
        let plain = deflate(values, flags, lift);
        let index = profile::seasonal_index(&plain, start, period);
        let level = profile::deseasonalise(&plain, start, &index);
        let fit = smoothing::smoothed_level(&level, period);
        let baseline = |j: usize| fit.fitted[j] * index[(start + j) % period];

        let days = first..values.len();
        let prior = PRIOR_DAYS * days.clone().map(baseline).sum::<f64>() / days.len() as f64;
        let flagged = days.filter(|&j| flags[j]);
        let (sold, expected) =
            flagged.fold((0.0, 0.0), |(s, e), j| (s + values[j], e + baseline(j)));
        if expected + prior <= 0.0 {
            return 1.0;
        }
        lift = ((sold + prior) / (expected + prior)).clamp(BOUNDS.0, BOUNDS.1);
    }
    lift
}

/// The history as if no day had been flagged.
pub(super) fn deflate(values: &[f64], flags: &[bool], lift: f64) -> Vec<f64> {
    values.iter().zip(flags).map(|(x, &f)| if f { x / lift } else { *x }).collect()
}
