-- table_rows.sql: row counts of the SUSDB tables that grow without bound (maintenance
-- health, database-size).
-- Reads: sys.partitions, sys.tables, sys.schemas (catalog views).
-- Relies on (needs.md Q3, schema.md "Size / retention"):
--   KB 909131: more than 1 million rows in tbEventInstance causes timeouts         CONFIRMED
--   sys.partitions.rows of the heap or clustered index (index_id 0 or 1) is the table's
--   row count (approximate while rows change)                                      CONFIRMED
--   tbRevision and tbComputerTarget are shown for scale only                       (design)
-- Result: table_name, row_count (one row per table present).
SELECT
	t.name AS table_name,
	CAST(SUM(p.rows) AS BIGINT) AS row_count
FROM sys.partitions p
	JOIN sys.tables t ON t.object_id = p.object_id
	JOIN sys.schemas s ON s.schema_id = t.schema_id
WHERE p.index_id IN (0, 1)
	AND s.name = N'dbo'
	AND t.name IN (N'tbEventInstance', N'tbRevision', N'tbComputerTarget')
GROUP BY t.name
ORDER BY t.name
