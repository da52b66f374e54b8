-- How a restore stops, starts and restores a cluster's components (core Cluster.Runtime, as JSON).
alter table clusters add column runtime jsonb not null default '{"type":"MANUAL","descriptor":null}';

-- Restores: each an operation of the engine, claimed and fenced like a backup.
create table restores (
    cluster_id     text not null references clusters (id) on delete cascade,
    id             text not null,
    backup_id      bigint not null,
    source_region  text not null,
    state          text not null,
    phase          text not null,
    phases         jsonb not null,
    failure_reason text,
    waiting_for    text,
    requested_at   timestamptz not null,
    ended_at       timestamptz,
    fence          bigint not null default 0,
    primary key (cluster_id, id)
);

-- One active restore per cluster, whatever races the admission checks.
create unique index restores_one_active_per_cluster on restores (cluster_id) where state in ('REQUESTED', 'RUNNING', 'WAITING');
