//! Which accounts a movement's change of value posts to. Every entry balances by
//! construction: the pools' changes go to inventory (by location kind) and goods in
//! transit, a residue cleared from an emptied pool to purchase price variance, and the
//! rest to the account the movement's kind names.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::ledger::MovementKind;

pub const GOODS_IN_TRANSIT: &str = "1350";
pub const PRICE_VARIANCE: &str = "5300";

/// The inventory account of a location kind (the `accounts.inventory_of` seed).
pub fn inventory_account(location_kind: &str) -> &'static str {
    match location_kind {
        "distribution_centre" => "1300",
        "store" => "1310",
        "dark_store" => "1320",
        _ => "1330",
    }
}

/// Where the other side of a movement's value goes.
pub fn counter_account(kind: MovementKind) -> &'static str {
    match kind {
        MovementKind::Opening => "3100",
        MovementKind::Receipt | MovementKind::PurchaseOrder => "2100",
        MovementKind::Return => "5010",
        MovementKind::Sale => "5000",
        // A transfer received damaged loses its value from transit to shrinkage.
        MovementKind::WriteOff
        | MovementKind::Adjustment
        | MovementKind::Scrap
        | MovementKind::TransferIn => "5100",
        // Out of a location onto a transfer; the in-transit leg nets against it.
        MovementKind::TransferOut | MovementKind::Restock | MovementKind::Refurbish => {
            GOODS_IN_TRANSIT
        }
        MovementKind::VendorReturn => "1400",
        MovementKind::Liquidation => "5400",
        MovementKind::Markdown => "5200",
        MovementKind::Reservation | MovementKind::Release => "5100",
    }
}

/// Signed amounts (debit +, credit -) per account for a movement whose stock pool
/// changed by `stock`, transit pool by `transit`, with `variance` cleared. `counter`
/// fixes the counter account's amount (debit +) when it is not the pools' value, as for
/// a supplier return credited at the receipt price: the difference goes to purchase
/// price variance. Accounts that net to zero are left out; the amounts sum to zero.
pub fn lines(
    kind: MovementKind,
    location_kind: &str,
    (stock, transit, variance): (Decimal, Decimal, Decimal),
    counter: Option<Decimal>,
) -> Vec<(&'static str, Decimal)> {
    let mut by_account: BTreeMap<&'static str, Decimal> = BTreeMap::new();
    *by_account.entry(inventory_account(location_kind)).or_default() += stock;
    *by_account.entry(GOODS_IN_TRANSIT).or_default() += transit;
    *by_account.entry(PRICE_VARIANCE).or_default() += variance;
    let rest = -(stock + transit + variance);
    let fixed = counter.unwrap_or(rest);
    *by_account.entry(counter_account(kind)).or_default() += fixed;
    *by_account.entry(PRICE_VARIANCE).or_default() += rest - fixed;
    by_account.into_iter().filter(|(_, v)| !v.is_zero()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    #[test]
    fn a_sale_debits_cost_of_goods_and_credits_the_stores_inventory() {
        let l = lines(MovementKind::Sale, "store", (d("-4.50"), d("0"), d("0")), None);
        assert_eq!(l, vec![("1310", d("-4.50")), ("5000", d("4.50"))]);
    }

    #[test]
    fn a_transfer_receipt_moves_value_from_transit_to_inventory_without_a_counter_line() {
        let l =
            lines(MovementKind::TransferIn, "distribution_centre", (d("7"), d("-7"), d("0")), None);
        assert_eq!(l, vec![("1300", d("7")), ("1350", d("-7"))]);
    }

    #[test]
    fn the_in_transit_leg_nets_to_nothing_its_outbound_leg_posted_it() {
        let l = lines(MovementKind::TransferOut, "store", (d("0"), d("3"), d("0")), None);
        assert!(l.is_empty(), "{l:?}");
    }

    #[test]
    fn a_receipt_into_negative_stock_clears_the_residue_to_variance() {
        let l = lines(MovementKind::Receipt, "store", (d("2.50"), d("0"), d("0.10")), None);
        assert_eq!(l, vec![("1310", d("2.50")), ("2100", d("-2.60")), ("5300", d("0.10"))]);
        assert!(l.iter().map(|x| x.1).sum::<Decimal>().is_zero());
    }

    #[test]
    fn a_supplier_return_is_credited_at_the_receipt_price_with_the_rest_to_variance() {
        // 2 units leave at an average of 1.50; the supplier credits their price of 1.20.
        let l = lines(
            MovementKind::VendorReturn,
            "distribution_centre",
            (d("-3.00"), d("0"), d("0")),
            Some(d("2.40")),
        );
        assert_eq!(l, vec![("1300", d("-3.00")), ("1400", d("2.40")), ("5300", d("0.60"))]);
    }
}
