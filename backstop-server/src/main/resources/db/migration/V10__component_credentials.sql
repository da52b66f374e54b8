-- How Backstop authenticates to a cluster's search engine. The secret half (a password or an API
-- key) is sealed (AES-256-GCM under component_secret_key, the cluster's id as associated data) and
-- never returned by the API; the CA certificates, which are public, live in the components' JSON.
alter table clusters add column search_auth_type text check (search_auth_type in ('BASIC', 'API_KEY'));
alter table clusters add column search_auth_username text;
alter table clusters add column search_auth_secret_sealed bytea;
alter table clusters add constraint search_auth_complete check (
    (search_auth_type is null and search_auth_username is null and search_auth_secret_sealed is null)
    or (search_auth_type = 'BASIC' and search_auth_username is not null and search_auth_secret_sealed is not null)
    or (search_auth_type = 'API_KEY' and search_auth_username is null and search_auth_secret_sealed is not null));

-- The key that seals the components' secrets, created with the installation; stored encrypted with
-- the key encryption key kept outside the database (security.KeyEncryption).
alter table installation add column component_secret_key bytea;
