-- download_queue.sql: the server's content download queue, one row.
-- Reads: dbo.tbFileDownloadProgress.
-- Relies on: one row per file waiting or downloading, with TotalBytesForDownload and
-- BytesDownloaded (columns CONFIRMED [EF]; "the queue" LIKELY, open-questions Q3: it matches
-- the API's GetContentDownloadProgress).
-- Result: files, total_bytes, downloaded_bytes (0 when the queue is empty).
SELECT
	COUNT(*) AS files,
	CAST(COALESCE(SUM(q.TotalBytesForDownload), 0) AS BIGINT) AS total_bytes,
	CAST(COALESCE(SUM(q.BytesDownloaded), 0) AS BIGINT) AS downloaded_bytes
FROM dbo.tbFileDownloadProgress q
