-- downstream_servers.sql: the downstream WSUS servers that synchronize from this server.
-- Reads: dbo.tbDownstreamServerTarget (it lives in the UPSTREAM's SUSDB).
-- Relies on (schema.md Q1, open-questions Q2c):
--   AccountName = the downstream's name                                    CONFIRMED [SHARP]
--   AccountServerID = the downstream's tbConfigurationA.ServerID           INFERRED (name +
--                                                                 unique index)
--   Version = the downstream's WSUS version, e.g. '10.0.17763.1'           CONFIRMED (MS-WSUSSS)
--   IsReplica = the downstream's own replica flag                          CONFIRMED
-- Result: account_name, account_server_id, version, is_replica, last_sync_time.
SELECT
	d.AccountName AS account_name,
	d.AccountServerID AS account_server_id,
	d.Version AS version,
	d.IsReplica AS is_replica,
	d.LastSyncTime AS last_sync_time
FROM dbo.tbDownstreamServerTarget d
