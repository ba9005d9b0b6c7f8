/* checks: the catalogue of checks (one sorted const table) and the runner that walks the chain
 * edge by edge, holding at most one upstream and one downstream detail at a time. */
#include "check.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli_options.h"
#include "json_write.h"
#include "log.h"
#include "xalloc.h"

/* The catalogue (INTERFACE.md), sorted by id. Ids are stable: never renumber or reuse one. */
static const struct check_def check_table[] = {
    {
	/* A server nobody can read is a hole in the chain: its neighbours' checks lose half
	 * their evidence. It arises from wrong connection settings, a stopped SQL instance, a
	 * login without rights on SUSDB, or a Windows Internal Database that FreeTDS cannot
	 * reach. It is a finding, never a silent skip. */
	.id = 1,
	.name = "server-unreachable",
	.area = "server",
	.severity = SEVERITY_ERROR,
	.rule = "-",
	.summary = "a server's SUSDB could not be reached or read",
	.remedy = "make the SUSDB reachable (SQL login, firewall, instance, WID) and collect again",
	.why = "a server that cannot be read hides every inconsistency on its links",
	.reads = 0,
	.flags = CHECK_ABOUT_COLLECTION,
	.run_model = check_server_unreachable,
    },
    {
	/* WSUS versions differ in their SUSDB schema; a check that silently read nothing would
	 * report a clean chain. Naming the table and column tells the admin which checks were
	 * blind on which server. */
	.id = 2,
	.name = "schema-unsupported",
	.area = "server",
	.severity = SEVERITY_ERROR,
	.rule = "-",
	.summary = "a SUSDB lacks a table or column a check needs (the check is then error for "
		   "that server)",
	.remedy = "collect with a susaudit that supports this WSUS version, or report the schema",
	.why = "a check that cannot read its columns must say so instead of passing",
	.reads = 0,
	.flags = CHECK_ABOUT_COLLECTION,
	.run_model = check_schema_unsupported,
    },
    {
	/* R1/R2: only the top-level SUP syncs from Microsoft Update (or from the named external
	 * WSUS); every other SUP syncs from its parent or site's first SUP. A wrong source
	 * duplicates Internet traffic and splits the catalogue; it arises from manual changes in
	 * the WSUS console that WCM has not (yet) reverted, or a SUP installed before its site
	 * was attached. */
	.id = 3,
	.name = "sync-source",
	.area = "source",
	.severity = SEVERITY_ERROR,
	.rule = "R1, R2",
	.summary =
	    "a server syncs from Microsoft Update where it should sync from an upstream, or the "
	    "reverse",
	.remedy =
	    "set Options > Update Source and Proxy Server as the role requires; in Configuration "
	    "Manager fix the software update point settings and let WCM reapply them",
	.why = "a server with the wrong source forks the catalogue from the rest of the chain",
	.reads = CHECK_READS(QUERY_CONFIGURATION),
	.flags = CHECK_LINK,
	.run_model = check_sync_source,
    },
    {
	/* R2/R3/R5: the upstream must be the server the role requires, by its FQDN. Pointing at
	 * another server gives the downstream a different catalogue (R7); naming the right one
	 * by NetBIOS or IP works until name resolution or addresses change. */
	.id = 4,
	.name = "upstream-server",
	.area = "source",
	.severity = SEVERITY_ERROR,
	.rule = "R2, R3, R5",
	.summary = "the configured upstream is not the server the role requires (warning when it "
		   "names the "
		   "right server by another naming convention)",
	.remedy = "set the upstream server name to the required server's FQDN",
	.why = "a downstream on the wrong upstream gets another catalogue and other approvals",
	.reads = CHECK_READS(QUERY_CONFIGURATION),
	.flags = CHECK_LINK,
	.run_model = check_upstream_server,
    },
    {
	/* R5: an upstream name that matches no server (name or alias) is either a server the
	 * hierarchy file does not describe, a typo that fails name resolution, or a stale name
	 * after a migration. */
	.id = 5,
	.name = "upstream-unknown",
	.area = "source",
	.severity = SEVERITY_WARNING,
	.rule = "R5",
	.summary = "the configured upstream matches no server of the hierarchy",
	.remedy = "point the server at a server of the hierarchy, or add the name to that server's "
		  "aliases",
	.why = "a downstream syncing from an unknown server is outside the audited chain",
	.reads = CHECK_READS(QUERY_CONFIGURATION),
	.flags = CHECK_LINK,
	.run_model = check_upstream_unknown,
    },
    {
	/* R3: the port must be the one the upstream's WSUS web site really uses (8530/8531 on
	 * WSUS 6.2+, 80/443 before). It breaks after wsusutil usecustomwebsite or a migration.
	 * tbConfigurationA.ServerPortNumber read as the upstream port is LIKELY (Q1). */
	.id = 6,
	.name = "upstream-port",
	.area = "source",
	.severity = SEVERITY_ERROR,
	.rule = "R3",
	.summary = "the upstream port differs from the upstream's WSUS port",
	.remedy = "set the upstream port to the port the upstream's WSUS web site uses",
	.why = "a wrong port makes every synchronization fail to connect",
	.reads = CHECK_READS(QUERY_CONFIGURATION),
	.flags = CHECK_LINK,
	.run_model = check_upstream_port,
    },
    {
	/* R3: SSL is on exactly when the upstream runs HTTPS. A mismatch fails the TLS handshake
	 * or sends metadata in clear text to a server that expects HTTPS. */
	.id = 7,
	.name = "upstream-ssl",
	.area = "source",
	.severity = SEVERITY_ERROR,
	.rule = "R3",
	.summary =
	    "SSL to the upstream is on where the upstream does not use SSL, or off where it does",
	.remedy = "set \"Use SSL when synchronizing update information\" as the upstream's web "
		  "site requires",
	.why = "a mismatched SSL setting fails every synchronization",
	.reads = CHECK_READS(QUERY_CONFIGURATION),
	.flags = CHECK_LINK,
	.run_model = check_upstream_ssl,
    },
    {
	/* R4: the top SUP and a primary's first SUP are autonomous; other SUPs, internet SUPs and
	 * secondary SUPs are replicas. A first SUP in replica mode cannot be administered by
	 * Configuration Manager; an autonomous second SUP drifts from its site's approvals. */
	.id = 8,
	.name = "replica-mode",
	.area = "source",
	.severity = SEVERITY_ERROR,
	.rule = "R4",
	.summary = "replica mode is not what the server's role requires",
	.remedy =
	    "set or clear \"This server is a replica of the upstream server\" as the role requires",
	.why = "the wrong mode either locks Configuration Manager out or lets approvals drift",
	.reads = CHECK_READS(QUERY_CONFIGURATION),
	.flags = CHECK_LINK,
	.run_model = check_replica_mode,
    },
    {
	/* Two servers that sync from each other (directly or around a loop) never receive
	 * anything new; it arises when upstreams are edited by hand during a migration. */
	.id = 9,
	.name = "upstream-cycle",
	.area = "source",
	.severity = SEVERITY_ERROR,
	.rule = "-",
	.summary = "following upstreams leads back to the same server",
	.remedy =
	    "break the loop: point the server that should be upstream-most at its required source",
	.why = "servers in a loop never receive new updates",
	.reads = CHECK_READS(QUERY_CONFIGURATION),
	.flags = CHECK_LINK,
	.run_model = check_upstream_cycle,
    },
    {
	/* Microsoft requires a downstream to run the same or an older WSUS version than its
	 * upstream (Q2a); it arises when servers are upgraded bottom-up. Versions come from the
	 * upstream's tbDownstreamServerTarget.Version or the hierarchy's wsus-version. */
	.id = 10,
	.name = "version-order",
	.area = "source",
	.severity = SEVERITY_WARNING,
	.rule = "-",
	.summary = "a downstream runs a newer WSUS version than its upstream",
	.remedy = "upgrade the upstream first (top-down), or hold the downstream at the upstream's "
		  "version",
	.why = "a newer downstream may ask for metadata its upstream cannot serve",
	.reads = CHECK_READS(QUERY_CONFIGURATION) | CHECK_READS(QUERY_DOWNSTREAM_SERVERS),
	.flags = CHECK_LINK,
	.run_model = check_version_order,
    },
    {
	/* R6 with Q7's nuance: a hard rule in WSUS 2.0, a choice since 3.0. A downstream that
	 * stores files locally under an upstream that does not fetches them from Microsoft
	 * Update itself, which fails where it cannot reach the Internet. Replicas follow their
	 * upstream, so their local value is not a misconfiguration. */
	.id = 11,
	.name = "storage-option",
	.area = "content",
	.severity = SEVERITY_WARNING,
	.rule = "R6",
	.summary = "an autonomous downstream stores update files differently from its upstream "
		   "(error when "
		   "it stores them locally, its upstream does not, and its files are not arriving)",
	.remedy =
	    "use the same storage option as the upstream (Options > Update Files and Languages)",
	.why = "a downstream storing files its upstream does not have must reach Microsoft Update",
	.reads = CHECK_READS(QUERY_CONFIGURATION) | CHECK_READS(QUERY_UPDATES) |
		 CHECK_READS(QUERY_APPROVALS) | CHECK_READS(QUERY_DOWNLOAD_QUEUE),
	.flags = CHECK_LINK,
	.run_model = check_storage_option,
    },
    {
	/* R7: a downstream can only get what its upstream has. It breaks when the upstream was
	 * reinstalled with fewer products/classifications or the downstream was moved to an
	 * upstream with another subscription; the downstream's own subscription is ignored by
	 * WSUS (Q7b). Such updates never download and their approvals never become active. */
	.id = 12,
	.name = "missing-upstream-updates",
	.area = "updates",
	.severity = SEVERITY_ERROR,
	.rule = "R7",
	.summary = "a downstream has approved or needed updates that its upstream does not have",
	.remedy = "add the product/classification to the upstream's subscription (Configuration "
		  "Manager: the top-level site's software update point component) and sync, or "
		  "decline the updates where approvals are made (never at a replica)",
	.why = "updates the upstream lacks never download at the downstream",
	.reads = CHECK_READS(QUERY_CONFIGURATION) | CHECK_READS(QUERY_UPDATES) |
		 CHECK_READS(QUERY_UPDATE_CATEGORIES) | CHECK_READS(QUERY_CATEGORIES) |
		 CHECK_READS(QUERY_APPROVALS),
	.flags = CHECK_LINK,
	.run_edge = check_missing_upstream_updates,
    },
    {
	/* R8: a replica mirrors its upstream's approvals, but only active ones. A language change
	 * upstream after synchronizing leaves approvals pending for good (listinactiveapprovals),
	 * so the replica shows fewer; a failed replica sync also leaves it behind. */
	.id = 13,
	.name = "approval-drift",
	.area = "approvals",
	.severity = SEVERITY_WARNING,
	.rule = "R8",
	.summary = "a replica's approved updates differ from its upstream's",
	.remedy = "synchronize the replica; if approvals are inactive upstream run wsusutil "
		  "listinactiveapprovals / removeinactiveapprovals there",
	.why = "clients of a drifted replica do not get what the upstream approved",
	.reads = CHECK_READS(QUERY_CONFIGURATION) | CHECK_READS(QUERY_UPDATES) |
		 CHECK_READS(QUERY_UPDATE_LANGUAGES) | CHECK_READS(QUERY_APPROVALS) |
		 CHECK_READS(QUERY_LANGUAGES),
	.flags = CHECK_LINK,
	.run_edge = check_approval_drift,
    },
    {
	/* R8: an autonomous downstream may enable a subset of its upstream's languages, never a
	 * language the upstream lacks: those files can never arrive. A language change on an
	 * upstream also makes approvals inactive (listinactiveapprovals). */
	.id = 14,
	.name = "language-mismatch",
	.area = "approvals",
	.severity = SEVERITY_WARNING,
	.rule = "R8",
	.summary =
	    "an autonomous downstream enables a language its upstream does not, or a server's "
	    "languages changed since the last stored audit",
	.remedy = "enable the language at the upstream (Options > Update Files and Languages) or "
		  "disable it "
		  "at the downstream",
	.why = "files in a language the upstream does not download never arrive",
	.reads = CHECK_READS(QUERY_CONFIGURATION) | CHECK_READS(QUERY_LANGUAGES),
	.flags = CHECK_LINK,
	.run_model = check_language_mismatch,
    },
    {
	/* R8, heuristic per Q6: an approval stays pending (DeploymentStatus 0) for good when no
	 * language of its update is enabled any more; replicas never receive it. Said as
	 * "possible" because the exact definition wsusutil uses is not public. */
	.id = 15,
	.name = "inactive-approvals",
	.area = "approvals",
	.severity = SEVERITY_WARNING,
	.rule = "R8",
	.summary = "approvals that can never become active because their update's languages are "
		   "not enabled",
	.remedy =
	    "run wsusutil listinactiveapprovals, then removeinactiveapprovals or re-enable the "
	    "language",
	.why = "pending approvals that cannot complete hide missing content and shrink replicas",
	.reads = CHECK_READS(QUERY_CONFIGURATION) | CHECK_READS(QUERY_UPDATES) |
		 CHECK_READS(QUERY_UPDATE_LANGUAGES) | CHECK_READS(QUERY_APPROVALS) |
		 CHECK_READS(QUERY_LANGUAGES),
	.run_server = check_inactive_approvals,
    },
    {
	/* R9: background BITS needs HTTP 1.1 range requests; a proxy that does not speak HTTP 1.1
	 * makes every file download stall. Foreground priority works around it. */
	.id = 16,
	.name = "bits-foreground",
	.area = "content",
	.severity = SEVERITY_WARNING,
	.rule = "R9",
	.summary = "downloads go through a proxy, files are not arriving, and "
		   "BitsDownloadPriorityForeground "
		   "is 0",
	.remedy = "stop WSUSService, susaudit fix bits-foreground (dry run, then --apply), start "
		  "WSUSService, synchronize",
	.why = "downloads stall behind a proxy that does not speak HTTP 1.1",
	.reads = CHECK_READS(QUERY_CONFIGURATION) | CHECK_READS(QUERY_UPDATES) |
		 CHECK_READS(QUERY_APPROVALS) | CHECK_READS(QUERY_DOWNLOAD_QUEUE),
	.run_model = check_bits_foreground,
    },
    {
	/* R10: an authenticating proxy refuses WSUS without complete credentials (HTTP 407);
	 * they go missing after a password change or a partial reconfiguration by WCM. */
	.id = 17,
	.name = "proxy-credentials",
	.area = "content",
	.severity = SEVERITY_ERROR,
	.rule = "R10",
	.summary = "a proxy that needs credentials has an incomplete user, domain or password",
	.remedy =
	    "enter the user name, domain and password in Options > Update Source and Proxy Server",
	.why = "synchronization fails with 407 Proxy Authentication Required",
	.reads = CHECK_READS(QUERY_CONFIGURATION),
	.run_model = check_proxy_credentials,
    },
    {
	/* R10: basic authentication sends the proxy account's password unencrypted on the
	 * network; it is often ticked once to get a sync through and forgotten. */
	.id = 18,
	.name = "proxy-basic-auth",
	.area = "content",
	.severity = SEVERITY_WARNING,
	.rule = "R10",
	.summary = "proxy credentials may be sent in clear text",
	.remedy = "clear \"Allow basic authentication (password is sent in cleartext)\"",
	.why = "the proxy account's password crosses the network in clear text",
	.reads = CHECK_READS(QUERY_CONFIGURATION),
	.run_model = check_proxy_basic_auth,
    },
    {
	/* R11: files stored locally need a local folder readable by Network Service and Users;
	 * SQL cannot show permissions, so every report lists each server's folder. An empty or
	 * UNC path arises from a shared-database or restored configuration. */
	.id = 19,
	.name = "content-path",
	.area = "content",
	.severity = SEVERITY_WARNING,
	.rule = "R11",
	.summary = "update files are stored locally but the content folder is not set or is not an "
		   "absolute "
		   "local path",
	.remedy = "run wsusutil movecontent to a local folder; grant Network Service and Users "
		  "read access",
	.why = "without a usable local folder files cannot be stored or served",
	.reads = CHECK_READS(QUERY_CONFIGURATION),
	.run_model = check_content_path,
    },
    {
	/* Seed 000's failure signatures: authentication/proxy (401/403/407/502, refused, stream
	 * closed), WSUS web service (500/503), connection to Microsoft Update (timeouts,
	 * 0x80072EFE), EULA downloads (wsusutil reset). A chain is only as fresh as its last
	 * successful synchronization. */
	.id = 20,
	.name = "last-sync",
	.area = "sync",
	.severity = SEVERITY_ERROR,
	.rule = "-",
	.summary = "the last synchronization failed, or none succeeded within --max-sync-age days",
	.remedy = "follow the steps for the classified error (seed 000), then synchronize",
	.why = "a server that has not synchronized serves a stale catalogue to its clients",
	.reads = CHECK_READS(QUERY_CONFIGURATION) | CHECK_READS(QUERY_SYNC_EVENTS),
	.run_model = check_last_sync,
    },
    {
	/* wid: an export is collected on the WSUS host and carried here, so it can be days
	 * old; a snapshot can be audited long after it was collected. Old data describe a
	 * chain that has synchronized since, and a comparison with a fresher neighbour shows
	 * sync lag as drift. 24 hours: the WSUS default schedule synchronizes once a day.
	 * It reads no query: the collection time is the snapshot's own record. */
	.id = 21,
	.name = "stale-data",
	.area = "server",
	.severity = SEVERITY_WARNING,
	.rule = "-",
	.summary = "a server's data were collected more than --max-data-age hours (default 24) "
		   "before the audit",
	.remedy = "collect it again: run susaudit-collect.ps1 on the host again for an export, or "
		  "collect afresh, then audit",
	.why = "old data describe a hierarchy that has changed since",
	.reads = 0,
	.run_model = check_stale_data,
    },
    {
	/* Issue 12: a check that could not be evaluated on a server (no configuration row, a
	 * NULL in a setting it needs, details that could not be loaded) must never let the
	 * audit say OK: this finding carries the reasons, so the exit code (2) and the Nagios
	 * status explain themselves. Causes that server-unreachable or schema-unsupported
	 * already report are not repeated. It runs after every other check and follows the
	 * selection: on whenever another check is, off only with --skip. */
	.id = 22,
	.name = "check-not-evaluated",
	.area = "server",
	.severity = SEVERITY_ERROR,
	.rule = "-",
	.summary = "a check could not be evaluated on a server and no other finding says why (no "
		   "configuration row, a setting it needs is NULL)",
	.remedy = "make the data the reasons name readable (a configuration row, a NULL setting) "
		  "and collect again",
	.why = "a check that could not look must not let the audit report the server healthy",
	.reads = 0,
	.flags = CHECK_RUNS_LAST,
	.run_model = check_not_evaluated,
    },
	/* Maintenance health (issue 16, check_maintenance.c, needs.md Q3). Their facts come from
	 * queries that may be refused (a right) or meet an older SUSDB (an object): the collector
	 * records that, and the check is skipped or error for that server only. */
    {
	/* [BESTP]: superseded updates kept longer than needed are "the leading cause of WSUS
	 * performance problems"; [MAINTG] gives the count and the 1,500 threshold. They pile up
	 * where nobody declines (autonomous servers without maintenance, ConfigMgr supersedence
	 * rules that keep them for months) and every client scan evaluates them. */
	.id = 40,
	.name = "superseded-not-declined",
	.area = "maintenance",
	.severity = SEVERITY_WARNING,
	.rule = "-",
	.summary = "more than 1,500 superseded updates are not declined (vwMinimalUpdate, Microsoft's "
		"threshold)",
	.remedy = "decline superseded updates where approvals are made, then clean up and reindex every "
		"server bottom-up, one tier at a time; in Configuration Manager the SUP component's "
		"supersedence rules and WSUS maintenance options decide",
	.why = "superseded updates left undeclined slow every scan and every cleanup",
	.reads = CHECK_READS(QUERY_SUPERSEDED_COUNT) | CHECK_READS(QUERY_SUPERSEDED_OLDEST),
	.run_model = check_superseded_not_declined,
    },
    {
	/* [MAINTG] "Create custom indexes": without them the cleanup (spDeleteUpdate) and the
	 * decline scripts scan those tables and time out. Matched by table and first key column,
	 * not by name: Configuration Manager 1906+ creates its own, under names it does not
	 * document. */
	.id = 41,
	.name = "custom-indexes",
	.area = "maintenance",
	.severity = SEVERITY_WARNING,
	.rule = "-",
	.summary = "SUSDB lacks a nonclustered index whose first key is tbLocalizedPropertyForRevision."
		"LocalizedPropertyID or tbRevisionSupersedesUpdate.SupersededUpdateID",
	.remedy = "create the index with Microsoft's DDL, or enable ConfigMgr's \"Add non-clustered "
		"indexes\" WSUS maintenance option",
	.why = "without these indexes the WSUS cleanup runs for hours and times out",
	.reads = CHECK_READS(QUERY_CUSTOM_INDEXES),
	.run_model = check_custom_indexes,
    },
    {
	/* [REIDX]: Microsoft's reindex script selects these indexes; the LIMITED scan reads only
	 * the parent level, so the page-density test of the script (SAMPLED) is left out. The
	 * DMV needs VIEW DATABASE STATE, which an audit login may lack: then the check is
	 * skipped with the grant that enables it, never error. */
	.id = 42,
	.name = "index-fragmentation",
	.area = "maintenance",
	.severity = SEVERITY_WARNING,
	.rule = "-",
	.summary = "SUSDB indexes exceed the reindex script's thresholds (over 50 pages and 15% fragmented, "
		"or over 10 pages and 80%); skipped without VIEW DATABASE STATE",
	.remedy = "run Microsoft's WSUS reindex script after the cleanup, on every server bottom-up",
	.why = "fragmented indexes make every WSUS query and the cleanup slower",
	.reads = CHECK_READS(QUERY_INDEX_FRAGMENTATION),
	.run_model = check_index_fragmentation,
    },
    {
	/* KB 909131: more than a million events cause timeouts; bryandam/SoftwareUpdateScripts
	 * #37 and awarre/Optimize-WsusServer #8 ask for exactly this growth control. An Express
	 * SUSDB stops accepting new metadata at 10 GB of data. */
	.id = 43,
	.name = "database-size",
	.area = "maintenance",
	.severity = SEVERITY_WARNING,
	.rule = "-",
	.summary = "tbEventInstance holds more than 1,000,000 rows (KB 909131), or SUSDB's data exceeds 80% "
		"of SQL Server Express's 10 GB",
	.remedy = "clean up (WSUS Server Cleanup Wizard), purge old events, reindex; move an Express SUSDB "
		"that keeps growing to another edition",
	.why = "an oversized SUSDB times out syncs, reports and the cleanup itself",
	.reads = CHECK_READS(QUERY_DATABASE_SIZE) | CHECK_READS(QUERY_TABLE_ROWS),
	.run_model = check_database_size,
    },
    {
	/* zbx-sadman/WSUS #2: admins alert unless 80% of the clients reported within 2 weeks,
	 * which catches a broken WSUS web site (IIS WsusPool) or a GPO pointing elsewhere. In
	 * Configuration Manager WSUS sees client reports only where WSUS reporting events are
	 * on ([MAINTG] Cleanup Wizard section), which SUSDB does not show: information there. */
	.id = 44,
	.name = "stale-clients",
	.area = "maintenance",
	.severity = SEVERITY_WARNING,
	.rule = "-",
	.summary = "more than 20% of the server's own clients have not contacted it for more than 14 days "
		"(info in Configuration Manager: only meaningful where WSUS client reporting is on)",
	.remedy = "check the WSUS web site and the clients' scans; remove computers that are gone with the "
		"Server Cleanup Wizard",
	.why = "clients that stopped contacting the server get no updates and skew compliance",
	.reads = CHECK_READS(QUERY_STALE_CLIENTS),
	.run_model = check_stale_clients,
    },
    {
	/* CSS-Identity/ADFS-Diag #28: Microsoft CSS checks WID databases for a state left
	 * single_user after maintenance or a detach (wid-to-sql-migration sets it), for recovery
	 * after a dirty shutdown, and for a missing owner. A SUSDB that is not ONLINE cannot be
	 * opened at all: server-unreachable reports that (login error 4060). */
	.id = 45,
	.name = "database-state",
	.area = "maintenance",
	.severity = SEVERITY_ERROR,
	.rule = "-",
	.summary = "SUSDB is not ONLINE or not MULTI_USER (error), or its owner resolves to no login "
		"(warning)",
	.remedy = "ALTER DATABASE ... SET MULTI_USER; give SUSDB a valid owner (ALTER AUTHORIZATION)",
	.why = "a database left single_user or without owner locks WSUS and its maintenance out",
	.reads = CHECK_READS(QUERY_DATABASE_STATE),
	.run_model = check_database_state,
    },
    /* ConfigMgr's intent (issue 17): only with <configmgr> in the hierarchy file. WCM pushes
     * the software update point component's settings to every SUP about once an hour
     * ([SUPCFG], CONFIRMED), so a SUSDB that still disagrees means the push fails or
     * ConfigMgr holds the wrong value. Property names CONFIRMED [CMDSC]; integer settings
     * read from Value3 LIKELY; a SUP role matched to its server by NALPath INFERRED. */
    {
	/* A language enabled in the WSUS console but not in ConfigMgr is disabled again by WCM
	 * within the hour; a language ConfigMgr asks for that stays disabled means WCM fails. */
	.id = 50,
	.name = "cm-languages",
	.area = "configmgr",
	.severity = SEVERITY_WARNING,
	.rule = "R8",
	.summary = "the update languages a SUP's SUSDB synchronizes differ from ConfigMgr's "
		   "SupportedUpdateLanguages",
	.remedy = "set the languages in ConfigMgr's Software Update Point Component, or find why "
		  "WCM's push fails (WCM.log)",
	.why = "clients miss updates in a language ConfigMgr promised, or a console change is "
	       "silently reverted",
	.reads = CHECK_READS(QUERY_CONFIGURATION) | CHECK_READS(QUERY_LANGUAGES),
	.run_model = check_cm_languages,
    },
    {
	/* Express files multiply the content a SUP downloads and stores; the setting belongs to
	 * ConfigMgr, which WCM applies to each SUSDB. */
	.id = 51,
	.name = "cm-express",
	.area = "configmgr",
	.severity = SEVERITY_WARNING,
	.rule = "-",
	.summary = "a SUP's DownloadExpressPackages differs from ConfigMgr's Sync ExpressFiles",
	.remedy = "set express installation files in ConfigMgr's Software Update Point "
		  "Component, or find why WCM's push fails (WCM.log)",
	.why = "disk and bandwidth follow a setting ConfigMgr does not know about",
	.reads = CHECK_READS(QUERY_CONFIGURATION),
	.run_model = check_cm_express,
    },
    {
	/* DefaultUseParentWSUS 0 = Microsoft Update, 1 = ParentWSUS (CONFIRMED [CMDSC]); a top
	 * SUP pointed elsewhere by hand is switched back by WCM, or WCM is failing. */
	.id = 52,
	.name = "cm-upstream",
	.area = "configmgr",
	.severity = SEVERITY_ERROR,
	.rule = "R1",
	.summary = "the top SUP's synchronization source differs from ConfigMgr's "
		   "DefaultUseParentWSUS / ParentWSUS",
	.remedy = "set the synchronization source in ConfigMgr's Software Update Point "
		  "Component, or find why WCM's push fails (WCM.log)",
	.why = "the whole hierarchy synchronizes from a source ConfigMgr did not choose",
	.reads = CHECK_READS(QUERY_CONFIGURATION),
	.run_model = check_cm_upstream,
    },
    {
	/* WSUSIISPort / WSUSIISSSLPort / SSLWSUS must match the WSUS web site ([SUPCFG]); WCM
	 * points downstream SUPs at their upstream with the role's port and SSL, and clients get
	 * the same URL from the management point. */
	.id = 53,
	.name = "cm-ports",
	.area = "configmgr",
	.severity = SEVERITY_ERROR,
	.rule = "R3",
	.summary = "the SUP role's port or SSL in ConfigMgr differs from the hierarchy file or "
		   "from what its downstreams use",
	.remedy = "make the SUP role's ports and SSL match the WSUS web site, then the hierarchy "
		  "file and downstreams; or find why WCM's push fails (WCM.log)",
	.why = "downstreams and clients are pointed at a port or scheme the WSUS web site does "
	       "not serve",
	.reads = CHECK_READS(QUERY_CONFIGURATION),
	.run_model = check_cm_ports,
    },
};

