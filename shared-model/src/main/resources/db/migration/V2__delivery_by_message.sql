-- Finds the deliveries of one message (idempotent replays, operator views) without a scan.
create index delivery_by_message on delivery (message_id);
