-- fix_bits_read.sql: what `susaudit fix bits-foreground` reads before (and, inside its
-- transaction, again while) it changes anything, and to read its change back. One row.
-- Reads: dbo.tbConfigurationA, dbo.tbConfigurationC (the lowest ConfigurationID, which is 1
-- in practice, as configuration.sql), dbo.tbFileDownloadProgress, dbo.tbDeployment,
-- dbo.tbRevision.
-- Relies on (schema.md, open-questions Q3; DOMAIN.md R9):
--   tbConfigurationC.BitsDownloadPriorityForeground, 1 = foreground BITS     CONFIRMED
--   tbConfigurationA.UseProxy, ProxyName, ProxyServerPort                    CONFIRMED
--   tbFileDownloadProgress: one row per file waiting or downloading          LIKELY
--   tbRevision.State 4 not yet downloaded, 7 download failed, 8 EULA failed  LIKELY
--   tbDeployment.TargetGroupTypeID 0 = computer groups, ActionID 0/1 install CONFIRMED*
-- The proxy password is never selected.
-- Result: configuration_id, bits_foreground, use_proxy, proxy_name, proxy_port, queued_files,
-- approved_not_arriving.
SELECT
	c.ConfigurationID AS configuration_id,
	CAST(c.BitsDownloadPriorityForeground AS INT) AS bits_foreground,
	CAST(a.UseProxy AS INT) AS use_proxy,
	a.ProxyName AS proxy_name,
	a.ProxyServerPort AS proxy_port,
	(SELECT COUNT(*) FROM dbo.tbFileDownloadProgress q) AS queued_files,
	(SELECT COUNT(*) FROM dbo.tbRevision r
		WHERE r.State IN (4, 7, 8) AND EXISTS (SELECT 1 FROM dbo.tbDeployment d
			WHERE d.RevisionID = r.RevisionID AND d.TargetGroupTypeID = 0
			AND d.ActionID IN (0, 1))) AS approved_not_arriving
FROM dbo.tbConfigurationC c
	JOIN dbo.tbConfigurationA a ON a.ConfigurationID = c.ConfigurationID
WHERE c.ConfigurationID = (SELECT MIN(c2.ConfigurationID) FROM dbo.tbConfigurationC c2)
