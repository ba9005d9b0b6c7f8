-- update_languages.sql: the languages of each update's latest revision.
-- Reads: dbo.tbRevision, dbo.tbProperty, dbo.tbUpdate, dbo.tbRevisionLanguage.
-- Relies on: tbRevisionLanguage(RevisionID, LanguageID) (CONFIRMED [EF]); LanguageID is an
-- LCID and 0 = language-neutral (INFERRED: MS-WSUSSS "0 = all", 0 and 1033 seen in a public
-- analysis); same revision set as updates.sql.
-- Result: update_guid, language_id.
SELECT
	u.UpdateID AS update_guid,
	rl.LanguageID AS language_id
FROM dbo.tbUpdate u
	JOIN dbo.tbRevision r ON r.LocalUpdateID = u.LocalUpdateID AND r.IsLatestRevision = 1
	LEFT JOIN dbo.tbProperty p ON p.RevisionID = r.RevisionID
	JOIN dbo.tbRevisionLanguage rl ON rl.RevisionID = r.RevisionID
WHERE p.UpdateType IS NULL OR p.UpdateType NOT IN (N'Category', N'Detectoid')
