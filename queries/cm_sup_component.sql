-- cm_sup_component.sql: the software update point component's settings (discover, audit).
-- Reads: dbo.vSMS_SC_Component_Properties joined to dbo.SC_Component on ID: Microsoft's own
-- read-only query ([SUPCFG]), restricted to the two WSUS components susaudit compares.
-- Relies on (/work/shared/needs.md Q2):
--   the join and the columns                                                CONFIRMED [SUPCFG]
--   SMS_WSUS_CONFIGURATION_MANAGER: DefaultUseParentWSUS (0 Microsoft Update,
--   1 upstream, 2 none), ParentWSUS (Value2, upstream host[:port]),
--   SupportedUpdateLanguages (Value2, comma list)                           CONFIRMED [CMDSC]
--   SMS_WSUS_SYNC_MANAGER: Sync ExpressFiles                                CONFIRMED [CMDSC]
--   integer settings are in Value3                                          LIKELY
-- Result: component, item_name, name, value1, value2, value3.
SELECT
	c.ComponentName AS component,
	c.Name AS item_name,
	p.Name AS name,
	p.Value1 AS value1,
	p.Value2 AS value2,
	p.Value3 AS value3
FROM dbo.vSMS_SC_Component_Properties p
	JOIN dbo.SC_Component c ON c.ID = p.ID
WHERE c.ComponentName IN (N'SMS_WSUS_CONFIGURATION_MANAGER', N'SMS_WSUS_SYNC_MANAGER')
ORDER BY c.ComponentName, c.Name, p.Name
