-- The last check of a completed backup's objects in every region that holds it (core
-- Verification): VERIFIED or DAMAGED, when, and what was found missing or wrong. Null state: not
-- checked yet (PENDING once the backup is COMPLETED).
alter table backups add column verification_state text;
alter table backups add column verification_at timestamptz;
alter table backups add column verification_detail text;

-- The sizes of a backup's objects whose metadata records none (Zeebe's manifests list file names
-- only), as the first check found them; later checks compare against them.
create table backup_object_sizes (
    cluster_id text not null,
    backup_id  bigint not null,
    object_key text not null,
    size       bigint not null check (size >= 0),
    primary key (cluster_id, backup_id, object_key),
    foreign key (cluster_id, backup_id) references backups (cluster_id, backup_id) on delete cascade
);
