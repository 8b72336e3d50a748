-- The live instances of each leasing role, so that they can share the destinations fairly. Every
-- instance upserts its row at each lease tick through its lock connection. A row counts as live
-- while its heartbeat is fresh and the session that wrote it (backend_pid) still exists: a crashed
-- instance's session ends with it, so the others count it out at once instead of after the window.
create table service_instance (
    role         text        not null check (role in ('RESEQUENCER', 'EGRESS')),
    instance_id  text        not null,
    heartbeat_at timestamptz not null default now(),
    backend_pid  integer,
    primary key (role, instance_id)
);