enum { NCHECKS = sizeof(check_table) / sizeof(check_table[0]) };

size_t checks_count(void)
{
	return NCHECKS;
}

const struct check_def *checks_get(size_t i)
{
	return i < NCHECKS ? &check_table[i] : NULL;
}

const struct check_def *checks_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < NCHECKS; i++)
		if (strcmp(check_table[i].name, name) == 0)
			return &check_table[i];
	return NULL;
}

void check_options_init(struct check_options *o)
{
	memset(o, 0, sizeof(*o));
	o->now = time(NULL);
	o->max_sync_age_days = 7;
	o->max_data_age_hours = 24;
	o->max_evidence_items = 0;
}

/* Helpers for check functions. */

void check_evaluated(struct check_run *r)
{
	r->evaluated++;
}

void check_evaluated_at(struct check_run *r, size_t s)
{
	r->evaluated++;
	if (r->applied && s < r->m->nservers)
		r->applied[s] = 1;
}

static void add_reason(struct check_run *r, size_t s, const char *fmt, va_list ap)
{
	char *msg = xvasprintf(fmt, ap);

	r->errors++;
	r->reasons = xrealloc(r->reasons, (r->nreasons + 1) * sizeof(*r->reasons));
	r->reasons[r->nreasons].server = s;
	r->reasons[r->nreasons].text = arena_strdup(r->out->arena, msg);
	r->nreasons++;
	free(msg);
}

