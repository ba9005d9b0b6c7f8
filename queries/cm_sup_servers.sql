-- cm_sup_servers.sql: the software update points of every site, one row per SUP (discover).
-- Reads: dbo.SysResList in the site database.
-- Relies on (/work/shared/needs.md Q2, [SDP] "List of Site Systems"):
--   SysResList with SiteCode, RoleName, ServerName, InternetEnabled,
--   SslState                                                                CONFIRMED*
--   RoleName N'SMS Software Update Point' names the SUP role                CONFIRMED*
--   ServerName is the server's FQDN                                         LIKELY
--   InternetEnabled 1 = the site system accepts internet clients            INFERRED (name)
-- Result: site_code, server_name, internet_enabled, ssl_state.
SELECT
	r.SiteCode AS site_code,
	r.ServerName AS server_name,
	r.InternetEnabled AS internet_enabled,
	r.SslState AS ssl_state
FROM dbo.SysResList r
WHERE r.RoleName = N'SMS Software Update Point'
ORDER BY r.SiteCode, r.ServerName
