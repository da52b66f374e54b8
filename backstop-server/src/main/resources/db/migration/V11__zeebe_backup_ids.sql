-- The last backup id allocated for each Zeebe (by its management URL), whichever cluster it was
-- allocated for: a Zeebe registered twice, or registered again after its cluster was deleted,
-- refuses every id at or below its latest checkpoint, even one whose backup was deleted since.
create table zeebe_backup_ids (
  zeebe_management_url text primary key,
  last_backup_id bigint not null check (last_backup_id >= 0)
);

insert into zeebe_backup_ids (zeebe_management_url, last_backup_id)
select components->>'zeebeManagementUrl', max(last_backup_id)
from clusters
where components->>'zeebeManagementUrl' is not null
group by components->>'zeebeManagementUrl';
