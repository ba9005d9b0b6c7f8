-- index_fragmentation.sql: fragmentation of SUSDB's indexes, read the cheap way (maintenance
-- health, index-fragmentation).
-- Reads: sys.dm_db_index_physical_stats(DB_ID(), NULL, NULL, NULL, 'LIMITED'), sys.indexes,
-- sys.tables.
-- Relies on (needs.md Q3, [REIDX]; sql-docs sys-dm-db-index-physical-stats-transact-sql.md):
--   Microsoft's reindex script selects (page_count > 50 AND avg_fragmentation_in_percent
--   > 15) OR (page_count > 10 AND avg_fragmentation_in_percent > 80) (and a page-density
--   test that needs SAMPLED)                                                        CONFIRMED
--   LIMITED reads only the parent level, returns avg_fragmentation_in_percent and page_count
--   and NULL page density                                                           CONFIRMED
--   the DMF needs VIEW DATABASE STATE (SQL Server 2022: VIEW DATABASE PERFORMANCE STATE,
--   LIKELY); without it SQL Server answers 300 and 297: the collector records the denial and
--   the check is 'skipped' for that server                                           CONFIRMED
-- Indexes of 10 pages or fewer are left out: no threshold of the script applies to them.
-- fragmentation_x100 is avg_fragmentation_in_percent times 100, so the check compares exactly.
-- Result: table_name, index_name, page_count, fragmentation_x100 (one row per index).
SELECT
	t.name AS table_name,
	i.name AS index_name,
	CAST(ps.page_count AS BIGINT) AS page_count,
	CAST(ps.avg_fragmentation_in_percent * 100 AS BIGINT) AS fragmentation_x100
FROM sys.dm_db_index_physical_stats(DB_ID(), NULL, NULL, NULL, 'LIMITED') ps
	JOIN sys.indexes i ON i.object_id = ps.object_id AND i.index_id = ps.index_id
	JOIN sys.tables t ON t.object_id = ps.object_id
WHERE ps.index_id > 0
	AND ps.alloc_unit_type_desc = N'IN_ROW_DATA'
	AND ps.page_count > 10
ORDER BY t.name, i.name
