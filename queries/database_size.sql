-- database_size.sql: the size of SUSDB's data and log files and the SQL Server edition
-- (maintenance health, database-size).
-- Reads: sys.database_files (catalog view), SERVERPROPERTY('EngineEdition').
-- Relies on: sys.database_files.size in 8-KB pages, type 0 rows (data) and 1 log  CONFIRMED
--   (needs.md Q3 "SUSDB / table size"); EngineEdition 4 = Express, whose databases are
--   capped at 10 GB of data (SQL Server 2008 R2 and later)                          CONFIRMED
--   visibility: every user of a database sees its sys.database_files rows          LIKELY
-- Result: data_kb, log_kb, engine_edition (one row).
SELECT
	CAST(COALESCE(SUM(CASE WHEN f.type = 0 THEN CAST(f.size AS BIGINT) ELSE 0 END), 0) * 8
		AS BIGINT) AS data_kb,
	CAST(COALESCE(SUM(CASE WHEN f.type = 1 THEN CAST(f.size AS BIGINT) ELSE 0 END), 0) * 8
		AS BIGINT) AS log_kb,
	CAST(SERVERPROPERTY('EngineEdition') AS INT) AS engine_edition
FROM sys.database_files f
