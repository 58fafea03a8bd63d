use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[test]
fn a_constant_series_is_forecast_as_that_constant_with_no_spread() {
    let f = forecast(&[4.0; 200], 14);

    assert!(f.mean.iter().all(|&m| close(m, 4.0)), "{:?}", f.mean);
    assert!(close(f.daily_sd, 0.0));
    assert_eq!(f.lower, f.mean);
    assert_eq!(f.upper, f.mean);
}

#[test]
fn a_pure_weekly_pattern_is_reproduced_on_the_right_weekdays() {
    let week = [0.0, 0.0, 5.0, 5.0, 6.0, 10.0, 12.0];
    // 143 days: the history ends mid-week, so the horizon starts on pattern day 3.
    let history: Vec<f64> = (0..143).map(|d| week[d % 7]).collect();

    let f = forecast(&history, 14);

    let expected: Vec<f64> = (143..157).map(|d| week[d % 7]).collect();
    assert!(f.mean.iter().zip(&expected).all(|(m, e)| close(*m, *e)), "{:?}", f.mean);
}

#[test]
fn a_pure_yearly_pattern_is_reproduced_month_by_month() {
    let year = [3.0, 2.0, 4.0, 5.0, 7.0, 9.0, 9.0, 8.0, 6.0, 5.0, 8.0, 12.0];
    let history: Vec<f64> = (0..58).map(|m| year[m % 12]).collect();

    let f = forecast_periodic(&history, 12, 6);

    let expected: Vec<f64> = (58..64).map(|m| year[m % 12]).collect();
    assert!(f.mean.iter().zip(&expected).all(|(m, e)| close(*m, *e)), "{:?}", f.mean);
}

#[test]
fn an_intermittent_series_gets_a_flat_positive_rate_near_its_mean() {
    let mut rng = StdRng::seed_from_u64(7);
    let history: Vec<f64> = (0..730)
        .map(|_| if rng.random_bool(0.2) { rng.random_range(1..=3) as f64 } else { 0.0 })
        .collect();
    let average = history.iter().sum::<f64>() / history.len() as f64;

    let f = forecast(&history, 28);

    assert_eq!(f.method, Method::Tsb);
    let (low, high) = f.mean.iter().fold((f64::MAX, 0.0_f64), |(l, h), &m| (l.min(m), h.max(m)));
    assert!(low > 0.0 && high / low < 1.2, "not flat: {:?}", f.mean);
    assert!((low / average - 1.0).abs() < 0.25, "{low} vs mean {average}");
    assert!(f.lower.iter().all(|&l| l == 0.0), "a zero day is always likely");
}

#[test]
fn empty_or_all_zero_history_forecasts_no_demand() {
    for history in [&[][..], &[0.0; 90][..], &[-2.0, f64::NAN, 0.0][..]] {
        let f = forecast(history, 7);

        assert_eq!(f.method, Method::NoDemand);
        assert_eq!(f.mean, vec![0.0; 7]);
        assert_eq!(f.upper, vec![0.0; 7]);
        assert_eq!(f.daily_sd, 0.0);
    }
}

#[test]
fn a_single_sale_gives_a_positive_forecast_with_a_band_as_wide_as_its_level() {
    let f = forecast(&[3.0], 7);

    assert!(f.mean.iter().all(|&m| close(m, 3.0)));
    assert!(close(f.daily_sd, 3.0));
    assert!(f.upper.iter().zip(&f.mean).all(|(u, m)| u > m));
}

#[test]
fn the_band_holds_about_four_days_in_five() {
    let (mut inside, mut days) = (0, 0);
    for seed in 0..30 {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut day = || (0..10).filter(|_| rng.random_bool(0.5)).count() as f64;
        let history: Vec<f64> = (0..365).map(|_| day()).collect();
        let future: Vec<f64> = (0..28).map(|_| day()).collect();

        let f = forecast(&history, 28);

        days += future.len();
        inside += (0..28).filter(|&k| (f.lower[k]..=f.upper[k]).contains(&future[k])).count();
    }
    let share = inside as f64 / days as f64;
    assert!((0.7..0.95).contains(&share), "{share}");
}

