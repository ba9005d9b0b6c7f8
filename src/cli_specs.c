/* cli_specs: every command's synopsis and options, the one table the parser, `--help` and
 * test_man_page read. An option added here is parsed, shown and checked against the man page;
 * its `id` is the case of the command's parse loop. */
#include "cli_options.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct cli_option audit_options[] = {
    {"snapshot", 0, "SNAPSHOT.db", 's', "audit this snapshot instead of collecting"},
    {"run", 0, "N", 'R', "with --snapshot: audit run N ('susaudit runs' lists them)"},
    {"plan", 0, "PLANNED.xml", 'p', "audit the hierarchy as this file plans it"},
    {"store", 0, "HISTORY.db", 'S', "collect into this history store and compare with its last audit"},
    {"format", 'f', "FORMAT", 'f', "text (default), json, html, junit, csv, nagios or prometheus"},
    {"output", 'o', "FILE", 'o', "write the report there, whole or not at all (default stdout)"},
    {"fail-on", 0, "SEVERITY", 'F', "info, warning (default) or error: the least severity that makes exit 2"},
    {"check", 0, "NAME", 'c', "run only this check (repeatable)"},
    {"skip", 0, "NAME", 'k', "do not run this check (repeatable)"},
    {"suppress", 0, "FILE", 'u', "apply this suppression file"},
    {"jobs", 'j', "N", 'j', "read N SUSDBs at once (default 4)"},
    {"max-sync-age", 0, "DAYS", 'm', "last-sync: no success within DAYS is a finding (default 7)"},
    {"max-data-age", 0, "HOURS", 'A', "stale-data: data older than HOURS is a finding (default 24)"},
    {"now", 0, "TIME", 'n', "measure ages from TIME (seconds or YYYY-MM-DDTHH:MM:SSZ)"},
    {"require-verified-tls", 0, NULL, 'T', "fail closed: every server needs a verified TLS connection"},
    {"quiet", 'q', NULL, 'q', "print nothing when clean (with --store: when nothing changed)"},
    {"verbose", 'v', NULL, 'v', "say more on standard error"},
};

static const struct cli_option collect_options[] = {
    {"output", 'o', "SNAPSHOT.db", 'o', "the snapshot to write (created, or a new run added)"},
    {"jobs", 'j', "N", 'j', "read N SUSDBs at once (default 4)"},
    {"export-dir", 0, "DIR", 'E', "also write every server read over TDS as DIR/NAME.xml"},
    {"require-verified-tls", 0, NULL, 'T', "fail closed: every server needs a verified TLS connection"},
    {"verbose", 'v', NULL, 'v', "say more on standard error"},
};

static const struct cli_option checks_options[] = {
    {"format", 'f', "FORMAT", 'f', "text (default), markdown or json"},
};

static const struct cli_option fix_options[] = {
    {"server", 0, "NAME", 's', "the server of the hierarchy to change"},
    {"apply", 0, NULL, 'a', "make the change (default: a dry run that writes nothing)"},
    {"revert", 0, NULL, 'r', "restore the value journaled before the last applied change"},
    {"store", 0, "HISTORY.db", 'S', "the journal (default: susaudit-history.db beside the file)"},
    {"verbose", 'v', NULL, 'v', "say more on standard error"},
};

static const struct cli_option history_options[] = {
    {"store", 0, "HISTORY.db", 'S', "the history store to read"},
    {"format", 'f', "FORMAT", 'f', "text (default) or json"},
    {"prune", 0, NULL, 'P', "remove old collection runs and give their space back"},
    {"keep", 0, "N", 'K', "--prune: keep the newest N runs of each hierarchy"},
    {"older-than", 0, "DAYS", 'O', "--prune: remove runs older than DAYS"},
    {"with-audits", 0, NULL, 'A', "--prune: remove those runs' audits and findings too"},
};

static const struct cli_option snapshot_options[] = {
    {"run", 0, "N", 'r', "the collection run to show (default: the last complete one)"},
    {"server", 0, "NAME", 's', "only this server's rows"},
};

static const struct cli_option runs_options[] = {
    {"format", 'f', "FORMAT", 'f', "text (default) or json"},
};

static const struct cli_option validate_options[] = {
    {"connect", 0, NULL, 'c', "also log in to every server and probe its schema"},
};

