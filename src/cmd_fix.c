/* cmd_fix: `susaudit fix bits-foreground`, a dry run by default, --apply and --revert journaled. */
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bitsfix.h"
#include "cli.h"
#include "cli_options.h"
#include "dbsource.h"
#include "embedded.h"
#include "hierarchy.h"
#include "history.h"
#include "log.h"
#include "xalloc.h"

enum fix_action { FIX_DRY_RUN, FIX_APPLY, FIX_REVERT };

static const char *const action_names[] = {"dry-run", "apply", "revert"};

struct fix_args {
	const char *fix;
	const char *hierarchy;
	const char *server;
	const char *store;
	enum fix_action action;
};

/* One attempt: what the journal gets, filled as the attempt goes. */
struct fix_run {
	const struct fix_args *a;
	struct hierarchy *h;
	const struct server *s;
	struct history *store;		/* NULL for a dry run: it writes nothing, anywhere */
	char *store_path;		/* the journal's place, printed in the procedure */
	struct db_conn *conn;
	struct bitsfix_state state;
	int have_state;
};

static int parse_args(int argc, char **argv, struct fix_args *a)
{
	int c, applies = 0;

	optind = 1;
	while ((c = cli_getopt(&cli_spec_fix, argc, argv)) != -1) {
		switch (c) {
		case 's':
			a->server = optarg;
			break;
		case 'a':
			a->action = FIX_APPLY;
			applies++;
			break;
		case 'r':
			a->action = FIX_REVERT;
			applies++;
			break;
		case 'S':
			a->store = optarg;
			break;
		case 'v':
			log_set_level(LOG_LEVEL_INFO);
			break;
		default:
			return -1;
		}
	}
	if (optind < argc)
		a->fix = argv[optind++];
	if (optind < argc)
		a->hierarchy = argv[optind++];
	if (optind != argc || !a->fix || !a->hierarchy || !a->server || applies > 1)
		return log_error("usage: susaudit fix bits-foreground HIERARCHY.xml --server NAME "
				 "[--apply | --revert] [--store HISTORY.db]");
	if (strcmp(a->fix, "bits-foreground") != 0)
		return log_error("unknown fix '%s' (the only one is bits-foreground)", a->fix);
	return 0;
}

/* The store given, or susaudit-history.db beside the hierarchy file (malloc'd). */
static char *store_path(const struct fix_args *a)
{
	char *copy, *path;

	if (a->store)
		return xstrdup(a->store);
	copy = xstrdup(a->hierarchy);
	path = xasprintf("%s/susaudit-history.db", dirname(copy));
	free(copy);
	return path;
}

/* Journals the attempt; returns the exit code for its outcome. */
static int journal(struct fix_run *r, const char *outcome, int before, int after,
		   const char *detail)
{
	struct history_fix e = {r->s && r->s->conn.user ? r->s->conn.user : "(none)",
				r->h ? r->h->name : NULL,
				r->s ? r->s->name : r->a->server,
				"bits-foreground",
				action_names[r->a->action],
				before,
				after,
				outcome,
				detail};
	int ok = strcmp(outcome, "refused") != 0 && strcmp(outcome, "failed") != 0;

	/* a dry run needs no journal: it changes nothing, so it records nothing either */
	if (r->store) {
		if (history_journal_add(r->store, &e) < 0)
			return EXIT_TOOL_FAILED;
		printf("journal: recorded as '%s' in '%s'\n", outcome, r->store_path);
	}
	return ok ? EXIT_CLEAN : EXIT_TOOL_FAILED;
}

/* Logs why the fix is refused and journals it. */
static int refuse(struct fix_run *r, char *detail)
{
	int rc;

	log_error("refused on '%s': %s", r->s ? r->s->name : r->a->server, detail);
	rc = journal(r, "refused", r->have_state ? r->state.bits_foreground : -1, -1, detail);
	free(detail);
	return rc == EXIT_CLEAN ? EXIT_TOOL_FAILED : rc;
}

