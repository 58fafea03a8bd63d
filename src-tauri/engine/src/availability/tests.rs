use chrono::{TimeZone, Utc};

use super::*;

fn store(code: &str) -> Location {
    Location {
        code: code.into(),
        kind: LocationKind::Store,
        name: code.into(),
        town: "T".into(),
        latitude: 52.0,
        longitude: -1.0,
        town_population: 1,
        ships_orders: true,
        offers_pickup: true,
        daily_pick_capacity: 150,
        carrier_cutoff_local: NaiveTime::from_hms_opt(16, 0, 0),
    }
}

fn rule(key: &str, version: i32) -> Rule {
    Rule {
        rule_key: key.into(),
        version,
        channel: None,
        location: None,
        location_kind: None,
        safety_stock: 0,
        pool_hold: 0,
        excluded: false,
        include_inbound: false,
        pickup_fallback: false,
        daily_capacity: None,
        cutoff_local: None,
        effective_from: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().expect("valid"),
        author: "planner".into(),
    }
}

#[test]
fn the_most_specific_rule_wins() {
    let everywhere = Rule { safety_stock: 1, ..rule("all", 1) };
    let stores_web = Rule {
        safety_stock: 2,
        channel: Some("WEB".into()),
        location_kind: Some(LocationKind::Store),
        ..rule("web-stores", 1)
    };
    let this_store = Rule { safety_stock: 3, location: Some("ST-1".into()), ..rule("st1", 1) };
    let rules = vec![everywhere, stores_web, this_store];

    assert_eq!(resolve(&rules, "WEB", &store("ST-1")).safety_stock, 3);
    assert_eq!(resolve(&rules, "WEB", &store("ST-2")).safety_stock, 2);
    assert_eq!(resolve(&rules, "MARKETPLACE", &store("ST-2")).safety_stock, 1);
    assert_eq!(resolve(&[], "WEB", &store("ST-2")).source, "default");
}

#[test]
fn safety_stock_and_pool_holds_come_off_what_a_channel_may_promise() {
    let r = resolve(&[Rule { safety_stock: 2, pool_hold: 3, ..rule("r", 1) }], "WEB", &store("S"));
    assert_eq!(promisable(10, 4, &r), Promisable { on_shelf: 5, inbound: 0 });
    assert_eq!(promisable(4, 4, &r).on_shelf, 0, "never negative");
}

#[test]
fn inbound_counts_only_where_the_rule_allows_and_exclusions_promise_nothing() {
    let with_inbound =
        resolve(&[Rule { include_inbound: true, ..rule("r", 1) }], "WEB", &store("S"));
    assert_eq!(promisable(3, 4, &with_inbound), Promisable { on_shelf: 3, inbound: 4 });
    let excluded = resolve(&[Rule { excluded: true, ..rule("r", 1) }], "WEB", &store("S"));
    assert_eq!(promisable(3, 4, &excluded).total(), 0);
}
