-- Backups become operations of the durable engine (db-scheduler's table scheduled_tasks runs them).
-- Leases are gone: a run claims its backup, and every write it makes is fenced by the claim.
alter table backups drop column lease_owner;
alter table backups drop column lease_expires_at;
-- Incremented by every claim (and by a request that starts a deletion); a write carries the value
-- its run claimed, so a run that was taken over writes nothing.
alter table backups add column fence bigint not null default 0;
-- The attempts at work that must be repeated (a resume, a part's cleanup, a deletion).
alter table backups add column retry jsonb;
-- Derived from the backup on every write (Backup#hasWork, Backup#occupiesCluster).
alter table backups add column has_work boolean not null default false;
alter table backups add column occupies_cluster boolean not null default false;
update backups set has_work = (state in ('IN_PROGRESS', 'DELETING') or step = 'CLEAN_UP' or exporting_paused),
                   occupies_cluster = (state = 'IN_PROGRESS' or step = 'CLEAN_UP' or exporting_paused);

-- One operation per cluster: at most one backup occupies it (running, or owing its cleanup),
-- whatever races the admission checks.
drop index backups_one_in_progress_per_cluster;
create unique index backups_one_occupying_per_cluster on backups (cluster_id) where occupies_cluster;
create index backups_with_work on backups (cluster_id, backup_id) where has_work;
