//! The replenishment arithmetic, as plain functions: safety stock, reorder point,
//! order-up-to level and the quantity to order. The set-based plan in `plan.sql`
//! computes exactly the same figures in the database; a test holds the two together.
//!
//! Demand arrives as rows (the location's own customers, plus each store it supplies).
//! Rows are netted first, per SKU x location: means add, variances add. Safety stock and
//! the minimum order are then applied once to the net, never per row.
//!
//! Rounding happens at one point: the levels are rounded up to whole units (after
//! trimming float noise below a millionth of a unit), and everything after is integer.

use serde::{Deserialize, Serialize};
use specta::Type;
use statrs::distribution::{ContinuousCDF, Normal};

/// One source of demand for a SKU at a location, per day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DemandRow {
    pub daily_mean: f64,
    pub daily_sd: f64,
}

/// How long replenishment takes to arrive, and how often the plan runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timing {
    pub lead_days: f64,
    pub lead_sd_days: f64,
    pub review_days: f64,
}

/// The stock levels a SKU x location is planned to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Levels {
    pub safety_stock: i64,
    /// Order when the inventory position is at or below this.
    pub reorder_point: i64,
    /// Order enough to bring the inventory position up to this.
    pub order_up_to: i64,
}

/// How pressing a proposal is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type, sqlx::Type)]
#[sqlx(type_name = "proposal_urgency", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// Stock runs out before anything ordered now can arrive.
    Critical,
    /// At or below the reorder point.
    Due,
}

/// The standard normal quantile for a cycle service level (0.95 -> 1.645).
pub fn service_factor(service_level: f64) -> f64 {
    let level = service_level.clamp(0.5, 0.9999);
    Normal::standard().inverse_cdf(level)
}

/// Whole units, rounded up once float noise below a millionth is trimmed.
pub fn whole_units_up(x: f64) -> i64 {
    let trimmed = (x * 1e6).round_ties_even() / 1e6;
    trimmed.ceil().max(0.0) as i64
}

/// Nets the rows and computes the levels: demand over lead time (plus review period for
/// the order-up-to level) plus one safety stock for the netted demand.
pub fn levels(rows: &[DemandRow], timing: Timing, z: f64) -> Levels {
    let mean: f64 = rows.iter().map(|r| r.daily_mean).sum();
    let variance: f64 = rows.iter().map(|r| r.daily_sd * r.daily_sd).sum();
    let protection = timing.lead_days + timing.review_days;
    let safety = z
        * (protection * variance + mean * mean * timing.lead_sd_days * timing.lead_sd_days).sqrt();
    Levels {
        safety_stock: whole_units_up(safety),
        reorder_point: whole_units_up(mean * timing.lead_days + safety),
        order_up_to: whole_units_up(mean * protection + safety),
    }
}

/// Units to order for a position: nothing above the reorder point; otherwise up to the
/// order-up-to level, at least the minimum order, in whole packs.
pub fn order_quantity(position: i64, levels: Levels, min_order: i64, pack: i64) -> i64 {
    if position > levels.reorder_point {
        return 0;
    }
    let need = levels.order_up_to - position;
    if need <= 0 {
        return 0;
    }
    let pack = pack.max(1);
    let wanted = need.max(min_order);
    (wanted + pack - 1) / pack * pack
}

/// Critical when the position will not last the lead time at the forecast rate.
pub fn urgency(position: i64, daily_mean: f64, lead_days: f64) -> Urgency {
    if (position as f64) < daily_mean * lead_days || position <= 0 {
        Urgency::Critical
    } else {
        Urgency::Due
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NO_SPREAD: Timing = Timing { lead_days: 5.0, lead_sd_days: 0.0, review_days: 5.0 };

    #[test]
    fn safety_stock_is_applied_once_to_the_netted_demand() {
        // 250 and 1,000 units over the 10-day protection period; the store row alone
        // carries a spread worth 100 units of safety stock.
        let z = service_factor(0.95);
        let store_sd = 99.5 / (z * 10f64.sqrt());
        let rows = [
            DemandRow { daily_mean: 25.0, daily_sd: 0.0 },
            DemandRow { daily_mean: 100.0, daily_sd: store_sd },
        ];
        let l = levels(&rows, NO_SPREAD, z);
        assert_eq!(l.safety_stock, 100);
        assert_eq!(order_quantity(0, l, 1, 1), 1_350);
    }

    #[test]
    fn independent_spreads_pool_rather_than_add() {
        let z = 2.0;
        let row = DemandRow { daily_mean: 10.0, daily_sd: 3.0 };
        let one = levels(&[row], NO_SPREAD, z).safety_stock;
        let two = levels(&[row, row], NO_SPREAD, z).safety_stock;
        assert!(two < 2 * one, "pooled {two} should be below twice {one}");
        assert_eq!(two, whole_units_up(z * (10.0 * 18.0f64).sqrt()));
    }

    #[test]
    fn the_minimum_order_applies_once_and_quantities_are_whole_packs() {
        let rows = [
            DemandRow { daily_mean: 3.0, daily_sd: 0.0 },
            DemandRow { daily_mean: 4.0, daily_sd: 0.0 },
        ];
        let l = levels(&rows, NO_SPREAD, 1.645);
        assert_eq!(l.order_up_to, 70);
        assert_eq!(order_quantity(0, l, 100, 1), 100);
        assert_eq!(order_quantity(0, l, 1, 12), 72);
        assert_eq!(order_quantity(0, l, 100, 12), 108);
    }

    #[test]
    fn nothing_is_ordered_above_the_reorder_point() {
        let l = Levels { safety_stock: 10, reorder_point: 40, order_up_to: 90 };
        assert_eq!(order_quantity(41, l, 1, 1), 0);
        assert_eq!(order_quantity(40, l, 1, 1), 50);
        assert_eq!(order_quantity(-5, l, 1, 1), 95);
    }

    #[test]
    fn lead_time_spread_raises_safety_stock() {
        let row = [DemandRow { daily_mean: 10.0, daily_sd: 0.0 }];
        let steady = levels(&row, NO_SPREAD, 1.645);
        let shaky = levels(&row, Timing { lead_sd_days: 2.0, ..NO_SPREAD }, 1.645);
        assert_eq!(steady.safety_stock, 0);
        assert_eq!(shaky.safety_stock, 33);
    }

    #[test]
    fn the_service_factor_matches_the_normal_table() {
        assert!((service_factor(0.95) - 1.6449).abs() < 1e-3);
        assert!((service_factor(0.5)).abs() < 1e-9);
    }

    #[test]
    fn a_position_that_will_not_last_the_lead_time_is_critical() {
        assert_eq!(urgency(10, 5.0, 3.0), Urgency::Critical);
        assert_eq!(urgency(15, 5.0, 3.0), Urgency::Due);
        assert_eq!(urgency(0, 0.0, 3.0), Urgency::Critical);
    }
}
