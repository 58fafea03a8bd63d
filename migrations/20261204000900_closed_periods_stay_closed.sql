-- Closed periods stay closed when a backdated entry arrives for a month that has no
-- period yet: periods close in order, so every month before the latest closed (or
-- closing) one is closed too, whether or not it has a row. Without this a return dated
-- before the first closed month opened a new period there and changed the closed
-- months' opening figures.

CREATE OR REPLACE FUNCTION check_period_open() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    s period_status;
    last_closed date;
BEGIN
    SELECT status INTO s FROM periods WHERE month = NEW.period;
    IF s <> 'open' THEN
        RAISE EXCEPTION 'period % is %: nothing may be posted into it',
            to_char(NEW.period, 'YYYY-MM'), s USING ERRCODE = 'check_violation';
    END IF;
    SELECT max(month) INTO last_closed FROM periods WHERE status <> 'open';
    IF last_closed >= NEW.period THEN
        RAISE EXCEPTION 'period % is closed: it comes before %, which is %',
            to_char(NEW.period, 'YYYY-MM'), to_char(last_closed, 'YYYY-MM'),
            (SELECT status FROM periods WHERE month = last_closed)
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
