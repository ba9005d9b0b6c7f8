-- sync_events.sql: the 50 most recent synchronization events.
-- Reads: dbo.tbEventInstance.
-- Relies on (schema.md Q5, open-questions Q4):
--   EventNamespaceID = 2 holds server synchronization events               CONFIRMED [MAINT]
--   382 manual start, 384 completed successfully                           CONFIRMED [TRACK]
--   381 scheduled start, 386 failed                                        LIKELY
--   387 another end event                                                  UNKNOWN meaning
--   ReplacementStrings = message parameters, MiscData = exception text     INFERRED
-- The ntext columns are cut to 4000 characters, enough for the failure signature.
-- Result: event_id, time_at_server, win32_hresult, message, misc_data (newest first).
SELECT
	e.event_id,
	e.time_at_server,
	e.win32_hresult,
	e.message,
	e.misc_data
FROM (
	SELECT
		i.EventID AS event_id,
		i.TimeAtServer AS time_at_server,
		i.Win32HResult AS win32_hresult,
		CAST(i.ReplacementStrings AS NVARCHAR(4000)) AS message,
		CAST(i.MiscData AS NVARCHAR(4000)) AS misc_data,
		ROW_NUMBER() OVER (ORDER BY i.TimeAtServer DESC, i.EventOrdinalNumber DESC) AS rn
	FROM dbo.tbEventInstance i
	WHERE i.EventNamespaceID = 2
		AND i.EventID IN (381, 382, 384, 386, 387)
) e
WHERE e.rn <= 50
ORDER BY e.rn
