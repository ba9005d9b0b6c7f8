-- updates.sql: every update the server holds, with its latest revision.
-- Reads: dbo.tbUpdate, dbo.tbRevision, dbo.tbProperty, dbo.tbPreComputedLocalizedProperty,
-- dbo.tbKBArticleForRevision.
-- Relies on (schema.md Q4, open-questions Q3):
--   tbUpdate.UpdateID is the global update GUID                            CONFIRMED
--   tbRevision.IsLatestRevision = 1 marks the current revision             CONFIRMED
--   tbUpdate.IsHidden = 1 means declined                                   CONFIRMED*
--   tbRevision.State = MS-WSUSAR UpdateState (4 not ready, 5 ready,
--     7 download failed, 8 EULA failed)                                    LIKELY
--   tbProperty.UpdateType 'Category' / 'Detectoid' marks category and
--     detectoid revisions, which are left out                              CONFIRMED*
--   English titles under ShortLanguage 'en'                                CONFIRMED* (spSearchUpdates)
-- kb is the lowest KB number of the revision, NULL when it has none. No ORDER BY: the
-- collector does not rely on row order.
-- Result: update_guid, revision_number, declined, state, title, kb, update_type.
SELECT
	u.UpdateID AS update_guid,
	r.RevisionNumber AS revision_number,
	u.IsHidden AS declined,
	r.State AS state,
	(SELECT MIN(t.Title) FROM dbo.tbPreComputedLocalizedProperty t
	 WHERE t.RevisionID = r.RevisionID AND t.ShortLanguage = N'en') AS title,
	(SELECT MIN(k.KBArticleID) FROM dbo.tbKBArticleForRevision k
	 WHERE k.RevisionID = r.RevisionID) AS kb,
	p.UpdateType AS update_type
FROM dbo.tbUpdate u
	JOIN dbo.tbRevision r ON r.LocalUpdateID = u.LocalUpdateID AND r.IsLatestRevision = 1
	LEFT JOIN dbo.tbProperty p ON p.RevisionID = r.RevisionID
WHERE p.UpdateType IS NULL OR p.UpdateType NOT IN (N'Category', N'Detectoid')
