-- One row: this installation's identity, created on first start.
create table installation (
    singleton  boolean primary key default true check (singleton),
    id         uuid        not null,
    created_at timestamptz not null
);
