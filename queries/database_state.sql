-- database_state.sql: SUSDB's state, user access and owner (maintenance health,
-- database-state).
-- Reads: sys.databases (the row of the database connected to), SUSER_SNAME().
-- Relies on (needs.md Q3 "DB state"):
--   state_desc, user_access_desc, owner_sid of sys.databases                        CONFIRMED
--   the row of the current database is always visible to its users                CONFIRMED
--   SUSER_SNAME(owner_sid) is NULL when no login has the owner's SID (the owner was
--   dropped, or the database was attached from elsewhere)                           LIKELY
--   that a SUSDB left single_user or without owner matters to WSUS (CSS asks for it
--   for WID databases; wid-to-sql-migration sets single_user to detach)            LIKELY
-- Result: state, user_access, owner_name, owner_sid_set (one row).
SELECT
	d.state_desc AS state,
	d.user_access_desc AS user_access,
	SUSER_SNAME(d.owner_sid) AS owner_name,
	CASE WHEN d.owner_sid IS NULL THEN 0 ELSE 1 END AS owner_sid_set
FROM sys.databases d
WHERE d.name = DB_NAME()
