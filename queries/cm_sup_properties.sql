-- cm_sup_properties.sql: the site control properties of every SUP role (discover, audit).
-- Reads: dbo.vSMS_SC_SysResUse joined to dbo.vSMS_SC_SysResUse_Properties on ID.
-- Relies on (/work/shared/needs.md Q2):
--   vSMS_SC_SysResUse_Properties (ID, Name, Value1, Value2, Value3), Value1 and
--   Value2 nvarchar, Value3 int, joined on SRU.ID = SRUP.ID                  CONFIRMED
--   vSMS_SC_SysResUse has SiteCode, RoleName and NALPath (the columns of the
--   SMS_SCI_SysResUse WMI class it stores)                                  INFERRED
--   the server is the last \\host\ of NALPath                               INFERRED
--   property names WSUSIISPort, WSUSIISSSLPort, SSLWSUS, IsINF,
--   DBServerName (Value2 = SQLSERVER\INSTANCE), UseParentWSUS                CONFIRMED*
--   integer properties are in Value3 (WMI SMS_EmbeddedProperty.Value)        LIKELY
-- Result: site_code, nal_path, name, value1, value2, value3.
SELECT
	u.SiteCode AS site_code,
	u.NALPath AS nal_path,
	p.Name AS name,
	p.Value1 AS value1,
	p.Value2 AS value2,
	p.Value3 AS value3
FROM dbo.vSMS_SC_SysResUse u
	JOIN dbo.vSMS_SC_SysResUse_Properties p ON p.ID = u.ID
WHERE u.RoleName = N'SMS Software Update Point'
ORDER BY u.SiteCode, u.NALPath, p.Name
