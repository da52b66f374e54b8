-- The verification sweep asks for the completed backups whose last check is oldest (or missing):
-- by this index, not by reading every completed backup.
create index backups_verification_due on backups (verification_at nulls first) where state = 'COMPLETED';
