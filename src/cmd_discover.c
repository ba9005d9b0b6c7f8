/* cmd_discover: `susaudit discover --site-db SQL --database CM_XXX ... -o HIERARCHY.xml`. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli.h"
#include "cli_options.h"
#include "dbsource.h"
#include "discover.h"
#include "hierarchy.h"
#include "log.h"
#include "outfile.h"
#include "site_db.h"
#include "xalloc.h"

static const char usage[] =
    "usage: susaudit discover --site-db SQL --database CM_XXX [--user USER]\n"
    "               [--password-env VAR | --password-file PATH] [--encryption "
    "off|request|require]\n"
    "               [--login-timeout S] [--query-timeout S] [--ca-file PEM]\n"
    "               [--probe [--probe-port PORT]]\n"
    "               (-o HIERARCHY.xml [--force] | --compare EXISTING.xml)";

/* Read uncommitted, as collect: the audit never blocks ConfigMgr's own writers. */
static const char session_setup[] = "SET NOCOUNT ON; SET LOCK_TIMEOUT 30000; "
				    "SET DEADLOCK_PRIORITY LOW; "
				    "SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED";

struct discover_args {
	struct server login; /* conn: how to reach the site database */
	const char *output, *compare;
	int force;
	int probe_port; /* --probe: 0 off, else the port tried */
	int probe;
};

static int parse_encryption(const char *v, enum encryption_mode *out)
{
	static const char *const names[] = {"off", "request", "require"};
	int i;

	for (i = 0; i < 3; i++)
		if (strcmp(v, names[i]) == 0) {
			*out = (enum encryption_mode)i;
			return 0;
		}
	return log_error("--encryption '%s' is not one of: off, request, require", v);
}

static int valid_name(const char *v, const char *extra)
{
	if (!*v || strlen(v) > 255)
		return 0;
	for (; *v; v++)
		if (!isalnum((unsigned char)*v) && !strchr(extra, *v))
			return 0;
	return 1;
}

static int parse_args(int argc, char **argv, struct discover_args *a)
{
	struct connection_settings *cs = &a->login.conn;
	int c;

	memset(a, 0, sizeof(*a));
	a->login.name = "site database";
	cs->encryption = ENCRYPTION_REQUEST;
	cs->login_timeout = 15;
	cs->query_timeout = 300;
	cs->check_hostname = 1;
	optind = 1;
	while ((c = cli_getopt(&cli_spec_discover, argc, argv)) != -1) {
		switch (c) {
		case 's':
			cs->sql = optarg;
			break;
		case 'd':
			cs->database = optarg;
			break;
		case 'u':
			cs->user = optarg;
			break;
		case 'E':
			cs->password_env = optarg;
			break;
		case 'F':
			cs->password_file = optarg;
			break;
		case 'e':
			if (parse_encryption(optarg, &cs->encryption) < 0)
				return -1;
			break;
		case 'L':
			if (cli_parse_int("--login-timeout", optarg, 1, 86400, &cs->login_timeout) <
			    0)
				return -1;
			break;
		case 'Q':
			if (cli_parse_int("--query-timeout", optarg, 1, 86400, &cs->query_timeout) <
			    0)
				return -1;
			break;
		case 'o':
			a->output = optarg;
			break;
		case 'f':
			a->force = 1;
			break;
		case 'c':
			a->compare = optarg;
			break;
		case 'C':
			cs->ca_file = optarg;
			break;
		case 'p':
			a->probe = 1;
			break;
		case 'P':
			if (cli_parse_int("--probe-port", optarg, 1, 65535, &a->probe_port) < 0)
				return -1;
			break;
		case 'v':
			log_set_level(LOG_LEVEL_INFO);
			break;
		default:
			return -1;
		}
	}
	/* --probe-port alone probes nothing */
	a->probe_port = a->probe ? (a->probe_port ? a->probe_port : 1433) : 0;
	if (optind != argc || !cs->sql || !cs->database || (!a->output && !a->compare))
		return log_error("%s", usage);
	/* the same rules as the hierarchy file, whose <configmgr> will carry these values */
	if (strchr(cs->sql, ','))
		return log_error(
		    "--site-db '%s' uses SQL Server's 'host,port' form; write host:port", cs->sql);
	if (!valid_name(cs->sql, "._-:\\[]") || strcasecmp(cs->sql, "wid") == 0)
		return log_error("--site-db '%s' is not host, host:port or host\\instance",
				 cs->sql);
	if (!valid_name(cs->database, "_@#$-") || isdigit((unsigned char)cs->database[0]))
		return log_error("--database '%s' is not a database name", cs->database);
	if (cs->password_env && cs->password_file)
		return log_error("--password-env and --password-file are both given: choose one");
	if (cs->password_env && !valid_name(cs->password_env, "_"))
		return log_error("--password-env '%s' is not an environment variable name",
				 cs->password_env);
	if (cs->ca_file && cs->ca_file[0] != '/')
		return log_error("--ca-file '%s' is not an absolute path", cs->ca_file);
	if (cs->ca_file) {
		/* as collect does: a file FreeTDS cannot use fails before any login is sent */
		FILE *f = fopen(cs->ca_file, "r");
		char buf[4096];
		size_t n;

		if (!f)
			return log_error("--ca-file '%s' cannot be read: %s", cs->ca_file,
					 strerror(errno));
		n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = '\0';
		fclose(f);
		if (!strstr(buf, "-----BEGIN CERTIFICATE-----"))
			return log_error("--ca-file '%s' holds no PEM certificate", cs->ca_file);
	}
	if (cs->password_file && cs->password_file[0] != '/')
		return log_error("--password-file '%s' is not an absolute path", cs->password_file);
	if (a->output && strcmp(a->output, "-") != 0 && !a->force) {
		struct stat st;

		if (stat(a->output, &st) == 0)
			return log_error("'%s' exists: refused (--force replaces it)", a->output);
	}
	return 0;
}

