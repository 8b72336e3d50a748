-- The sender headers a channel keeps (issue 23): their names, in the channel's order and spelling.
-- A constant default adds the column without rewriting the table.
alter table channel add column keep_headers text[] not null default '{}';

-- The kept headers of a message, stored in message.headers (there since V1) as an array of
-- [name, value] pairs, because jsonb keeps the order of an array but not of an object's keys.
-- Rows stored before this version hold the column's default '{}', which reads as no headers.
comment on column message.headers is 'Kept sender headers: [[name, value], ...] in the channel''s order';

-- A dead letter keeps the headers its payload travelled with, so that a redelivery sends them.
alter table dead_letter add column headers jsonb not null default '[]';
