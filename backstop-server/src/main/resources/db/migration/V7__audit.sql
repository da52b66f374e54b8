-- The audit trail: append-only. No foreign keys, so that entries outlive the clusters, backups
-- and clients they name.
create table audit_entries (
    sequence        bigserial primary key,
    at              timestamptz not null,
    actor           text not null,
    organization_id uuid,
    action          text not null,
    cluster_id      text,
    backup_id       bigint,
    restore_id      text,
    outcome         text not null,
    detail          text not null,
    -- what an operation run again tells twice is recorded once
    once_key        text unique
);

create index audit_entries_by_organization on audit_entries (organization_id, sequence);
create index audit_entries_by_cluster on audit_entries (cluster_id, sequence);

-- The code has no update or delete path; the database refuses them too.
create function audit_entries_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'the audit trail is append-only';
end;
$$;

create trigger audit_entries_append_only
    before update or delete on audit_entries
    for each row execute function audit_entries_append_only();

create trigger audit_entries_no_truncate
    before truncate on audit_entries
    for each statement execute function audit_entries_append_only();
