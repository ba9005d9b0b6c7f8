-- languages.sql: the update languages the server knows and which it synchronizes.
-- Reads: dbo.tbLanguage.
-- Relies on: LanguageID = Windows LCID, ShortLanguage e.g. 'en' (CONFIRMED [EF]);
-- Enabled 1 = updates in this language are synchronized (CONFIRMED [VERIFY]);
-- UssEnabled 1 = the upstream offers the language (LIKELY, open-questions Q7a).
-- Result: language_id, short_language, enabled, uss_enabled.
SELECT
	l.LanguageID AS language_id,
	l.ShortLanguage AS short_language,
	l.Enabled AS enabled,
	l.UssEnabled AS uss_enabled
FROM dbo.tbLanguage l