void check_error_at(struct check_run *r, size_t s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_reason(r, s, fmt, ap);
	va_end(ap);
}

void check_error(struct check_run *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_reason(r, CHECK_NO_SERVER, fmt, ap);
	va_end(ap);
}

int check_reads(const struct check_def *d, enum collect_query_id q)
{
	return (unsigned)q < COLLECT_NQUERIES && (d->reads & CHECK_READS(q)) != 0;
}

/* Whether ms lacks `need` ("tbTable.Column" of the query catalogue). */
static int lacks_need(const struct model_server *ms, const char *need)
{
	const char *dot = strchr(need, '.');
	char table[128];
	size_t n;

	if (!dot || (n = (size_t)(dot - need)) >= sizeof(table))
		return 0;
	memcpy(table, need, n);
	table[n] = '\0';
	return model_server_lacks(ms, table, dot + 1);
}

const char *check_lacking_column(const struct check_def *d, const struct model_server *ms)
{
	size_t q;
	const char *const *need;

	if (!ms->nmissing)
		return NULL;
	for (q = 0; q < COLLECT_NQUERIES; q++) {
		if (!check_reads(d, (enum collect_query_id)q))
			continue;
		for (need = collect_queries[q].needs; *need; need++)
			if (lacks_need(ms, *need))
				return *need;
	}
	return NULL;
}

