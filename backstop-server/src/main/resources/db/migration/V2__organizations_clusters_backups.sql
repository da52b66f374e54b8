-- Tenants, their API clients, their clusters and the clusters' backups.

create table organizations (
    id         uuid primary key,
    name       text not null unique,
    plan       text not null,
    created_at timestamptz not null
);

-- Secrets are stored as BCrypt hashes only. An operator client has no organization.
create table api_clients (
    client_id       text primary key,
    name            text not null,
    secret_hash     text not null,
    organization_id uuid references organizations (id) on delete cascade,
    permissions     text[] not null,
    created_at      timestamptz not null
);

create table clusters (
    id                 text primary key,
    name               text not null,
    organization_id    uuid not null references organizations (id),
    generation         text not null,
    region             text not null,
    location_type      text not null,
    secondary_region   text,
    components         jsonb not null,
    storage            jsonb not null,
    preflight          jsonb,
    -- the highest backup id ever allocated for this cluster: ids are never reused
    last_backup_id     bigint not null default 0,
    state              text not null default 'ACTIVE',
    created_at         timestamptz not null,
    unique (organization_id, name)
);

-- Per-cluster overrides of the configured defaults; null means "the default".
create table cluster_backup_policies (
    cluster_id          text primary key references clusters (id) on delete cascade,
    manual_rate_limit   interval,
    manual_retention    integer,
    scheduled_retention integer
);

create table backups (
    cluster_id       text not null references clusters (id) on delete cascade,
    backup_id        bigint not null,
    name             text not null,
    type             text not null,
    state            text not null,
    step             text not null,
    step_started_at  timestamptz not null,
    exporting_paused boolean not null,
    parts            jsonb not null,
    created_at       timestamptz not null,
    completed_at     timestamptz,
    failure_reason   text,
    -- which Backstop instance works on it, until when; expired leases are taken over
    lease_owner      text,
    lease_expires_at timestamptz,
    primary key (cluster_id, backup_id)
);

-- At most one backup in progress per cluster, whatever races the admission checks.
create unique index backups_one_in_progress_per_cluster on backups (cluster_id) where state = 'IN_PROGRESS';

-- The signing key of the access tokens, created with the installation.
alter table installation add column token_signing_key bytea;
