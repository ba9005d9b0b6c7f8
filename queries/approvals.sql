-- approvals.sql: every approval (deployment) to a computer target group, any action.
-- Reads: dbo.tbDeployment, dbo.tbRevision, dbo.tbUpdate, dbo.tbTargetGroup.
-- Relies on (schema.md Q3, open-questions Q3/Q6):
--   one tbDeployment row per approval of one revision to one group         CONFIRMED [EF]
--   TargetGroupTypeID = 0 for computer target groups                       CONFIRMED*
--   ActionID 0 Install, 1 Uninstall, 2 Scan, 3 Block                       CONFIRMED (MS-WSUSSS)
--   DeploymentStatus 1 = active, 0 = pending                               CONFIRMED
-- The approved revision need not be the latest (stale approvals): revision_number says which.
-- Result: update_guid, revision_number, group_guid, group_name, action_id, deployment_status,
-- deployment_time, admin_name.
SELECT
	u.UpdateID AS update_guid,
	r.RevisionNumber AS revision_number,
	d.TargetGroupID AS group_guid,
	g.Name AS group_name,
	d.ActionID AS action_id,
	d.DeploymentStatus AS deployment_status,
	d.DeploymentTime AS deployment_time,
	d.AdminName AS admin_name
FROM dbo.tbDeployment d
	JOIN dbo.tbRevision r ON r.RevisionID = d.RevisionID
	JOIN dbo.tbUpdate u ON u.LocalUpdateID = r.LocalUpdateID
	LEFT JOIN dbo.tbTargetGroup g ON g.TargetGroupID = d.TargetGroupID
WHERE d.TargetGroupTypeID = 0
