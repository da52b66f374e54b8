-- Webhooks: URLs of an organization told of some events of its clusters, and their deliveries.

create table webhooks (
    id                        uuid primary key,
    organization_id           uuid not null references organizations (id) on delete cascade,
    url                       text not null,
    -- e.g. {backup.failed, backup.overdue}
    events                    text[] not null,
    -- with backup.overdue only: hours without a completed backup after which a cluster is overdue
    no_completed_backup_hours integer check (no_completed_backup_hours >= 1),
    -- the signing secret, AES-256-GCM under webhook_secret_key (below): never returned by the API
    secret_sealed             bytea not null,
    created_at                timestamptz not null,
    unique (organization_id, url)
);

-- One event on its way to one webhook (Delivery in the core): PENDING until a 2xx answer
-- (DELIVERED) or its last attempt (FAILED). Sent by the db-scheduler task webhook-delivery, one
-- task instance per delivery, named by its id.
create table webhook_deliveries (
    id              uuid primary key,
    webhook_id      uuid not null references webhooks (id) on delete cascade,
    event_id        uuid not null,
    -- the event's key: an event told twice is delivered once
    event_key       text not null,
    event_type      text not null,
    -- the JSON body, fixed when the event was recorded; every attempt sends these bytes
    payload         text not null,
    state           text not null,
    attempts        integer not null default 0,
    last_attempt_at timestamptz,
    last_status     integer,
    last_error      text,
    next_attempt_at timestamptz,
    delivered_at    timestamptz,
    created_at      timestamptz not null,
    unique (webhook_id, event_key)
);

create index webhook_deliveries_by_webhook on webhook_deliveries (webhook_id, created_at desc);

-- The key that seals the webhooks' secrets, created with the installation; stored encrypted with the
-- key encryption key kept outside the database (security.KeyEncryption).
alter table installation add column webhook_secret_key bytea;
