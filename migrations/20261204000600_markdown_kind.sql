-- A markdown revalues units on hand to a lower cost: a pair of movements, the units
-- leaving `available` at their average cost and coming back at the marked-down cost,
-- with the difference posted to the markdowns account. A decision, not a fact: only
-- units that are available can be marked down. (Its own migration: a new enum label
-- cannot be used in the transaction that adds it.)
ALTER TYPE movement_kind ADD VALUE 'markdown';