void check_skip(struct check_run *r, const char *fmt, ...)
{
	va_list ap;

	r->skipped++;
	if (!r->skip_detail) {
		char *msg;

		va_start(ap, fmt);
		msg = xvasprintf(fmt, ap);
		va_end(ap);
		r->skip_detail = arena_strdup(r->out->arena, msg);
		free(msg);
	}
}

char *check_fmt(struct check_run *r, const char *fmt, ...)
{
	va_list ap;
	char *msg, *copy;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	copy = arena_strdup(r->out->arena, msg);
	free(msg);
	return copy;
}

const char *check_invalid_value(const struct check_def *d, const struct model_server *ms)
{
	size_t q;
	const char *const *need;

	if (!ms->ninvalid)
		return NULL;
	for (q = 0; q < COLLECT_NQUERIES; q++) {
		/* a value out of its range is an error of its query on that server: every check
		 * that reads the query ends error there, naming the value */
		if (!check_reads(d, (enum collect_query_id)q))
			continue;
		for (need = collect_queries[q].needs; *need; need++) {
			const char *dot = strchr(*need, '.');
			char table[128];
			const char *bad;

			if (!dot || (size_t)(dot - *need) >= sizeof(table))
				continue;
			memcpy(table, *need, (size_t)(dot - *need));
			table[dot - *need] = '\0';
			bad = model_server_invalid(ms, table, dot + 1);
			if (bad)
				return bad;
		}
	}
	return NULL;
}

