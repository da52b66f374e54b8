-- A backup's copy in its cluster's secondary region (core Replication, as JSON).
alter table backups add column replication jsonb not null
    default '{"state":"NOT_REQUIRED","objects":0,"bytes":0,"startedAt":null,"endedAt":null,"failureReason":null}';
-- Dual-region backups recorded before replication existed stayed PENDING in the API: they are
-- copied now (completed ones become work of the engine; running ones once they complete).
update backups b
   set replication = '{"state":"PENDING","objects":0,"bytes":0,"startedAt":null,"endedAt":null,"failureReason":null}',
       has_work = (b.has_work or b.state = 'COMPLETED')
  from clusters c
 where c.id = b.cluster_id and c.location_type = 'DUAL_REGION' and b.state in ('COMPLETED', 'IN_PROGRESS');
