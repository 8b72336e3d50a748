-- Every take-over of a silent holder's leases: a live instance ended the lock session of an
-- instance that had not renewed for the lease timeout (frozen, cut off, or its host gone), which
-- freed its locks. For operators: who ended whose session, and when it was last heard of.
create table lease_takeover (
    id                bigserial   primary key,
    role              text        not null check (role in ('RESEQUENCER', 'EGRESS')),
    stale_instance    text,
    backend_pid       integer     not null,
    last_heartbeat_at timestamptz,
    taken_by          text        not null,
    at                timestamptz not null default now()
);