int check_server_usable(struct check_run *r, size_t s)
{
	const struct model_server *ms = &r->m->servers[s];
	const char *lacking, *invalid;

	if (!model_server_readable(ms))
		return 0;
	if (ms->planned_new)
		return 1;
	if (!ms->config.present) {
		check_error_at(r, s,
			       "'%s' has no configuration row in its SUSDB (tbConfigurationA, B, C "
			       "or tbSingletonData is empty)",
			       ms->name);
		return 0;
	}
	lacking = check_lacking_column(r->def, ms);
	if (lacking) {
		check_error_at(r, s, "'%s' lacks %s (see schema-unsupported)", ms->name, lacking);
		return 0;
	}
	invalid = check_invalid_value(r->def, ms);
	if (invalid) {
		check_error_at(r, s, "'%s': %s", ms->name, invalid);
		return 0;
	}
	return 1;
}

struct finding *check_add(struct check_run *r, int severity, size_t s, const size_t *related,
			  size_t nrelated, const char *message, const char *remedy)
{
	const char *names[8];
	struct finding *f;
	size_t i;

	if (nrelated > sizeof(names) / sizeof(names[0]))
		nrelated = sizeof(names) / sizeof(names[0]);
	for (i = 0; i < nrelated; i++)
		names[i] = r->m->servers[related[i]].name;
	r->nfindings++;
	f = findings_add(r->out, r->def->name, r->def->rule,
			 severity >= 0 ? (enum severity)severity : r->def->severity,
			 r->m->servers[s].name, names, nrelated, message, remedy);
	if (nrelated > 0)
		check_note_data_apart(r, f, s, related[0]);
	return f;
}

