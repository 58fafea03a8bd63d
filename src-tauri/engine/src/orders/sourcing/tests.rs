use chrono::{NaiveTime, TimeZone};

use super::*;
use crate::availability::Rule;
use crate::network::Location;

fn site(code: &str, kind: LocationKind, lat: f64, lon: f64) -> Location {
    Location {
        code: code.into(),
        kind,
        name: code.into(),
        town: code.into(),
        latitude: lat,
        longitude: lon,
        town_population: 1,
        ships_orders: true,
        offers_pickup: kind == LocationKind::Store,
        daily_pick_capacity: 100,
        carrier_cutoff_local: NaiveTime::from_hms_opt(18, 0, 0),
    }
}

fn network() -> Vec<Location> {
    vec![
        site("DC-S", LocationKind::DistributionCentre, 52.04, -0.76),
        site("DC-N", LocationKind::DistributionCentre, 53.39, -2.58),
        site("ST-LEEDS", LocationKind::Store, 53.80, -1.55),
        site("ST-OXF", LocationKind::Store, 51.75, -1.26),
    ]
}

fn policy() -> SourcingPolicy {
    let d = |v: i64, scale: u32| Decimal::new(v, scale);
    SourcingPolicy {
        version: 1,
        split_min_value: d(4000, 2),
        parcel_cost: d(32, 1),
        cost_per_km: d(15, 3),
        handling_dc: d(6, 1),
        handling_dark: d(9, 1),
        handling_store: d(18, 1),
        late_day_penalty: d(4, 0),
        hold_minutes: 30,
        min_pick_accuracy: d(95, 2),
    }
}

fn morning() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 15, 9, 0, 0).single().expect("valid")
}

struct Case {
    snapshot: Snapshot,
    demand: Vec<Demand>,
    value: Decimal,
    customer: Option<(f64, f64)>,
    pickup: Option<&'static str>,
    policy: PartialPolicy,
    channel: &'static str,
}

impl Case {
    fn new(rules: Vec<Rule>, demand: &[(&str, i64)]) -> Self {
        Case {
            snapshot: Snapshot::new(network(), rules),
            demand: demand.iter().map(|(s, q)| Demand { sku: (*s).into(), quantity: *q }).collect(),
            value: Decimal::new(10000, 2),
            customer: Some((53.48, -2.24)), // Manchester
            pickup: None,
            policy: PartialPolicy::AllOrNothing,
            channel: "WEB",
        }
    }

    fn stock(mut self, sku: &str, location: &str, units: i64) -> Self {
        self.snapshot.set_stock(sku, location, units, 0);
        self
    }

    fn plan(&self) -> Plan {
        let none = HashSet::new();
        let req = SourcingRequest {
            channel: self.channel,
            demand: &self.demand,
            order_value: self.value,
            customer: self.customer,
            pickup: self.pickup,
            partial_policy: self.policy,
            now: morning(),
            exclude: &none,
        };
        plan(&req, &self.snapshot, &policy())
    }
}

fn taken(plan: &Plan) -> Vec<(String, i64)> {
    let mut v: Vec<(String, i64)> =
        plan.picks.iter().map(|p| (p.location.clone(), p.quantity)).collect();
    v.sort();
    v
}

#[test]
fn one_location_that_has_everything_ships_it_and_the_nearest_wins() {
    let case = Case::new(vec![], &[("A", 2)]).stock("A", "DC-S", 10).stock("A", "DC-N", 10);
    let plan = case.plan();
    assert_eq!(plan.rule, "single_location_lowest_cost");
    assert_eq!(taken(&plan), vec![("DC-N".to_owned(), 2)], "Warrington is nearer Manchester");
    let loser = plan.candidates.iter().find(|c| c.location == "DC-S").expect("DC-S considered");
    assert!(!loser.chosen && loser.verdict.starts_with("costs "), "{}", loser.verdict);
    assert_eq!(plan.locations_without_stock, 2);
}

#[test]
fn ten_over_two_locations_for_eight_splits_five_and_three_or_rejects_below_the_threshold() {
    let case = Case::new(vec![], &[("A", 8)]).stock("A", "DC-S", 5).stock("A", "DC-N", 5);
    let plan = case.plan();
    assert_eq!(plan.rule, "split_fewest_shipments");
    let units: Vec<i64> = {
        let mut u: Vec<i64> = plan.picks.iter().map(|p| p.quantity).collect();
        u.sort();
        u
    };
    assert_eq!(units, vec![3, 5]);
    assert_eq!(plan.shipments(), 2);

    let cheap = Case { value: Decimal::new(1000, 2), ..case };
    let refused = cheap.plan();
    assert_eq!(refused.rule, "no_split_below_threshold");
    assert!(refused.picks.is_empty() && !refused.accepted());
}

#[test]
fn a_split_uses_the_fewest_locations() {
    // DC-S has A and B; each store has one of them. Two parcels are not needed.
    let case = Case::new(vec![], &[("A", 2), ("B", 2)])
        .stock("A", "DC-S", 2)
        .stock("B", "DC-S", 1)
        .stock("A", "ST-LEEDS", 2)
        .stock("B", "ST-OXF", 2)
        .stock("B", "ST-LEEDS", 2);
    let plan = case.plan();
    assert_eq!(plan.rule, "single_location_lowest_cost");
    assert_eq!(taken(&plan), vec![("ST-LEEDS".to_owned(), 2), ("ST-LEEDS".to_owned(), 2)]);
}

