//! The arithmetic of moving-average cost, without storage: a pool's state and what one
//! leg in or out does to it. Money is rounded here, once per leg, to pence (half to
//! even); a pool's value is the exact sum of its legs' rounded values.

use rust_decimal::{Decimal, RoundingStrategy};

/// Decimal places of the moving-average cost per unit (a rate, not money).
pub const UNIT_COST_DP: u32 = 10;

/// Units and value in one cost pool, and its moving-average cost per unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PoolState {
    pub quantity: i64,
    pub value: Decimal,
    /// Value / quantity after the last leg that left units in the pool; kept when the
    /// pool empties so stock sold below zero is still valued at a known cost.
    pub unit_cost: Decimal,
}

/// The one rounding point for money: pence, half to even.
pub fn pence(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven)
}

impl PoolState {
    /// Value of `units` leaving the pool: their share of the pool's value (all of it when
    /// the pool empties), and the last known cost for units beyond what it holds.
    pub fn out_value(&self, units: i64) -> Decimal {
        if units <= 0 {
            return Decimal::ZERO;
        }
        let held = self.quantity.max(0);
        let from_held = units.min(held);
        let share = if from_held == 0 {
            Decimal::ZERO
        } else if from_held == held {
            self.value
        } else {
            pence(self.value * Decimal::from(from_held) / Decimal::from(held))
        };
        let beyond = units - from_held;
        share + pence(self.unit_cost * Decimal::from(beyond))
    }

    /// Applies a leg of `units` (signed) worth `value` (signed, already in pence).
    pub fn apply(&mut self, units: i64, value: Decimal) {
        self.quantity += units;
        self.value += value;
        if self.quantity > 0 {
            self.unit_cost = (self.value / Decimal::from(self.quantity))
                .round_dp_with_strategy(UNIT_COST_DP, RoundingStrategy::MidpointNearestEven);
        }
    }

    /// Value left in an empty pool (a residue of rounding, or units valued at different
    /// costs on the way in and out), to be cleared to purchase price variance.
    pub fn residue(&self) -> Decimal {
        if self.quantity == 0 {
            self.value
        } else {
            Decimal::ZERO
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    #[test]
    fn the_moving_average_blends_receipts_and_relieves_at_average() {
        let mut p = PoolState::default();
        p.apply(10, d("10.00"));
        p.apply(10, d("20.00"));
        assert_eq!(p.unit_cost, d("1.5"));
        let out = p.out_value(3);
        assert_eq!(out, d("4.50"));
        p.apply(-3, -out);
        assert_eq!((p.quantity, p.value), (17, d("25.50")));
    }

    #[test]
    fn thirds_round_once_per_leg_and_the_last_unit_takes_what_is_left() {
        let mut p = PoolState::default();
        p.apply(3, d("1.00"));
        let mut taken = Decimal::ZERO;
        for _ in 0..3 {
            let v = p.out_value(1);
            p.apply(-1, -v);
            taken += v;
        }
        assert_eq!(taken, d("1.00"), "0.33 + 0.33 + 0.34: nothing lost to rounding");
        assert_eq!((p.quantity, p.value, p.residue()), (0, Decimal::ZERO, Decimal::ZERO));
    }

    #[test]
    fn units_sold_beyond_stock_are_valued_at_the_last_known_cost() {
        let mut p = PoolState::default();
        p.apply(2, d("5.00"));
        let v = p.out_value(3);
        assert_eq!(v, d("7.50"), "2 units held (5.00) and one more at 2.50");
        p.apply(-3, -v);
        assert_eq!((p.quantity, p.value), (-1, d("-2.50")));
        p.apply(1, d("2.60"));
        assert_eq!(p.residue(), d("0.10"), "the difference goes to price variance");
    }
}