int check_edge_upstream(struct check_run *r, size_t s)
{
	const struct model_server *ms = &r->m->servers[s];

	if (!model_server_readable(ms) || ms->config.sync_to_mu != 0 || ms->upstream < 0 ||
	    (size_t)ms->upstream == s)
		return -1;
	if (!check_server_usable(r, s))
		return -1;
	/* the downstream was read but its upstream was not: the edge is not evaluated, and
	 * the check must say so rather than pass (server-unreachable names the upstream) */
	if (!model_server_readable(&r->m->servers[ms->upstream])) {
		check_error_at(r, (size_t)ms->upstream,
			       "'%s' could not be compared with its upstream '%s', whose SUSDB "
			       "could not be read",
			       ms->name, r->m->servers[ms->upstream].name);
		return -1;
	}
	if (!check_server_usable(r, (size_t)ms->upstream))
		return -1;
	return ms->upstream;
}

struct evidence *check_update_evidence(struct check_run *r, const struct server_detail *d,
				       size_t update)
{
	struct arena *a = r->out->arena;
	struct evidence *o = evidence_object(a);
	const struct detail_update *u = &d->updates[update];
	const char *title, *kb, *type;
	char guid[37];

	model_guid_format(&u->guid, guid);
	detail_update_text(d, update, a, &title, &kb, &type);
	evidence_set_string(a, o, "update_id", guid);
	evidence_set_string(a, o, "title", title);
	evidence_set_string(a, o, "kb", kb);
	evidence_set_int(a, o, "revision", u->revision);
	evidence_set_int_or_null(a, o, "state", u->state);
	evidence_set_bool(a, o, "declined", u->declined);
	return o;
}

const char *check_role_phrase(struct check_run *r, size_t s)
{
	const struct server *e = r->m->servers[s].entry;
	const char *site, *type;

	if (!e || e->role == ROLE_STANDALONE || e->site < 0 || !r->m->h)
		return "a standalone WSUS server";
	site = r->m->h->sites[e->site].code;
	switch (r->m->h->sites[e->site].type) {
	case SITE_CAS:
		type = "central administration site";
		break;
	case SITE_SECONDARY:
		type = "secondary site";
		break;
	default:
		type = "primary site";
		break;
	}
	switch (e->role) {
	case ROLE_TOP:
		return check_fmt(r, "the top-level SUP (first SUP of %s %s)", type, site);
	case ROLE_SITE_FIRST:
		return check_fmt(r, "the first SUP of %s %s", type, site);
	case ROLE_SITE_OTHER:
		return check_fmt(r, "another SUP of %s %s", type, site);
	case ROLE_INTERNET:
		return check_fmt(r, "the internet-based SUP of %s %s", type, site);
	case ROLE_SECONDARY:
		return check_fmt(r, "the SUP of %s %s", type, site);
	case ROLE_STANDALONE:
		break;
	}
	return "a standalone WSUS server";
}

const char *check_expected_upstream_name(const struct check_run *r, size_t s)
{
	const struct server *e = r->m->servers[s].entry;

	if (!e)
		return NULL;
	if (e->expected_upstream >= 0 && (size_t)e->expected_upstream < r->m->nservers)
		return r->m->servers[e->expected_upstream].name;
	if (e->expected_upstream == EXPECT_MICROSOFT_UPDATE)
		return "Microsoft Update";
	if (e->expected_upstream == EXPECT_EXTERNAL)
		return e->external_upstream;
	return NULL;
}

int check_list_room(const struct check_run *r, size_t n)
{
	return r->o->max_evidence_items == 0 || n < r->o->max_evidence_items;
}

/* The runner. */

static int name_listed(const char *name, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], name) == 0)
			return 1;
	return 0;
}