#[test]
fn demand_beyond_one_item_is_rejected_whole_or_reserved_in_part_by_policy() {
    let case = Case::new(vec![], &[("A", 10)]).stock("A", "DC-S", 5);
    let whole = case.plan();
    assert!(!whole.accepted());
    assert_eq!(whole.rule, "network_short");
    let partial = Case { policy: PartialPolicy::ReserveAvailable, ..case }.plan();
    assert_eq!(taken(&partial), vec![("DC-S".to_owned(), 5)]);
    assert_eq!((partial.filled_units, partial.requested_units), (5, 10));
}

fn fallback_rule(allowed: bool) -> Rule {
    Rule {
        rule_key: "cc".into(),
        version: 1,
        channel: Some("CLICK_COLLECT".into()),
        location: None,
        location_kind: None,
        safety_stock: 0,
        pool_hold: 0,
        excluded: false,
        include_inbound: false,
        pickup_fallback: allowed,
        daily_capacity: None,
        cutoff_local: None,
        effective_from: morning(),
        author: "planner".into(),
    }
}

#[test]
fn click_and_collect_takes_from_its_pickup_store_only_unless_fallback_is_allowed() {
    let mk = |allowed| Case {
        pickup: Some("ST-OXF"),
        customer: None,
        channel: "CLICK_COLLECT",
        ..Case::new(vec![fallback_rule(allowed)], &[("A", 3)])
            .stock("A", "ST-OXF", 1)
            .stock("A", "DC-S", 50)
    };
    let strict = mk(false).plan();
    assert_eq!(strict.rule, "click_and_collect_pickup_only");
    assert!(!strict.accepted(), "DC-S has plenty but may not be used");
    let store = |plan: &Plan| {
        plan.candidates.iter().find(|c| c.location == "ST-OXF").cloned().expect("listed")
    };
    assert_eq!(store(&strict).verdict, "has only 1 of 3 units", "it lost for stock, not place");
    // Distances run to the pickup store, not to where the customer lives.
    let far_customer = Case { customer: Some((57.1, -2.1)), ..mk(false) }.plan();
    assert_eq!(store(&far_customer).distance_km, 0.0);

    let fallback = mk(true).plan();
    assert!(fallback.accepted());
    assert_eq!(taken(&fallback), vec![("DC-S".to_owned(), 3)]);

    let on_shelf = Case { ..mk(false) }.stock("A", "ST-OXF", 3).plan();
    assert_eq!(on_shelf.rule, "click_and_collect_pickup_store");
    assert_eq!(taken(&on_shelf), vec![("ST-OXF".to_owned(), 3)]);
    // DC-S is cheaper to ship from but lost by place, and says so (not "costs -x more").
    let dc = on_shelf.candidates.iter().find(|c| c.location == "DC-S").expect("DC-S listed");
    assert_eq!(dc.verdict, "not the pickup store, where the customer collects");
}

#[test]
fn safety_stock_is_never_promised() {
    let rule = Rule { safety_stock: 4, channel: None, ..fallback_rule(false) };
    let case = Case::new(vec![rule], &[("A", 2)]).stock("A", "DC-S", 5);
    assert!(!case.plan().accepted(), "5 on the shelf less 4 safety stock leaves 1");
}

#[test]
fn a_location_out_of_capacity_loses_to_one_that_ships_today() {
    let rule = Rule {
        daily_capacity: Some(0),
        location: Some("DC-N".into()),
        channel: None,
        rule_key: "dcn".into(),
        ..fallback_rule(false)
    };
    let stoke = Some((53.00, -2.18)); // nearer DC-N, next-day from both
    let case = Case::new(vec![rule], &[("A", 1)]).stock("A", "DC-S", 5).stock("A", "DC-N", 5);
    let plan = Case { customer: stoke, ..case }.plan();
    assert_eq!(taken(&plan), vec![("DC-S".to_owned(), 1)]);
    let dcn = plan.candidates.iter().find(|c| c.location == "DC-N").expect("considered");
    assert!(dcn.ship_date > morning().date_naive(), "no capacity left today");
}

#[test]
fn a_split_costs_each_parcel_for_the_lines_it_ships() {
    // A only at DC-S, B only at DC-N: two parcels of one line each.
    let case = Case::new(vec![], &[("A", 1), ("B", 1)]).stock("A", "DC-S", 1).stock("B", "DC-N", 1);
    let plan = case.plan();
    assert_eq!(plan.rule, "split_fewest_shipments");
    let manchester = (53.48, -2.24);
    let parcel = |lat: f64, lon: f64| {
        let km = Decimal::from_f64_retain(distance_km(manchester, (lat, lon))).unwrap_or_default();
        (policy().parcel_cost + policy().cost_per_km * km + policy().handling_dc)
            .round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven)
    };
    assert_eq!(plan.shipping_cost, parcel(52.04, -0.76) + parcel(53.39, -2.58));
    let whole_order_costs: Decimal =
        plan.candidates.iter().filter(|c| c.chosen).map(|c| c.cost).sum();
    assert!(
        plan.shipping_cost < whole_order_costs,
        "handling is not charged for lines not shipped"
    );
}