/* Connects (writable only for --apply and --revert) and reads the value and its context. */
static int connect_and_read(struct fix_run *r)
{
	const struct connection_settings *cs = &r->s->conn;
	struct db_target t = {r->s->name, cs->sql,	  cs->database,	     cs->user,
			      NULL,	  cs->encryption, cs->login_timeout, cs->query_timeout,
			      cs->ca_file, cs->check_hostname};
	char *password = NULL, *error = NULL;
	enum db_status st;

	if (r->s->export_path)
		return refuse(r, xstrdup("it is read from an export file (export=), not connected "
					 "to: apply the fix on the server itself"));
	if (!cs->sql)
		return refuse(r, xstrdup("the hierarchy file gives no 'sql' for it"));
	if (strcasecmp(cs->sql, "wid") == 0)
		return refuse(r, xstrdup("its SUSDB is on the Windows Internal Database, which "
					 "accepts only local named-pipe connections"));
	if (hierarchy_password_get(r->s, &password, &error) < 0)
		return refuse(r, error);
	t.password = password;
	if (db_global_init() < 0) {
		free(password);
		return EXIT_TOOL_FAILED;
	}
	st = r->a->action == FIX_DRY_RUN ? db_connect(&t, &r->conn, &error)
					 : db_connect_writable(&t, &r->conn, &error);
	if (password) {
		xwipe(password, strlen(password));
		free(password);
	}
	if (st != DB_OK) {
		char *why = xasprintf("unreachable: %s", error ? error : db_status_name(st));

		free(error);
		return refuse(r, why);
	}
	free(error);
	error = NULL;
	st = bitsfix_read(r->conn, &r->state, &error);
	if (st == DB_SCHEMA || st == DB_BAD_RESULT) {
		char *why = xasprintf("its SUSDB lacks what the fix needs: %s", error);

		free(error);
		return refuse(r, why);
	}
	if (st != DB_OK) {
		int rc;

		log_error("%s", error);
		rc = journal(r, "failed", -1, -1, error);
		free(error);
		return rc == EXIT_CLEAN ? EXIT_TOOL_FAILED : rc;
	}
	r->have_state = 1;
	return EXIT_CLEAN;
}

static void print_context(const struct fix_run *r)
{
	const struct bitsfix_state *s = &r->state;

	printf("server:   %s (SUSDB '%s' on '%s', login '%s')\n", r->s->name,
	       r->s->conn.database ? r->s->conn.database : "SUSDB", r->s->conn.sql,
	       r->s->conn.user ? r->s->conn.user : "(none)");
	printf("current:  tbConfigurationC.BitsDownloadPriorityForeground = %d "
	       "(ConfigurationID %lld)\n",
	       s->bits_foreground, s->configuration_id);
	if (s->use_proxy == 1)
		printf("proxy:    in use, '%s' port %d\n", s->proxy_name ? s->proxy_name : "",
		       s->proxy_port);
	else
		printf("proxy:    not in use\n");
	printf("files:    %lld queued for download, %lld approved updates not arriving "
	       "(state 4, 7 or 8)\n",
	       s->queued_files, s->approved_not_arriving);
	if (s->use_proxy != 1 || (s->queued_files == 0 && s->approved_not_arriving == 0))
		printf("note:     R9 applies when a proxy without HTTP 1.1 stalls downloads; here "
		       "%s: the change may not be needed\n",
		       s->use_proxy != 1 ? "no proxy is in use" : "files are arriving");
}

/* The statement with every line indented as the procedure shows it. */
static void print_indented(const char *sql, const char *indent)
{
	const char *p = sql;

	while (*p) {
		size_t n = strcspn(p, "\n");

		printf("%s%.*s\n", indent, (int)n, p);
		p += n + (p[n] == '\n');
	}
}

/* A word of the printed command, quoted for the shell when it needs to be, so that the
 * command can be pasted as it is (a path with a space, a quote). Returns malloc'd text. */
static char *shell_word(const char *s)
{
	size_t len = 2, i;
	char *q, *p;

	if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
			    "_./:=@%+,-") == strlen(s))
		return xstrdup(s);
	for (i = 0; s[i]; i++)
		len += s[i] == '\'' ? 4 : 1;
	q = p = xmalloc(len + 1);
	*p++ = '\'';
	for (i = 0; s[i]; i++) {
		if (s[i] == '\'') {
			memcpy(p, "'\\''", 4);
			p += 4;
		} else {
			*p++ = s[i];
		}
	}
	*p++ = '\'';
	*p = '\0';
	return q;
}

