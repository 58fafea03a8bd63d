//! Forecast accuracy as the M5 competition scores it.

/// Root mean squared scaled error: the forecast's mean squared error over the horizon,
/// divided by the mean squared one-step change of the training series counted from its
/// first sale (days before an item was listed do not make it look stable), then rooted.
/// Below 1 beats "tomorrow sells like today" in-sample. `None` when the scale is 0 (the
/// series never changed after its first sale) or nothing can be compared.
pub fn rmsse(train: &[f64], actual: &[f64], forecast: &[f64]) -> Option<f64> {
    let first = train.iter().position(|&x| x != 0.0)?;
    let listed = &train[first..];
    let steps = listed.len().checked_sub(1).filter(|&n| n > 0)?;
    let scale = listed.windows(2).map(|w| (w[1] - w[0]).powi(2)).sum::<f64>() / steps as f64;
    let horizon = actual.len().min(forecast.len());
    if horizon == 0 || !scale.is_finite() || scale <= 0.0 {
        return None;
    }

    let pairs = actual.iter().zip(forecast);
    let mse = pairs.map(|(a, f)| (a - f).powi(2)).sum::<f64>() / horizon as f64;
    Some((mse / scale).sqrt()).filter(|r| r.is_finite())
}