const struct cli_spec cli_spec_audit = {
    "audit",
    "audit HIERARCHY.xml | --snapshot SNAPSHOT.db [--run N]\n"
    " [--plan PLANNED.xml] [--store HISTORY.db] [--format FORMAT]\n"
    " [-o FILE] [--fail-on info|warning|error] [--check NAME]...\n"
    " [--skip NAME]... [--suppress FILE] [--jobs N]\n"
    " [--max-sync-age DAYS] [--max-data-age HOURS] [--now TIME]\n"
    " [--require-verified-tls] [--quiet] [--verbose]",
    "collect (or open a snapshot), check the hierarchy, report",
    audit_options,
    N(audit_options)};

const struct cli_spec cli_spec_checks = {"checks", "checks [--format text|markdown|json]",
					 "list the check catalogue", checks_options,
					 N(checks_options)};

const struct cli_spec cli_spec_collect = {
    "collect",
    "collect HIERARCHY.xml -o SNAPSHOT.db [--jobs N]\n"
    " [--export-dir DIR] [--require-verified-tls] [--verbose]",
    "read every SUSDB of a hierarchy into a snapshot", collect_options, N(collect_options)};

const struct cli_spec cli_spec_fix = {
    "fix",
    "fix bits-foreground HIERARCHY.xml --server NAME\n"
    " [--apply | --revert] [--store HISTORY.db] [--verbose]",
    "apply a documented fix to one server (dry run unless --apply)", fix_options,
    N(fix_options)};

const struct cli_spec cli_spec_history = {
    "history",
    "history --store HISTORY.db [--format text|json]\n"
    "history --store HISTORY.db --prune --keep N | --older-than DAYS\n"
    " [--with-audits]",
    "list the audits and fixes kept in a store, or prune it", history_options,
    N(history_options)};

const struct cli_spec cli_spec_snapshot = {
    "snapshot", "snapshot show SNAPSHOT.db TABLE [--run N] [--server NAME]",
    "show a snapshot's packed rows as rows (snapshot show)", snapshot_options,
    N(snapshot_options)};

const struct cli_spec cli_spec_validate = {
    "validate", "validate HIERARCHY.xml [--connect]",
    "check a hierarchy file and its passwords; --connect logs in too", validate_options,
    N(validate_options)};

const struct cli_spec cli_spec_runs = {
    "runs", "runs SNAPSHOT.db [--format text|json]",
    "list the collection runs of a snapshot or store", runs_options, N(runs_options)};

/* discover (issue 17): the site database's connection, as the hierarchy file's */
static const struct cli_option discover_options[] = {
    {"site-db", 0, "SQL", 's', "the SQL Server of the site database: host, host:port or host\\instance"},
    {"database", 0, "CM_XXX", 'd', "the site database (required)"},
    {"user", 0, "USER", 'u', "a SQL login, or DOMAIN\\user (NTLM)"},
    {"password-env", 0, "VAR", 'E', "read the password from this environment variable"},
    {"password-file", 0, "PATH", 'F', "read the password from this owner-only file"},
    {"encryption", 0, "MODE", 'e', "off, request (default) or require"},
    {"login-timeout", 0, "S", 'L', "seconds to log in (default 15)"},
    {"query-timeout", 0, "S", 'Q', "seconds a query may take (default 300)"},
    {"ca-file", 0, "PEM", 'C', "verify the site database's certificate against this file"},
    {"probe", 0, NULL, 'p', "try SQL's port on SUPs naming no SUSDB server; none answering: wid"},
    {"probe-port", 0, "PORT", 'P', "the port --probe tries (default 1433)"},
    {"output", 'o', "HIERARCHY.xml", 'o', "write the drafted hierarchy file there"},
    {"force", 0, NULL, 'f', "replace an existing -o file"},
    {"compare", 0, "EXISTING.xml", 'c', "print what differs from that file; exit 2 when anything does"},
    {"verbose", 'v', NULL, 'v', "say more on standard error"},
};

const struct cli_spec cli_spec_discover = {
    "discover",
    "discover --site-db SQL --database CM_XXX [--user USER]\n"
    " [--password-env VAR | --password-file PATH] [--encryption MODE]\n"
    " [--login-timeout S] [--query-timeout S] [--ca-file PEM]\n"
    " [--probe [--probe-port PORT]] [--verbose]\n"
    " (-o HIERARCHY.xml [--force] | --compare EXISTING.xml)",
    "draft the hierarchy file from the ConfigMgr site database", discover_options,
    N(discover_options)};
