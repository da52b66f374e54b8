-- Scheduled backups: one schedule per cluster, the history of its runs, and db-scheduler's table
-- (the persistent, cluster-safe executor of the runs: one row per cluster, its next due time).

create table backup_schedules (
    cluster_id  text primary key references clusters (id) on delete cascade,
    frequency   text not null,
    day_of_week text,
    local_time  text not null,
    time_zone   text not null,
    enabled     boolean not null,
    updated_at  timestamptz not null
);

-- Append-only: every run, started or skipped; outcome follows the backup it started.
create table schedule_runs (
    id         bigserial primary key,
    cluster_id text not null references clusters (id) on delete cascade,
    due_at     timestamptz not null,
    ran_at     timestamptz not null,
    outcome    text not null,
    backup_id  bigint,
    reason     text
);
create index schedule_runs_by_cluster on schedule_runs (cluster_id, id desc);

create table scheduled_tasks (
    task_name            text not null,
    task_instance        text not null,
    task_data            bytea,
    execution_time       timestamp with time zone not null,
    picked               boolean not null,
    picked_by            text,
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures int,
    last_heartbeat       timestamp with time zone,
    version              bigint not null,
    priority             smallint,
    primary key (task_name, task_instance)
);
create index execution_time_idx on scheduled_tasks (execution_time);
create index last_heartbeat_idx on scheduled_tasks (last_heartbeat);
create index priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc);
