-- stale_clients.sql: the server's own clients by days since their last contact
-- (maintenance health, stale-clients).
-- Reads: PUBLIC_VIEWS.vComputerTarget (WSUS's public reporting view).
-- Relies on (needs.md Q3 "Stale / never-reporting clients", schema.md PUBLIC_VIEWS):
--   vComputerTarget(LastSyncTime, ParentServerId)                                   CONFIRMED*
--   LastSyncTime is the client's last contact, UTC, NULL when it never contacted   CONFIRMED (API)
--   ParentServerId IS NULL = the server's own client, not one rolled up from a
--   downstream                                                                      INFERRED
--   DATEDIFF(day, ...) counts midnights crossed (SQL Server 2005 and later)          CONFIRMED
-- Result: age_days, clients (one row per age in days; age_days NULL = never contacted).
SELECT
	DATEDIFF(day, ct.LastSyncTime, GETUTCDATE()) AS age_days,
	COUNT(*) AS clients
FROM PUBLIC_VIEWS.vComputerTarget ct
WHERE ct.ParentServerId IS NULL
GROUP BY DATEDIFF(day, ct.LastSyncTime, GETUTCDATE())
ORDER BY age_days