/* "unknown check 'X' (did you mean 'Y'? ...)", -1. */
static int unknown_check(const char *name)
{
	const char *names[NCHECKS], *close;
	size_t i;

	for (i = 0; i < NCHECKS; i++)
		names[i] = check_table[i].name;
	close = cli_suggest(name, names, NCHECKS);
	if (close)
		return log_error("unknown check '%s' (did you mean '%s'? see 'susaudit checks')",
				 name, close);
	return log_error("unknown check '%s' (see 'susaudit checks')", name);
}

int checks_finding_could_be_seen(const struct model *m, const struct check_selection *sel,
				 const char *check, const char *server)
{
	const struct check_def *d = checks_find(check);
	int k;

	if (d && !checks_selected(sel, check))
		return 0;
	/* about the server being read: reading it is their evaluation */
	if (d && (d->flags & CHECK_ABOUT_COLLECTION))
		return 1;
	if (!server)
		return 1;
	k = model_find_server(m, server);
	return k < 0 || model_server_readable(&m->servers[k]);
}

int checks_selection_check(const struct check_selection *sel)
{
	size_t i;

	for (i = 0; sel && i < sel->nonly; i++)
		if (!checks_find(sel->only[i]))
			return unknown_check(sel->only[i]);
	for (i = 0; sel && i < sel->nskip; i++)
		if (!checks_find(sel->skip[i]))
			return unknown_check(sel->skip[i]);
	return 0;
}

static int selected_by_name(const struct check_selection *sel, const char *name)
{
	if (!sel)
		return 1;
	if (sel->nonly && !name_listed(name, sel->only, sel->nonly))
		return 0;
	return !name_listed(name, sel->skip, sel->nskip);
}

int checks_selected(const struct check_selection *sel, const char *name)
{
	const struct check_def *d = checks_find(name);
	size_t i;

	if (!d || !(d->flags & CHECK_RUNS_LAST))
		return selected_by_name(sel, name);
	/* it reads the others' outcomes: on whenever another check is, unless skipped */
	if (sel && name_listed(name, sel->skip, sel->nskip))
		return 0;
	for (i = 0; i < NCHECKS; i++)
		if (!(check_table[i].flags & CHECK_RUNS_LAST) &&
		    selected_by_name(sel, check_table[i].name))
			return 1;
	return 0;
}

/* Loads a detail; on failure every heavy check is error for that server. */
static int load_or_fail(struct check_run *runs, const int *on, size_t s, struct server_detail *d)
{
	const struct model *m = runs[0].m;
	size_t i;

	if (model_load_detail(m, s, d) == 0)
		return 0;
	for (i = 0; i < NCHECKS; i++)
		if (on[i] && (check_table[i].run_server || check_table[i].run_edge))
			check_error_at(&runs[i], s, "could not load the updates of '%s'",
				       m->servers[s].name);
	server_detail_release(d);
	return -1;
}

static void run_server_checks(struct check_run *runs, const int *on, const struct server_detail *d)
{
	size_t i;

	for (i = 0; i < NCHECKS; i++)
		if (on[i] && check_table[i].run_server)
			check_table[i].run_server(&runs[i], d);
}

/* Heavy checks: edges grouped by upstream, so each upstream's detail is loaded once and at
 * most two details are alive; then the servers that are on no edge. */
static void run_heavy(const struct model *m, struct check_run *runs, const int *on)
{
	size_t n = m->nservers, i, j;
	size_t *first = xcalloc(n + 1, sizeof(*first));
	size_t *edges = xcalloc(n ? n : 1, sizeof(*edges));
	size_t *fill = xcalloc(n + 1, sizeof(*fill));
	unsigned char *done = xcalloc(n ? n : 1, 1);

	/* counting sort of downstreams by upstream index */
	for (i = 0; i < n; i++) {
		int u = m->servers[i].upstream;

		if (u >= 0 && (size_t)u != i)
			first[u + 1]++;
	}
	for (i = 0; i < n; i++)
		first[i + 1] += first[i];
	memcpy(fill, first, (n + 1) * sizeof(*fill));
	for (i = 0; i < n; i++) {
		int u = m->servers[i].upstream;

		if (u >= 0 && (size_t)u != i)
			edges[fill[u]++] = i;
	}
	for (i = 0; i < n; i++) {
		struct server_detail up;

		if (first[i] == first[i + 1] || !model_server_readable(&m->servers[i]))
			continue;
		if (load_or_fail(runs, on, i, &up))
			continue;
		if (!done[i]) {
			run_server_checks(runs, on, &up);
			done[i] = 1;
		}
		for (j = first[i]; j < first[i + 1]; j++) {
			size_t d = edges[j], k;
			struct server_detail down;

			if (!model_server_readable(&m->servers[d]))
				continue;
			if (load_or_fail(runs, on, d, &down))
				continue;
			if (!done[d]) {
				run_server_checks(runs, on, &down);
				done[d] = 1;
			}
			for (k = 0; k < NCHECKS; k++)
				if (on[k] && check_table[k].run_edge)
					check_table[k].run_edge(&runs[k], &up, &down);
			server_detail_release(&down);
		}
		server_detail_release(&up);
	}
	for (i = 0; i < n; i++) {
		struct server_detail d;

		if (done[i] || !model_server_readable(&m->servers[i]))
			continue;
		if (load_or_fail(runs, on, i, &d))
			continue;
		run_server_checks(runs, on, &d);
		server_detail_release(&d);
	}
	/* edges whose upstream could not be read: the edge checks see empty details, and
	 * check_edge_upstream() records that they could not be evaluated where they apply */
	for (i = 0; i < n; i++) {
		int u = m->servers[i].upstream;
		struct server_detail up, down;
		size_t k;

		if (u < 0 || (size_t)u == i || !model_server_readable(&m->servers[i]) ||
		    model_server_readable(&m->servers[u]))
			continue;
		memset(&up, 0, sizeof(up));
		memset(&down, 0, sizeof(down));
		up.server = (size_t)u;
		down.server = i;
		for (k = 0; k < NCHECKS; k++)
			if (on[k] && check_table[k].run_edge)
				check_table[k].run_edge(&runs[k], &up, &down);
	}
	free(first);
	free(edges);
	free(fill);
	free(done);
}

/* The servers a run evaluated and its reasons per cause server, for the reports (findings
 * arena). */
