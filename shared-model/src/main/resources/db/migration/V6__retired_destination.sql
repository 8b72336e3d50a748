-- What a deleted destination leaves for the next one of its name: where its sequences and its
-- leaders' epochs had got to. A destination created again under that name continues after them,
-- so that `Idempotency-Key: <destination>:<sequence>` is never used twice for different messages
-- and no leader of the old incarnation can pass a fence of the new one. One row per name, kept
-- for ever (a few dozen bytes per name ever deleted).
create table retired_destination (
    name          text        primary key,
    last_sequence bigint      not null,
    last_epoch    bigint      not null,
    retired_at    timestamptz not null default now()
);