static void print_procedure(const struct fix_run *r, int from, int to)
{
	char *update = bitsfix_update_sql(r->state.configuration_id, from, to);
	char *hierarchy = shell_word(r->a->hierarchy), *store = shell_word(r->store_path);

	printf("\nThe procedure (rule R9, docs/rules.md):\n"
	       "  1. on %s: net stop WSUSService\n"
	       "  2. susaudit fix bits-foreground %s --server %s --store %s %s\n"
	       "     sends, in one transaction:\n"
	       "       BEGIN TRANSACTION\n"
	       "       (queries/fix_bits_read.sql: the value must still be %d)\n",
	       r->s->name, hierarchy, r->s->name, store,
	       r->a->action == FIX_REVERT ? "--revert" : "--apply", from);
	free(hierarchy);
	free(store);
	print_indented(update, "       ");
	printf("       (exactly one row must change; queries/fix_bits_read.sql again: it must "
	       "read %d)\n"
	       "       COMMIT TRANSACTION\n"
	       "     and rolls back on anything else\n"
	       "  3. on %s: net start WSUSService\n"
	       "  4. synchronize (Update Services console: Options > Synchronization Options > "
	       "Synchronize Now, or the site's WSUS sync in Configuration Manager)\n"
	       "  Undo: the same command with --revert restores the value recorded before the "
	       "last applied change; 'susaudit history --store STORE' lists every attempt.\n",
	       to, r->s->name);
	free(update);
}

static int dry_run(struct fix_run *r)
{
	int v = r->state.bits_foreground;

	printf("bits-foreground: dry run, nothing is changed\n");
	print_context(r);
	if (v == 1) {
		printf("would change: nothing, the value is already 1\n");
		return journal(r, "dry-run", v, v, "already 1: nothing to change");
	}
	printf("would change: BitsDownloadPriorityForeground %d -> 1\n", v);
	print_procedure(r, 0, 1);
	return journal(r, "dry-run", v, 1, "would set 1");
}

static const char *outcome_of(enum bitsfix_result res, const char *changed)
{
	switch (res) {
	case BITSFIX_CHANGED:
		return changed;
	case BITSFIX_NO_OP:
		return "no-op";
	case BITSFIX_REFUSED:
		return "refused";
	default:
		return "failed";
	}
}

/* Reads the value on a fresh read-only connection (the old one is closed). Returns 0 with
 * *value, or -1 with *why (malloc'd). */
static int reread(struct fix_run *r, int *value, char **why)
{
	const struct connection_settings *cs = &r->s->conn;
	struct db_target t = {r->s->name, cs->sql,	  cs->database,	     cs->user,
			      NULL,	  cs->encryption, cs->login_timeout, cs->query_timeout,
			      cs->ca_file, cs->check_hostname};
	struct bitsfix_state s;
	struct db_conn *c = NULL;
	char *password = NULL, *error = NULL;
	enum db_status st;

	db_close(r->conn);
	r->conn = NULL;
	if (hierarchy_password_get(r->s, &password, why) < 0)
		return -1;
	t.password = password;
	st = db_connect(&t, &c, &error);
	if (password) {
		xwipe(password, strlen(password));
		free(password);
	}
	if (st == DB_OK)
		st = bitsfix_read(c, &s, &error);
	db_close(c);
	if (st != DB_OK) {
		*why = error ? error : xstrdup(db_status_name(st));
		return -1;
	}
	free(error);
	*value = s.bits_foreground;
	bitsfix_state_release(&s);
	return 0;
}

/* The COMMIT's acknowledgement was lost: re-reads the value and reports and journals what
 * it really is (applied, not applied, or unknown when it cannot be read either). */
static int settle_unknown(struct fix_run *r, int to, int before, const char *changed,
			  const char *lost)
{
	char *why = NULL, *detail;
	int value = -1, rc;

	if (reread(r, &value, &why) < 0) {
		detail = xasprintf("%s; the value could not be re-read on a new connection (%s): "
				   "whether the change was committed is unknown; a dry run shows "
				   "the value, and --revert restores %d if it was",
				   lost, why, before);
		log_error("'%s' on '%s': %s", action_names[r->a->action], r->s->name, detail);
		journal(r, "unknown", before, -1, detail);
		free(why);
		free(detail);
		return EXIT_TOOL_FAILED;
	}
	if (value == to) {
		detail = xasprintf("%s; re-read on a new connection: BitsDownloadPriorityForeground "
				   "is %d, so the change from %d to %d was committed",
				   lost, value, before, to);
		printf("%s: %s\n", changed, detail);
		rc = journal(r, changed, before, to, detail);
		printf("next: on %s, net start WSUSService, then synchronize\n", r->s->name);
	} else {
		detail = xasprintf("%s; re-read on a new connection: BitsDownloadPriorityForeground "
				   "is %d, so the change was not committed",
				   lost, value);
		log_error("'%s' on '%s' failed: %s", action_names[r->a->action], r->s->name,
			  detail);
		journal(r, "failed", before, value, detail);
		rc = EXIT_TOOL_FAILED;
	}
	free(detail);
	return rc;
}

