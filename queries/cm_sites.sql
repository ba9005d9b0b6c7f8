-- cm_sites.sql: the Configuration Manager site tree, one row per site (discover).
-- Reads: dbo.v_Site in the site database (CM_<code>): a documented reporting view.
-- Relies on (/work/shared/needs.md Q2):
--   v_Site with SiteCode, SiteName, ReportingSiteCode (the parent), Type,
--   ServerName                                                             CONFIRMED (schema.md)
--   Type 2 = primary, 1 = secondary (public queries)                       CONFIRMED*
--   Type of a CAS: not documented; discover derives it from the tree (a top
--   site with primary sites under it is a CAS)                              INFERRED
-- When the view is missing (error 208) discover reads cm_sites_table.sql instead.
-- Result: site_code, site_name, parent_code, site_type, server_name.
SELECT
	s.SiteCode AS site_code,
	s.SiteName AS site_name,
	s.ReportingSiteCode AS parent_code,
	s.Type AS site_type,
	s.ServerName AS server_name
FROM dbo.v_Site s
ORDER BY s.SiteCode
