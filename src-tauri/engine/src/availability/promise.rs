//! Promise dates: when a location can ship, honouring its carrier cutoff and what is left
//! of its daily capacity, and when the customer receives it. Times are in the company's
//! time zone (UK).

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use chrono_tz::Europe::London;

/// Days a supplier order takes when a promise rests on inbound stock.
pub const INBOUND_LEAD_DAYS: u64 = 7;
/// Carrier transit: next day within this distance, two days beyond.
pub const NEXT_DAY_KM: f64 = 150.0;

/// The day the location can hand the parcel to the carrier.
pub fn ship_date(now: DateTime<Utc>, cutoff: Option<NaiveTime>, capacity_left: i64) -> NaiveDate {
    let local = now.with_timezone(&London);
    let today = local.date_naive();
    let before_cutoff = cutoff.is_some_and(|c| local.time() < c);
    if before_cutoff && capacity_left > 0 {
        today
    } else {
        today + Days::new(1)
    }
}

/// The day the customer has it (or can collect it).
pub fn promise_date(
    ship: NaiveDate,
    distance_km: f64,
    from_inbound: bool,
    pickup: bool,
) -> NaiveDate {
    let transit = if pickup && distance_km < 1.0 {
        0
    } else if distance_km <= NEXT_DAY_KM {
        1
    } else {
        2
    };
    let wait = if from_inbound { INBOUND_LEAD_DAYS } else { 0 };
    ship + Days::new(transit + wait)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(h: u32, m: u32) -> DateTime<Utc> {
        // 2026-01-15 is winter: UK local time equals UTC.
        Utc.with_ymd_and_hms(2026, 1, 15, h, m, 0).single().expect("valid")
    }

    #[test]
    fn an_order_before_the_cutoff_ships_today_and_after_it_tomorrow() {
        let cutoff = NaiveTime::from_hms_opt(16, 0, 0);
        assert_eq!(ship_date(utc(15, 59), cutoff, 10).to_string(), "2026-01-15");
        assert_eq!(ship_date(utc(16, 0), cutoff, 10).to_string(), "2026-01-16");
    }

    #[test]
    fn a_location_without_capacity_left_ships_tomorrow() {
        let cutoff = NaiveTime::from_hms_opt(18, 0, 0);
        assert_eq!(ship_date(utc(9, 0), cutoff, 0).to_string(), "2026-01-16");
    }

    #[test]
    fn far_customers_and_inbound_stock_wait_longer() {
        let ship = NaiveDate::from_ymd_opt(2026, 1, 15).expect("date");
        assert_eq!(promise_date(ship, 50.0, false, false).to_string(), "2026-01-16");
        assert_eq!(promise_date(ship, 400.0, false, false).to_string(), "2026-01-17");
        assert_eq!(promise_date(ship, 50.0, true, false).to_string(), "2026-01-23");
        assert_eq!(promise_date(ship, 0.0, false, true).to_string(), "2026-01-15");
    }
}
