-- Deliveries that failed for good under the DEAD_LETTER policy, or that an operator skipped.
-- The payload is kept so that an operator can redeliver it (out of order, marked as such).
create table dead_letter (
    destination      text        not null references destination (name) on delete cascade,
    sequence         bigint      not null,
    message_id       uuid        not null,
    stage            text        not null check (stage in ('TRANSFORM', 'DELIVERY', 'SKIPPED')),
    error            text        not null,
    attempts         int         not null,
    content_type     text        not null,
    payload          bytea       not null,
    dead_lettered_at timestamptz not null default now(),
    redelivered_at   timestamptz,
    primary key (destination, sequence)
);

-- Every operator action, for audit: what, when, on which sequence, and by whom when known.
create table operator_action (
    id          bigserial   primary key,
    destination text        not null,
    action      text        not null,
    sequence    bigint,
    actor       text,
    detail      text,
    at          timestamptz not null default now()
);
create index operator_action_by_destination on operator_action (destination, id);
