-- superseded_oldest.sql: the 20 oldest superseded, not declined updates (latest revisions),
-- the evidence of superseded-not-declined.
-- Reads: dbo.vwMinimalUpdate; dbo.tbUpdate, dbo.tbRevision, dbo.tbPreComputedLocalizedProperty
-- and dbo.tbKBArticleForRevision for the title and KB.
-- Relies on (needs.md Q3, [MAINTG] "Decline superseded updates", Microsoft's SQL decline
-- alternative):
--   the filter IsSuperseded = 1 AND Declined = 0 AND IsLatestRevision = 1, ordered by
--   CreationDate                                                                  CONFIRMED
--   titles and KBs through tbRevision and its tables (schema.md)                    CONFIRMED
--   ROW_NUMBER() OVER (ORDER BY ...) in place of TOP: SQL Server 2005 and later      CONFIRMED
-- Titles and KBs are looked up for the 20 rows only, after the numbering.
-- Result: update_guid, creation_date, title, kb (at most 20 rows, oldest first).
SELECT
	x.update_guid,
	x.creation_date,
	(SELECT MIN(p.Title)
	 FROM dbo.tbUpdate u
		JOIN dbo.tbRevision r ON r.LocalUpdateID = u.LocalUpdateID AND r.IsLatestRevision = 1
		JOIN dbo.tbPreComputedLocalizedProperty p
			ON p.RevisionID = r.RevisionID AND p.ShortLanguage = N'en'
	 WHERE u.UpdateID = x.update_guid) AS title,
	(SELECT MIN(k.KBArticleID)
	 FROM dbo.tbUpdate u
		JOIN dbo.tbRevision r ON r.LocalUpdateID = u.LocalUpdateID AND r.IsLatestRevision = 1
		JOIN dbo.tbKBArticleForRevision k ON k.RevisionID = r.RevisionID
	 WHERE u.UpdateID = x.update_guid) AS kb
FROM (
	SELECT
		mu.UpdateID AS update_guid,
		mu.CreationDate AS creation_date,
		ROW_NUMBER() OVER (ORDER BY mu.CreationDate, mu.UpdateID) AS n
	FROM dbo.vwMinimalUpdate mu
	WHERE mu.IsSuperseded = 1
		AND mu.Declined = 0
		AND mu.IsLatestRevision = 1
) x
WHERE x.n <= 20
ORDER BY x.n