#[test]
fn an_uplift_learned_from_past_events_is_applied_on_future_event_days() {
    let event = |d: usize| d.is_multiple_of(10);
    let history: Vec<f64> = (0..400).map(|d| if event(d) { 20.0 } else { 10.0 }).collect();
    let flags: Vec<bool> = (0..420).map(event).collect();

    let f = forecast_with_events(&history, 20, &flags);

    let (on_event, ordinary) = (f.mean[0], f.mean[1]);
    assert!((ordinary / 10.0 - 1.0).abs() < 0.05, "{ordinary}");
    assert!(on_event > 1.5 * ordinary, "{on_event} vs {ordinary}");
    assert!(close(f.mean[10], on_event));
}

#[test]
fn huge_quantities_stay_finite() {
    let history = [f64::MAX, 0.0, 1e308, f64::MAX, 5.0, f64::MAX, 1e300, f64::MAX];

    let f = forecast(&history, 10);

    assert!(f.mean.iter().chain(&f.upper).all(|x| x.is_finite() && *x > 0.0));
    assert!(f.daily_sd.is_finite());
}

#[test]
fn a_season_longer_than_the_history_gives_a_flat_forecast() {
    let f = forecast_periodic(&[2.0, 4.0, 3.0], usize::MAX, 4);

    assert!(f.mean.iter().all(|&m| close(m, f.mean[0]) && m > 0.0), "{:?}", f.mean);
}

#[test]
fn seasonal_naive_repeats_the_last_week() {
    let history: Vec<f64> = (1..=10).map(f64::from).collect();

    assert_eq!(seasonal_naive(&history, 7, 9), [4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 4.0, 5.0]);
    assert_eq!(seasonal_naive(&[], 7, 2), [0.0, 0.0]);
}

#[test]
fn rmsse_matches_a_hand_computed_case() {
    // From the first sale: 1, 3, 2; steps +2, -1; scale (4 + 1) / 2 = 2.5.
    // Errors 0 and 3: mean squared error 4.5; 4.5 / 2.5 = 1.8.
    let r = rmsse(&[0.0, 0.0, 1.0, 3.0, 2.0], &[2.0, 4.0], &[2.0, 1.0]);

    assert!(r.is_some_and(|r| close(r, 1.8_f64.sqrt())), "{r:?}");
}

#[test]
fn rmsse_is_undefined_when_the_train_series_never_changes_after_its_first_sale() {
    assert_eq!(rmsse(&[0.0, 0.0, 3.0, 3.0, 3.0], &[3.0], &[2.0]), None);
    assert_eq!(rmsse(&[0.0; 5], &[3.0], &[2.0]), None);
    assert_eq!(rmsse(&[0.0, 4.0], &[3.0], &[2.0]), None);
    assert_eq!(rmsse(&[1.0, 4.0], &[], &[]), None);
}

fn any_day() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => Just(0.0),
        4 => (0u32..20).prop_map(f64::from),
        1 => prop::num::f64::ANY,
        1 => 0.0..f64::MAX,
    ]
}

proptest! {
    #[test]
    fn every_output_is_finite_non_negative_and_ordered(
        history in prop::collection::vec(any_day(), 0..120),
        horizon in 0usize..40,
        period in 0usize..14,
        flags in prop::collection::vec(any::<bool>(), 0..170),
    ) {
        let all = [
            forecast(&history, horizon),
            forecast_with_events(&history, horizon, &flags),
            forecast_periodic(&history, period, horizon),
        ];
        for f in all {
            prop_assert!(f.daily_sd.is_finite() && f.daily_sd >= 0.0);
            prop_assert_eq!(f.mean.len(), horizon);
            for k in 0..horizon {
                let (l, m, u) = (f.lower[k], f.mean[k], f.upper[k]);
                prop_assert!(l.is_finite() && m.is_finite() && u.is_finite());
                prop_assert!(0.0 <= l && l <= m && m <= u, "{} {} {}", l, m, u);
            }
        }
        let naive = seasonal_naive(&history, period, horizon);
        prop_assert!(naive.iter().all(|x| x.is_finite() && *x >= 0.0));
    }
}
