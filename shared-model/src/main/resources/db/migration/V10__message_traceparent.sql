-- The W3C trace context of a message's ingest span, as a traceparent header value
-- (00-<trace id>-<span id>-<flags>), so that every service's span for the message joins its trace
-- and destinations can correlate. Null on messages stored before it was kept, and when tracing is
-- off. Nullable without a default: adding the column does not rewrite the table.
alter table message add column traceparent text;