/* Runs the transaction and reports it; `changed` is the outcome when it committed. */
static int change(struct fix_run *r, int from, int to, const char *changed)
{
	enum bitsfix_result res;
	char *detail = NULL;
	int before, rc;

	res = bitsfix_change(r->conn, from, to, &before, &detail);
	if (res == BITSFIX_UNKNOWN) {
		rc = settle_unknown(r, to, before, changed, detail);
		free(detail);
		return rc;
	}
	if (res == BITSFIX_CHANGED || res == BITSFIX_NO_OP)
		printf("%s: %s\n", res == BITSFIX_CHANGED ? changed : "no-op", detail);
	else
		log_error("'%s' on '%s' %s: %s", action_names[r->a->action], r->s->name,
			  res == BITSFIX_REFUSED ? "refused" : "failed", detail);
	rc = journal(r, outcome_of(res, changed), before, res == BITSFIX_CHANGED ? to : before,
		     detail);
	if (res == BITSFIX_CHANGED)
		printf("next: on %s, net start WSUSService, then synchronize\n", r->s->name);
	free(detail);
	return rc;
}

static int apply(struct fix_run *r)
{
	print_context(r);
	if (r->state.bits_foreground == 1) {
		printf("no-op: BitsDownloadPriorityForeground is already 1, nothing was sent\n");
		return journal(r, "no-op", 1, 1, "already 1: nothing sent");
	}
	return change(r, 0, 1, "applied");
}

static int revert(struct fix_run *r)
{
	char *at = NULL, *who = NULL;
	int before, rc;

	rc = history_last_applied(r->store, r->s->name, "bits-foreground", &before, &at, &who);
	if (rc < 0)
		return EXIT_TOOL_FAILED;
	if (rc == 1)
		return refuse(r, xasprintf("store '%s' records no applied change that has not "
					   "been reverted",
					   history_path(r->store)));
	print_context(r);
	printf("reverting: the change applied %s by %s (the value was %d before)\n", at ? at : "?",
	       who ? who : "?", before);
	free(at);
	free(who);
	if (r->state.bits_foreground == before) {
		printf("no-op: BitsDownloadPriorityForeground is already %d, nothing was sent\n",
		       before);
		return journal(r, "no-op", before, before, "already the recorded value");
	}
	return change(r, r->state.bits_foreground, before, "reverted");
}

int cmd_fix(int argc, char **argv)
{
	struct fix_args a;
	struct fix_run r;
	int idx, rc;

	memset(&a, 0, sizeof(a));
	memset(&r, 0, sizeof(r));
	r.a = &a;
	if (parse_args(argc, argv, &a) < 0 || hierarchy_load(a.hierarchy, &r.h) < 0)
		return EXIT_TOOL_FAILED;
	if (hierarchy_check_tls_files(r.h) < 0) {
		hierarchy_free(r.h);
		return EXIT_TOOL_FAILED;
	}
	/* only --apply and --revert write, so only they need the journal (and its folder
	 * writable): a read-only user can always run the dry run */
	r.store_path = store_path(&a);
	if (a.action != FIX_DRY_RUN && history_open(r.store_path, 1, &r.store) < 0) {
		free(r.store_path);
		hierarchy_free(r.h);
		return EXIT_TOOL_FAILED;
	}
	idx = hierarchy_find_server(r.h, a.server);
	if (idx < 0) {
		rc = refuse(
		    &r, xasprintf("'%s' is not a server of hierarchy '%s'", a.server, r.h->name));
	} else {
		r.s = &r.h->servers[idx];
		rc = connect_and_read(&r);
	}
	if (rc == EXIT_CLEAN) {
		if (a.action == FIX_DRY_RUN)
			rc = dry_run(&r);
		else if (a.action == FIX_APPLY)
			rc = apply(&r);
		else
			rc = revert(&r);
	}
	bitsfix_state_release(&r.state);
	db_close(r.conn);
	history_close(r.store);
	free(r.store_path);
	hierarchy_free(r.h);
	return rc;
}
