-- How far each destination's egress had delivered at a moment, recorded by the retention job at
-- every run: a delivery at or below a mark's position was delivered by then. Retention removes a
-- message once every delivery of it is covered by a mark older than the retention period, so a
-- delivery's age is measured from the first mark that covers it, within one run's interval. The
-- job keeps only the marks it still needs: those within the retention period, and the newest one
-- before it per destination.
create table delivered_mark (
    destination text        not null,
    position    bigint      not null,
    marked_at   timestamptz not null default now(),
    primary key (destination, marked_at)
);

-- Retention finds expired dead letters and operator actions by age.
create index dead_letter_by_resolution on dead_letter (coalesce(redelivered_at, dead_lettered_at));
create index operator_action_by_time on operator_action (at);
