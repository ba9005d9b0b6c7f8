-- update_categories.sql: the product and classification of each update's latest revision.
-- Reads: dbo.tbRevision, dbo.tbProperty, dbo.tbUpdate, dbo.tbRevisionInCategory,
-- dbo.tbCategory.
-- Relies on: tbRevisionInCategory(RevisionID, CategoryID) = membership (CONFIRMED [EF]);
-- CategoryID = the category's tbUpdate.LocalUpdateID (CONFIRMED [X10]); CategoryType
-- 'Product' / 'UpdateClassification' (CONFIRMED); same revision set as updates.sql
-- (IsLatestRevision = 1, no Category/Detectoid revisions: CONFIRMED / CONFIRMED*).
-- Result: update_guid, category_guid.
SELECT
	u.UpdateID AS update_guid,
	cu.UpdateID AS category_guid
FROM dbo.tbUpdate u
	JOIN dbo.tbRevision r ON r.LocalUpdateID = u.LocalUpdateID AND r.IsLatestRevision = 1
	LEFT JOIN dbo.tbProperty p ON p.RevisionID = r.RevisionID
	JOIN dbo.tbRevisionInCategory ric ON ric.RevisionID = r.RevisionID
	JOIN dbo.tbCategory c ON c.CategoryID = ric.CategoryID
	JOIN dbo.tbUpdate cu ON cu.LocalUpdateID = c.CategoryID
WHERE (p.UpdateType IS NULL OR p.UpdateType NOT IN (N'Category', N'Detectoid'))
	AND c.CategoryType IN (N'Product', N'UpdateClassification')
