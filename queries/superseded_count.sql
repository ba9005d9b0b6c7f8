-- superseded_count.sql: superseded updates that are not declined, counted as Microsoft counts
-- them (maintenance health, superseded-not-declined).
-- Reads: dbo.vwMinimalUpdate (a WSUS view in the dbo schema).
-- Relies on (needs.md Q3, [MAINTG] "Decline superseded updates"):
--   the count "Select COUNT(UpdateID) from vwMinimalUpdate where IsSuperseded=1 and
--   Declined=0" and Microsoft's threshold of 1,500 that goes with it                CONFIRMED
--   vwMinimalUpdate(UpdateID, IsSuperseded, Declined, CreationDate)               CONFIRMED
--   SELECT on a dbo view needs db_datareader (not PublicViewAccess)                LIKELY
-- A SUSDB without the view (an older WSUS) fails this query (208): the collector records
-- that and the check is 'error' for that server; the other checks are unaffected.
-- Result: superseded, oldest_creation (one row; oldest_creation NULL when none).
SELECT
	COUNT(mu.UpdateID) AS superseded,
	MIN(mu.CreationDate) AS oldest_creation
FROM dbo.vwMinimalUpdate mu
WHERE mu.IsSuperseded = 1
	AND mu.Declined = 0
