-- schema_version.sql: the SUSDB schema version rows, recorded for the report.
-- Reads: dbo.tbSchemaVersion.
-- Relies on: the columns ComponentName, BuildNumber, SchemaVersion (CONFIRMED [EF]). Their
-- values have never been seen publicly (open-questions Q2b): no check compares them.
-- Result: component_name, build_number, schema_version.
SELECT
	v.ComponentName AS component_name,
	v.BuildNumber AS build_number,
	v.SchemaVersion AS schema_version
FROM dbo.tbSchemaVersion v
