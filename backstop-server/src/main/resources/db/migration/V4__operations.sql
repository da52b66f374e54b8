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
-- The same predicates as Backup#hasWork and Backup#occupiesCluster, parts included.
update backups set has_work = (state = 'DELETING' or step not in ('DONE', 'CLEANED_UP') or exporting_paused
                               or exists (select 1 from jsonb_each(parts) p where p.value ->> 'state' = 'CLEANUP_FAILED')),
                   occupies_cluster = (state <> 'DELETING' and (step not in ('DONE', 'CLEANED_UP') or exporting_paused
                               or exists (select 1 from jsonb_each(parts) p where p.value ->> 'state' = 'CLEANUP_FAILED')));
-- Earlier versions admitted a backup beside a failed one still cleaning up: where a cluster has
-- several such rows, the newest holds the index's place (admission still sees them all).
update backups b set occupies_cluster = false
 where occupies_cluster
   and exists (select 1 from backups n where n.cluster_id = b.cluster_id and n.occupies_cluster and n.backup_id > b.backup_id);

-- One operation per cluster: at most one backup occupies it (running, or owing its cleanup),
-- whatever races the admission checks.
drop index backups_one_in_progress_per_cluster;
create unique index backups_one_occupying_per_cluster on backups (cluster_id) where occupies_cluster;
create index backups_with_work on backups (cluster_id, backup_id) where has_work;
