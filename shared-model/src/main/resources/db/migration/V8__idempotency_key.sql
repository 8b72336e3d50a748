-- Idempotency keys in a table of their own. Kept on the message row, forgetting a key rewrote the
-- row, payload included; here it deletes one small row. The key's time is its message's arrival:
-- the key is kept for reseq.ingest.idempotency.retention from then on, and retention keeps a
-- message for as long as a key names it, so a repeat can always be answered with its receipt.
create table idempotency_key (
    channel    text        not null,
    key        text        not null,
    message_id uuid        not null,
    arrived_at timestamptz not null,
    primary key (channel, key)
);
create index idempotency_key_by_age on idempotency_key (arrived_at);
create index idempotency_key_by_message on idempotency_key (message_id);

insert into idempotency_key (channel, key, message_id, arrived_at)
select channel, idempotency_key, id, arrived_at from message where idempotency_key is not null;

-- message.idempotency_key is no longer written or read. It stays, with its index, while an ingress
-- of an earlier version may still be running during a rolling upgrade: that one keeps writing
-- keys there. A later migration drops both.
comment on column message.idempotency_key is 'Not used since V8: see idempotency_key';
