-- custom_indexes.sql: the nonclustered indexes on the two tables Microsoft tells admins to
-- index, by their first key column (maintenance health, custom-indexes).
-- Reads: sys.indexes, sys.index_columns, sys.columns, sys.tables, sys.schemas (catalog views).
-- Relies on (needs.md Q3, [MAINTG] "Create custom indexes", [CMMAINT]):
--   Microsoft's DDL: nclLocalizedPropertyID on tbLocalizedPropertyForRevision
--   (LocalizedPropertyID) and nclSupercededUpdateID on tbRevisionSupersedesUpdate
--   (SupersededUpdateID)                                                           CONFIRMED
--   Configuration Manager 1906+ "Add non-clustered indexes" indexes the same tables under
--   names it does not document                                                     CONFIRMED (tables)
--   so an index counts by table and first key column, never by name               (design)
--   catalog visibility: the login sees the indexes of tables it can SELECT from    LIKELY
-- Result: table_name, index_name, first_column (one row per nonclustered index).
SELECT
	t.name AS table_name,
	i.name AS index_name,
	c.name AS first_column
FROM sys.indexes i
	JOIN sys.tables t ON t.object_id = i.object_id
	JOIN sys.schemas s ON s.schema_id = t.schema_id
	JOIN sys.index_columns ic
		ON ic.object_id = i.object_id AND ic.index_id = i.index_id AND ic.key_ordinal = 1
	JOIN sys.columns c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
WHERE i.type = 2
	AND s.name = N'dbo'
	AND t.name IN (N'tbLocalizedPropertyForRevision', N'tbRevisionSupersedesUpdate')
ORDER BY t.name, i.name
