-- schema_columns.sql: which of the SUSDB columns susaudit reads exist on this server.
-- Reads: INFORMATION_SCHEMA.COLUMNS (documented SQL Server catalog view).
-- Relies on: nothing WSUS-specific. The collector compares the result with the columns every
-- other query in queries/ names, and records missing ones (schema-unsupported) before it runs
-- them, because column sets differ between WSUS versions (schema.md, uncertainty 15).
-- Result: table_name, column_name (one row per existing column).
SELECT
	c.TABLE_NAME AS table_name,
	c.COLUMN_NAME AS column_name
FROM INFORMATION_SCHEMA.COLUMNS c
WHERE c.TABLE_SCHEMA = N'dbo'
	AND c.TABLE_NAME IN (
		N'tbSchemaVersion', N'tbConfigurationA', N'tbConfigurationB', N'tbConfigurationC',
		N'tbSingletonData', N'tbLanguage', N'tbCategory', N'tbUpdate',
		N'tbPrecomputedCategoryLocalizedProperty', N'tbCategoryInSubscription', N'tbRevision',
		N'tbProperty', N'tbPreComputedLocalizedProperty', N'tbKBArticleForRevision',
		N'tbRevisionInCategory', N'tbRevisionLanguage', N'tbDeployment', N'tbTargetGroup',
		N'tbFileDownloadProgress', N'tbEventInstance', N'tbDownstreamServerTarget')
ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION
