-- categories.sql: products and classifications the server knows, and its subscription.
-- Reads: dbo.tbCategory, dbo.tbUpdate, dbo.tbPrecomputedCategoryLocalizedProperty,
-- dbo.tbCategoryInSubscription.
-- Relies on (schema.md Q2):
--   tbCategory.CategoryID = tbUpdate.LocalUpdateID, so the category GUID is tbUpdate.UpdateID
--                                                                          CONFIRMED ([X10] FK)
--   CategoryType values 'Product' and 'UpdateClassification'               CONFIRMED
--   a row in tbCategoryInSubscription = selected for synchronization       INFERRED (name,
--                                                    matches MS-WSUSSS ServerSyncFilter)
--   English titles under ShortLanguage 'en'                                INFERRED
-- Result: category_guid, category_type, title (NULL when no English title), subscribed (0/1).
SELECT
	u.UpdateID AS category_guid,
	c.CategoryType AS category_type,
	t.Title AS title,
	CASE WHEN EXISTS (SELECT 1 FROM dbo.tbCategoryInSubscription s
	                  WHERE s.CategoryID = c.CategoryID)
		THEN 1 ELSE 0 END AS subscribed
FROM dbo.tbCategory c
	JOIN dbo.tbUpdate u ON u.LocalUpdateID = c.CategoryID
	LEFT JOIN dbo.tbPrecomputedCategoryLocalizedProperty t
		ON t.CategoryID = c.CategoryID AND t.ShortLanguage = N'en'
WHERE c.CategoryType IN (N'Product', N'UpdateClassification')
