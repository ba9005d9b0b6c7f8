-- cm_sites_table.sql: the site tree from the Sites table, when v_Site is missing (discover).
-- Reads: dbo.Sites in the site database.
-- Relies on (/work/shared/needs.md Q2, [SDP] "Sites Output"):
--   Sites with SiteCode, SiteName, ReportToSite (the parent), SiteType,
--   SiteServer                                                              CONFIRMED*
--   SiteType uses v_Site's Type values (2 primary, 1 secondary)             INFERRED
-- Result: site_code, site_name, parent_code, site_type, server_name (as cm_sites.sql).
SELECT
	s.SiteCode AS site_code,
	s.SiteName AS site_name,
	s.ReportToSite AS parent_code,
	s.SiteType AS site_type,
	s.SiteServer AS server_name
FROM dbo.Sites s
ORDER BY s.SiteCode
