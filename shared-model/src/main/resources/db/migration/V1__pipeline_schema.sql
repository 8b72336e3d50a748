-- The system of record for reseq. Redis only ever holds what can be rebuilt from here.

create table destination (
    id          serial primary key,          -- advisory lock key, together with the role
    name        text        not null unique,
    config      jsonb       not null,
    paused      boolean     not null default false,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);

create table channel (
    name        text        primary key,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);

-- A destination cannot be deleted while a channel routes to it (no cascade on that side).
create table channel_destination (
    channel     text not null references channel (name) on delete cascade,
    destination text not null references destination (name),
    position    int  not null,
    primary key (channel, destination)
);
create index channel_destination_by_destination on channel_destination (destination);

create table message (
    id              uuid        primary key,  -- UUIDv7: time ordered
    channel         text        not null,
    content_type    text        not null,
    headers         jsonb       not null default '{}',
    payload         bytea       not null,
    arrived_at      timestamptz not null,
    idempotency_key text
);
create unique index message_idempotency on message (channel, idempotency_key)
    where idempotency_key is not null;

-- Next sequence per destination. Ingress takes ranges from it inside the commit that stores
-- the deliveries, so sequences are dense and follow commit order.
create table destination_sequence (
    destination   text   primary key references destination (name) on delete cascade,
    last_sequence bigint not null default 0
);

-- One delivery per message and destination; (destination, sequence) is dense: 1, 2, 3, ...
create table delivery (
    destination text   not null references destination (name) on delete cascade,
    sequence    bigint not null,
    message_id  uuid   not null references message (id),
    primary key (destination, sequence)
);

-- Per destination and role: the cursor (RESEQUENCER: released, EGRESS: delivered) and the epoch
-- of the lease holder. Every cursor write names the epoch; a stale holder's write matches no row.
create table destination_cursor (
    destination text        not null references destination (name) on delete cascade,
    role        text        not null check (role in ('RESEQUENCER', 'EGRESS')),
    position    bigint      not null default 0,
    epoch       bigint      not null default 0,
    holder      text,
    acquired_at timestamptz,
    updated_at  timestamptz not null default now(),
    primary key (destination, role)
);
