/* report: everything a report writer needs, gathered once; writers never look elsewhere. */
#ifndef SUSAUDIT_REPORT_H
#define SUSAUDIT_REPORT_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "finding.h"

enum report_format {
	REPORT_TEXT,
	REPORT_JSON,
	REPORT_HTML,
	REPORT_JUNIT,
	REPORT_CSV,
	REPORT_NAGIOS,
	REPORT_PROMETHEUS
};

/* Added: how the collector's connection to a server crossed the network (snapshot table
 * server_connection, README "Connections and TLS"). -1 in an int field means unknown. */
struct report_connection {
	const char *tds_version;	/* "7.4", NULL unknown */
	const char *configured;		/* the hierarchy's encryption: off, request, require */
	int login_encrypted;
	int session_encrypted;
	const char *server_encryption;	/* the server's PRELOGIN answer, NULL unknown */
	int cert_verified;
	int hostname_checked;
	const char *verified_against;	/* the ca-file, NULL when not verified */
	const char *auth;		/* "sql", "ntlm", "kerberos" */
	const char *source;		/* how the encryption facts were learned */
	int password_exposed;		/* a password went in clear or unverified, not "off" */
};

/* One server as the report shows it; -1 in an int field means unknown (unreachable). */
struct report_server {
	const char *name;
	const char *site;		/* site code, NULL for standalone */
	const char *role;		/* server_role_name() */
	int reachable;
	const char *error;		/* why it is not reachable/readable, else NULL */
	const char *wsus_version;	/* NULL when unknown */
	const char *sync_source;	/* "microsoft-update" | "upstream" | NULL */
	const char *upstream_name;	/* configured, as SUSDB has it */
	int upstream_port;
	int upstream_ssl;
	int upstream_index;		/* configured upstream matched to servers[], or -1 */
	int replica;
	const char *storage;		/* "local" | "microsoft-update" | NULL */
	const char **languages;		/* enabled short names */
	size_t nlanguages;
	long long updates;		/* -1 unknown */
	long long approvals;		/* -1 unknown */
	const char *content_path;	/* every report lists it (R11) */
	int bits_foreground;
	const char *bits_fix_note;	/* "applied 2026-11-20T10:00:00Z by CONTOSO\\dba", or NULL */
	time_t collected_at;		/* when its SUSDB was read; 0 unknown (never read) */
	const struct report_connection *connection;	/* added; NULL when not recorded */
	/* added: --plan's view of the server: "new" (no SUSDB yet), "moved" (another site or
	 * another required upstream than today), NULL otherwise */
	const char *planned;
	/* added: the name of the server of the hierarchy its role requires it to synchronize
	 * from, or NULL (Microsoft Update, an external upstream, a standalone server) */
	const char *expected_upstream;
};

/* One check of the catalogue and how it ended in this audit. */
struct report_check {
	const char *name;
	const char *rule;
	const char *summary;
	enum severity default_severity;
	enum check_status status;
	size_t nfindings;
	const char *detail;		/* why error/skipped, else NULL */
};

/* Findings per severity at one past audit (--store), oldest first, for the HTML trend. */
struct report_trend_point {
	time_t at;
	int error, warning, info;
	long long superseded;		/* superseded, not declined updates over the hierarchy's
					 * servers at that audit; -1 unknown (issue 16) */
};

/* One server in the maintenance view (issue 16): its SUSDB health figures and its place in
 * the bottom-up order Microsoft gives for cleanup and reindex. -1 (or NULL) is unknown: not
 * read, not collected, refused (a right) or missing (an older SUSDB); `note` says which. */
struct report_maintenance {
	size_t server;			/* index into report.servers */
	int order;			/* 1 = maintain first */
	int tier;			/* depth below the top; -1 in an upstream loop */
	long long superseded;		/* superseded, not declined */
	int custom_indexes;		/* of Microsoft's 2 present */
	long long fragmented;		/* indexes beyond the reindex script's thresholds */
	long long data_kb, log_kb;
	long long event_rows;		/* tbEventInstance */
	long long clients, stale_clients;	/* own clients; stale: > 14 days or never */
	const char *db_state;		/* "ONLINE, MULTI_USER", or NULL */
	const char *note;		/* what is unknown and why, or NULL */
};

struct report {
	const char *hierarchy;
	const char *tool_version;
	time_t generated_at;		/* injectable "now": golden files stay stable */
	struct report_server *servers;
	size_t nservers;
	struct report_check *checks;
	size_t nchecks;
	const struct finding *findings;	/* sorted (findings_sort), suppressed ones included */
	size_t nfindings;
	const struct finding *resolved;	/* --store/--plan: findings that went away */
	size_t nresolved;
	const struct report_trend_point *trend;
	size_t ntrend;
	int with_change;		/* findings carry change status (--store or --plan) */
	int planned;			/* the audit is of a --plan */
	/* the maintenance view, in maintenance order (deepest tier first); none: not shown */
	const struct report_maintenance *maintenance;
	size_t nmaintenance;
	time_t collected_at;		/* when the audited run's collection ended; 0 unknown.
					 * Ages (last-sync) are measured from it, not from now */
};

struct report_options {
	int color;			/* text: ANSI colours (terminal and no NO_COLOR) */
	size_t evidence_cap;		/* text/html: list items shown before "and N more" (0: 20) */
	enum severity fail_on;		/* nagios maps statuses with it */
	size_t width;			/* text: columns a line may use; 0: 100 (not a terminal) */
};

/* Writes the report in the given format to `out`. Returns 0, or -1 after logging. */
int report_write(const struct report *r, enum report_format format,
		 const struct report_options *opt, FILE *out);

/* Format by name ("text", "json", ...); 0 or -1. */
int report_format_parse(const char *name, enum report_format *out);

/* Added (report_connection.c): one line on a connection for text, HTML and JUnit: "TDS 7.4,
 * login and session encrypted, certificate verified against '/etc/ca.pem' (host name
 * checked), SQL login (prelogin probe)". Returns buf. */
const char *report_connection_line(const struct report_connection *c, char *buf, size_t size);

/* Servers whose connection exposed a password. */
size_t report_exposed_count(const struct report *r);

/* Summary counts of unsuppressed findings per severity. */
void report_count(const struct report *r, int *error, int *warning, int *info);

/* The name report_format_parse accepts for a format ("text", "json", ...). */
const char *report_format_name(enum report_format format);

/* Nagios plugin status of the audit: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (no server or no
 * check in the report). Unsuppressed errors give CRITICAL, warnings WARNING, infos OK: the
 * mapping of the default --fail-on warning. */
int report_nagios_status(const struct report *r);

/* The same with --fail-on applied, as the nagios writer does: findings below `fail_on` do not
 * raise the status (fail_on error: warnings are OK), and with fail_on info an info alone gives
 * WARNING. Callers of --format nagios exit with this value. */
int report_nagios_status_fail_on(const struct report *r, enum severity fail_on);

#endif
