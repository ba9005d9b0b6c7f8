-- configuration.sql: the server's WSUS settings, one row.
-- Reads: dbo.tbConfigurationA, dbo.tbConfigurationB, dbo.tbConfigurationC (joined on
-- ConfigurationID; the lowest ConfigurationID, which is 1 in practice) and dbo.tbSingletonData.
-- Relies on (schema.md Q1, open-questions Q1/Q7):
--   SyncToMU 1 = Microsoft Update, 0 = upstream WSUS                        CONFIRMED
--   UpstreamServerName, UpstreamServerUseSSL, ReplicaMode, HostOnMu,
--   LazySync, BitsDownloadPriorityForeground, LocalContentCacheLocation    CONFIRMED
--   ServerPortNumber is the UPSTREAM's port                                 LIKELY
--   AnonymousProxyAccess, ProxyUserName, ProxyUserDomain (table C),
--   AllowProxyCredentialsOverNonSsl: mapping to the API settings by name    INFERRED
--   ServerSupportsAllLanguages = "all languages"                            INFERRED
--   tbSingletonData.UssHostOnMu = the upstream does not store files         LIKELY
-- The proxy password is never selected: only whether one is set.
-- Result: server_id, sync_to_mu, upstream_name, upstream_port, upstream_ssl, replica_mode,
-- host_on_mu, lazy_sync, express_files, use_proxy, proxy_name, proxy_port, proxy_anonymous,
-- proxy_user, proxy_domain, proxy_password_set, proxy_credentials_non_ssl, bits_foreground,
-- content_path, all_languages, uss_host_on_mu, last_config_change, mu_url.
SELECT
	a.ServerID AS server_id,
	a.SyncToMU AS sync_to_mu,
	a.UpstreamServerName AS upstream_name,
	a.ServerPortNumber AS upstream_port,
	a.UpstreamServerUseSSL AS upstream_ssl,
	c.ReplicaMode AS replica_mode,
	a.HostOnMu AS host_on_mu,
	c.LazySync AS lazy_sync,
	c.DownloadExpressPackages AS express_files,
	a.UseProxy AS use_proxy,
	a.ProxyName AS proxy_name,
	a.ProxyServerPort AS proxy_port,
	a.AnonymousProxyAccess AS proxy_anonymous,
	a.ProxyUserName AS proxy_user,
	c.ProxyUserDomain AS proxy_domain,
	CASE WHEN a.ProxyPassword IS NULL OR a.ProxyPassword = N'' THEN 0 ELSE 1 END
		AS proxy_password_set,
	c.AllowProxyCredentialsOverNonSsl AS proxy_credentials_non_ssl,
	c.BitsDownloadPriorityForeground AS bits_foreground,
	b.LocalContentCacheLocation AS content_path,
	b.ServerSupportsAllLanguages AS all_languages,
	s.UssHostOnMu AS uss_host_on_mu,
	a.LastConfigChange AS last_config_change,
	b.MUUrl AS mu_url
FROM dbo.tbConfigurationA a
	JOIN dbo.tbConfigurationB b ON b.ConfigurationID = a.ConfigurationID
	JOIN dbo.tbConfigurationC c ON c.ConfigurationID = a.ConfigurationID
	LEFT JOIN dbo.tbSingletonData s
		ON s.ID = (SELECT MIN(s2.ID) FROM dbo.tbSingletonData s2)
WHERE a.ConfigurationID = (SELECT MIN(a2.ConfigurationID) FROM dbo.tbConfigurationA a2)