static void result_servers(const struct check_run *r, struct report_check *res)
{
	struct arena *a = r->out->arena;
	size_t i, n = 0, cap = 0;
	const char **names;
	struct report_check_reason *reasons;

	for (i = 0; i < r->m->nservers; i++)
		cap += r->applied[i];
	names = cap ? arena_alloc(a, cap * sizeof(*names)) : NULL;
	for (i = 0; names && i < r->m->nservers && n < cap; i++)
		if (r->applied[i])
			names[n++] = arena_strdup(a, r->m->servers[i].name);
	res->evaluated = names;
	res->nevaluated = n;
	reasons = r->nreasons ? arena_alloc(a, r->nreasons * sizeof(*reasons)) : NULL;
	for (i = 0; i < r->nreasons; i++) {
		size_t s = r->reasons[i].server;

		reasons[i].server =
		    s < r->m->nservers ? arena_strdup(a, r->m->servers[s].name) : NULL;
		reasons[i].reason = r->reasons[i].text;
	}
	res->reasons = reasons;
	res->nreasons = r->nreasons;
}

/* Every distinct reason of a run, in order, joined by "; " (findings arena), or NULL. */
static const char *reasons_joined(struct check_run *r)
{
	const char *out = NULL;
	size_t i, j;

	for (i = 0; i < r->nreasons; i++) {
		int seen = 0;

		for (j = 0; j < i && !seen; j++)
			seen = strcmp(r->reasons[j].text, r->reasons[i].text) == 0;
		if (!seen)
			out = out ? arena_printf(r->out->arena, "%s; %s", out, r->reasons[i].text)
				  : r->reasons[i].text;
	}
	return out;
}

int checks_run(const struct model *m, const struct check_options *o,
	       const struct check_selection *sel, struct findings *out,
	       struct report_check *results)
{
	struct check_run runs[NCHECKS];
	int on[NCHECKS];
	int heavy = 0;
	size_t i;

	if (checks_selection_check(sel))
		return -1;
	for (i = 0; i < NCHECKS; i++) {
		const struct check_def *def = &check_table[i];

		memset(&runs[i], 0, sizeof(runs[i]));
		runs[i].m = m;
		runs[i].o = o;
		runs[i].def = def;
		runs[i].out = out;
		runs[i].applied = xcalloc(m->nservers ? m->nservers : 1, 1);
		on[i] = checks_selected(sel, def->name);
		heavy |= on[i] && (def->run_server || def->run_edge);
		memset(&results[i], 0, sizeof(results[i]));
		results[i].name = def->name;
		results[i].rule = def->rule;
		results[i].summary = def->summary;
		results[i].default_severity = def->severity;
		results[i].status = CHECK_SKIPPED;
		results[i].detail = on[i] ? NULL : "not selected";
	}
	for (i = 0; i < NCHECKS; i++)
		if (on[i] && check_table[i].run_model && !(check_table[i].flags & CHECK_RUNS_LAST))
			check_table[i].run_model(&runs[i]);
	if (heavy)
		run_heavy(m, runs, on);
	for (i = 0; i < NCHECKS; i++) {
		if (on[i] && check_table[i].run_model && (check_table[i].flags & CHECK_RUNS_LAST)) {
			runs[i].runs = runs;
			runs[i].nruns = NCHECKS;
			check_table[i].run_model(&runs[i]);
		}
	}
	for (i = 0; i < NCHECKS; i++) {
		struct check_run *r = &runs[i];
		const char *detail = reasons_joined(r);

		if (!on[i])
			continue;
		results[i].nfindings = r->nfindings;
		results[i].nerrors = r->errors;
		result_servers(r, &results[i]);
		if (r->nfindings) {
			results[i].status = CHECK_FAIL;
			results[i].detail =
			    r->errors
				? arena_printf(out->arena, "could not be evaluated everywhere: %s",
					       detail)
			    : r->skipped ? arena_printf(out->arena, "not evaluated everywhere: %s",
							r->skip_detail)
					 : NULL;
		} else if (r->errors) {
			results[i].status = CHECK_ERROR;
			results[i].detail = detail;
		} else if (r->evaluated) {
			results[i].status = CHECK_PASS;
			if (r->skipped)
				results[i].detail = arena_printf(
				    out->arena, "not evaluated everywhere: %s", r->skip_detail);
		} else if (r->skipped) {
			results[i].status = CHECK_SKIPPED;
			results[i].detail = r->skip_detail;
		} else {
			results[i].status = CHECK_SKIPPED;
			results[i].detail = "applies to no server";
		}
	}
	for (i = 0; i < NCHECKS; i++) {
		free(runs[i].reasons);
		free(runs[i].applied);
	}
	return 0;
}

/* `susaudit checks` */

static void json_string(FILE *out, const char *s)
{
	json_write_string(out, s); /* the one JSON writer: UTF-8 checked like the report's */
}

/* Markdown cells: a `|` would split the cell. */
static void md_cell(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", out);
		else
			fputc(*s, out);
	}
}

int checks_list_write(FILE *out, const char *format)
{
	size_t i;

	if (!format || strcmp(format, "text") == 0) {
		fprintf(out, "%-26s %-8s %-12s %s\n", "NAME", "SEVERITY", "RULE", "FIRES WHEN");
		for (i = 0; i < NCHECKS; i++) {
			const struct check_def *c = &check_table[i];

			fprintf(out, "%-26s %-8s %-12s %s\n", c->name, severity_name(c->severity),
				c->rule, c->summary);
		}
	} else if (strcmp(format, "markdown") == 0) {
		fputs("| name | rule | default severity | fires when |\n|---|---|---|---|\n", out);
		for (i = 0; i < NCHECKS; i++) {
			const struct check_def *c = &check_table[i];

			fprintf(out, "| `%s` | %s | %s | ", c->name, c->rule,
				severity_name(c->severity));
			md_cell(out, c->summary);
			fputs(" |\n", out);
		}
	} else if (strcmp(format, "json") == 0) {
		fputs("[\n", out);
		for (i = 0; i < NCHECKS; i++) {
			const struct check_def *c = &check_table[i];

			fprintf(out, "  {\"id\": %d, \"name\": ", c->id);
			json_string(out, c->name);
			fputs(", \"area\": ", out);
			json_string(out, c->area);
			fprintf(out,
				", \"severity\": \"%s\", \"rule\": ", severity_name(c->severity));
			json_string(out, c->rule);
			fputs(", \"summary\": ", out);
			json_string(out, c->summary);
			fputs(", \"remedy\": ", out);
			json_string(out, c->remedy);
			fputs(", \"why\": ", out);
			json_string(out, c->why);
			fprintf(out, "}%s\n", i + 1 < NCHECKS ? "," : "");
		}
		fputs("]\n", out);
	} else {
		return log_error("unknown format '%s' (text, markdown or json)", format);
	}
	if (ferror(out))
		return log_error("could not write the check list: write error");
	return 0;
}
