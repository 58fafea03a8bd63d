//! The seasonal profile: how much each phase of the season (day of week, month of year)
//! sells relative to the average, shrunk toward a flat profile by how far the phase means
//! differ beyond what noise alone would give (an empirical-Bayes weight). A slow seller's
//! noisy Tuesday therefore stays close to 1, while a clear Saturday peak is kept whole.

/// Phases selling below this share of the average are treated as closed: their days say
/// nothing about the level, so deseasonalising skips them instead of dividing by ~0.
const CLOSED: f64 = 0.05;

/// The most recent stretch the profile is estimated from: about a year of days, or at
/// least four seasons, so the profile follows recent habits.
pub(super) fn window(period: usize) -> usize {
    (4 * period).max(364)
}

/// A multiplicative index per phase, averaging 1; `values[j]` has phase
/// `(start + j) % period`. Flat when fewer than two whole seasons are known.
pub(super) fn seasonal_index(values: &[f64], start: usize, period: usize) -> Vec<f64> {
    let flat = vec![1.0; period];
    let len = values.len().min(window(period)) / period * period;
    if period < 2 || len < 2 * period {
        return flat;
    }
    let first = values.len() - len;
    let phase = |j: usize| (start + first + j) % period;
    let recent = &values[first..];

    let mut sums = vec![0.0; period];
    for (j, x) in recent.iter().enumerate() {
        sums[phase(j)] += x;
    }
    let per_phase = (len / period) as f64;
    let means: Vec<f64> = sums.iter().map(|s| s / per_phase).collect();
    let overall = means.iter().sum::<f64>() / period as f64;
    if overall <= 0.0 {
        return flat;
    }
    let within = recent.iter().enumerate().map(|(j, x)| (x - means[phase(j)]).powi(2));
    let noise = within.sum::<f64>() / (len - period) as f64 / per_phase;
    let between = means.iter().map(|m| (m - overall).powi(2)).sum::<f64>() / (period - 1) as f64;
    let signal = (between - noise).max(0.0);
    let weight = if signal > 0.0 { signal / (signal + noise) } else { 0.0 };

    means.iter().map(|m| 1.0 + weight * (m / overall - 1.0)).collect()
}

/// The values with the season taken out; days of closed phases become NaN (skipped).
pub(super) fn deseasonalise(values: &[f64], start: usize, index: &[f64]) -> Vec<f64> {
    let period = index.len();
    let at = |j: usize| index[(start + j) % period];
    values
        .iter()
        .enumerate()
        .map(|(j, x)| if at(j) < CLOSED { f64::NAN } else { x / at(j) })
        .collect()
}
