-- fix_bits_update.sql: the only statement susaudit ever sends that writes (DOMAIN.md R9).
-- `susaudit fix bits-foreground --apply` runs it with @From = 0, @To = 1; `--revert` with
-- @From = 1 and @To = the value recorded before the last applied change. susaudit replaces
-- @ConfigurationID, @From and @To with the integers it read (fix_bits_read.sql) and sends it
-- inside BEGIN TRANSACTION ... COMMIT TRANSACTION, after re-reading the value, and only
-- commits when exactly one row changed and reading back shows @To. In SSMS, DECLARE the
-- three variables first.
-- Writes: dbo.tbConfigurationC.BitsDownloadPriorityForeground of exactly the row that needs
-- the change (no row when the value is already @To).
UPDATE dbo.tbConfigurationC SET BitsDownloadPriorityForeground = @To
WHERE ConfigurationID = @ConfigurationID AND BitsDownloadPriorityForeground = @From