/* Connects and reads the site database. Returns 0 or -1 (logged). */
static int read_site_db(const struct discover_args *a, struct site_db *db)
{
	const struct connection_settings *cs = &a->login.conn;
	char *password = NULL, *error = NULL, *label;
	struct db_target t;
	struct db_conn *conn = NULL;
	enum db_status st;
	int rc;

	memset(db, 0, sizeof(*db));
	arena_init(&db->arena);
	if (db_global_init() < 0 || hierarchy_read_password(&a->login, &password) < 0)
		return -1;
	label = xasprintf("%s/%s", cs->sql, cs->database);
	t = (struct db_target){label,	    cs->sql,	       cs->database,	  cs->user,
			       password,    cs->encryption,    cs->login_timeout, cs->query_timeout,
			       cs->ca_file, cs->check_hostname};
	st = db_connect(&t, &conn, &error);
	if (password) {
		xwipe(password, strlen(password));
		free(password);
	}
	if (st == DB_OK)
		st = db_exec(conn, "session setup", session_setup, NULL, &error);
	rc = st == DB_OK ? site_db_read(conn, db, &error) : -1;
	db_close(conn);
	free(label);
	if (rc < 0) {
		size_t i;

		for (i = 0; i < db->ngaps; i++)
			log_error("%s", db->gaps[i]);
		log_error("%s", error ? error : "could not read the site database");
		free(error);
		return -1;
	}
	return 0;
}

/* The draft as text, checked by the loader itself: a file we write must load. */
static char *render(const struct discover_draft *d, const struct discover_args *a, size_t *len)
{
	const struct connection_settings *cs = &a->login.conn;
	static const char *const enc[] = {"off", "request", "require"};
	struct discover_connection c;
	struct hierarchy *h;
	char *text = NULL, *source;
	FILE *f;

	source = xasprintf("'%s' on '%s'", cs->database, cs->sql);
	c = (struct discover_connection){cs->sql,
					 cs->database,
					 cs->user,
					 cs->password_env,
					 cs->password_file,
					 enc[cs->encryption],
					 cs->login_timeout != 15 ? cs->login_timeout : 0,
					 cs->query_timeout != 300 ? cs->query_timeout : 0,
					 source,
					 cs->ca_file};
	f = open_memstream(&text, len);
	if (!f || discover_write(f, d, &c) < 0 || fclose(f) != 0) {
		free(source);
		log_error("could not write the drafted hierarchy into memory");
		return NULL;
	}
	free(source);
	if (hierarchy_load_memory(text, *len, "(drafted hierarchy)", &h) < 0) {
		log_error(
		    "internal error: the drafted hierarchy does not load (see above); nothing "
		    "was written");
		free(text);
		return NULL;
	}
	hierarchy_free(h);
	return text;
}

static int write_output(const struct discover_args *a, const char *text, size_t len)
{
	struct outfile o;

	if (outfile_open(&o, a->output) < 0)
		return -1;
	if (fwrite(text, 1, len, o.f) != len) {
		outfile_abort(&o);
		return log_error("could not write '%s'", a->output);
	}
	return a->force ? outfile_commit(&o) : outfile_commit_new(&o);
}

int cmd_discover(int argc, char **argv)
{
	struct discover_args a;
	struct discover_draft d;
	struct site_db db;
	char *text = NULL;
	size_t len = 0, i, differences = 0;
	int rc = EXIT_CLEAN;

	if (parse_args(argc, argv, &a) < 0)
		return EXIT_TOOL_FAILED;
	if (read_site_db(&a, &db) < 0) {
		site_db_release(&db);
		return EXIT_TOOL_FAILED;
	}
	discover_draft_build(&db, &d);
	site_db_release(&db);
	if (a.probe_port)
		discover_probe_all(&d, a.probe_port,
				   a.login.conn.login_timeout < 5 ? a.login.conn.login_timeout : 5);
	for (i = 0; i < d.ngaps; i++)
		log_error("%s", d.gaps[i]);
	if (a.output) {
		text = render(&d, &a, &len);
		if (!text || write_output(&a, text, len) < 0)
			rc = EXIT_TOOL_FAILED;
		else
			fprintf(stderr,
				"susaudit: wrote '%s': %zu sites, %zu software update points%s\n",
				a.output, d.nsites, d.nservers,
				d.ngaps ? " (INCOMPLETE: see the messages above)" : "");
		free(text);
	}
	if (a.compare && rc == EXIT_CLEAN) {
		struct hierarchy *h;

		if (hierarchy_load(a.compare, &h) < 0) {
			rc = EXIT_TOOL_FAILED;
		} else {
			differences = discover_compare(stdout, &d, h);
			hierarchy_free(h);
			if (fflush(stdout) != 0)
				rc = EXIT_TOOL_FAILED;
			else
				fprintf(stderr,
					"susaudit: %zu difference%s between the site database "
					"and '%s'\n",
					differences, differences == 1 ? "" : "s", a.compare);
		}
	}
	/* a file with gaps is not the hierarchy: the tool did not complete */
	if (rc == EXIT_CLEAN && d.ngaps) {
		log_error(
		    "discovery is incomplete: %zu item%s could not be read (marked INCOMPLETE "
		    "in the file)",
		    d.ngaps, d.ngaps == 1 ? "" : "s");
		rc = EXIT_TOOL_FAILED;
	}
	if (rc == EXIT_CLEAN && differences)
		rc = EXIT_FINDINGS;
	discover_draft_release(&d);
	return rc;
}
