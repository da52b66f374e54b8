-- The keys that sign access tokens, each with its id (the token header's kid), encrypted with a
-- key that is not in the database (AES-GCM; see security.KeyEncryption). The newest signs; the
-- others still verify the tokens they signed until those expire.
create table signing_keys (
    kid           text primary key,
    encrypted_key bytea not null,
    created_at    timestamptz not null
);
