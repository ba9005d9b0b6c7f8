/* test_trust_collect: issue 12, part A, through the binary — a trickling server is timed out
 * as a whole, wrong-typed and out-of-range values are never read as facts. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "hierarchy.h"
#include "reliability_support.h"
#include "xalloc.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs susaudit with args for at most limit seconds; returns its exit code, or -1 when it
 * had to be killed (it hung). *elapsed receives the seconds it ran; *err its stderr. */
static int run_bounded(const char *const *args, int limit, double *elapsed, char **err)
{
	char *out = rel_temp_path("bounded", ".out"), *errp = rel_temp_path("bounded", ".err");
	double start = now_s();
	pid_t pid = rel_spawn(args, out, errp);
	int status = 0, rc = -1;

	assert_true(pid > 0);
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid) {
			rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			break;
		}
		if (now_s() - start > limit) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
		usleep(50 * 1000);
	}
	*elapsed = now_s() - start;
	*err = fixture_read_file(errp, NULL);
	if (!*err)
		*err = xstrdup("");
	unlink(out);
	unlink(errp);
	free(out);
	free(errp);
	return rc;
}

/* The text of the stored error of server `name` in the snapshot (malloc'd). */
static char *stored_error(const char *snap, const char *name)
{
	char *sql = xasprintf("SELECT COALESCE(error, '') || '|' || COALESCE(failure_check, '') "
			      "|| '|' || status FROM server WHERE name = '%s'",
			      name);
	char *v = rel_text(snap, sql);

	free(sql);
	return v;
}

static void expect_in(const char *hay, const char *needle, const char *what)
{
	if (!strstr(hay, needle))
		fail_msg("%s: '%.300s' lacks '%s'", what, hay, needle);
}

/* Point 1: query-timeout bounds a query's whole duration and login-timeout the whole login,
 * whatever the server trickles; with --jobs 1 the servers after it are still collected. */
static void test_trickling_servers_time_out(void **state)
{
	struct rel_spec specs[4];
	struct rel_world w;
	char *snap = rel_temp_path("trickle", ".db"), *err, *e;
	double elapsed;
	int rc;

	(void)state;
	memset(specs, 0, sizeof(specs));
	specs[0].name = "trickle.trust.test";
	specs[0].o.trickle_ms = 300;
	specs[0].o.trickle_pattern = "FROM dbo.tbDeployment d";
	specs[0].query_timeout = 3;
	specs[1].name = "deaf.trust.test"; /* trickles on after the ATTENTION */
	specs[1].o.trickle_ms = 300;
	specs[1].o.trickle_pattern = "FROM dbo.tbDeployment d";
	specs[1].o.trickle_ignore_attention = 1;
	specs[1].query_timeout = 3;
	specs[2].name = "slow-login.trust.test";
	specs[2].o.trickle_login_ms = 300;
	specs[2].login_timeout = 3;
	specs[3].name = "after.trust.test";
	assert_int_equal(rel_world_start(&w, specs, 4), 0);
	{
		const char *args[] = {"collect", w.xml_path, "-o", snap, "--jobs", "1", NULL};

		rc = run_bounded(args, 90, &elapsed, &err);
	}
	print_message("collect: exit %d after %.1f s\n%s", rc, elapsed, err);
	if (rc < 0)
		fail_msg("collect hung on a trickling server (killed after %.0f s)", elapsed);
	assert_int_equal(rc, 0);
	/* each trickler costs about its timeout plus the cancel's grace, not more */
	assert_true(elapsed < 45);

	e = stored_error(snap, "trickle.trust.test");
	expect_in(e, "query 'approvals' on 'trickle.trust.test' timed out after 3 seconds", e);
	expect_in(e, "|server-unreachable|", e);
	free(e);
	e = stored_error(snap, "deaf.trust.test");
	expect_in(e, "query 'approvals' on 'deaf.trust.test' timed out after 3 seconds", e);
	expect_in(e, "|server-unreachable|", e);
	free(e);
	e = stored_error(snap, "slow-login.trust.test");
	expect_in(e,
		  "could not connect to 'slow-login.trust.test': the login timed out after 3 "
		  "seconds",
		  e);
	expect_in(e, "|server-unreachable|", e);
	free(e);
	e = stored_error(snap, "after.trust.test");
	expect_in(e, "||ok", e);
	free(e);
	free(err);

	/* the audit straight from the hierarchy writes its report */
	{
		char *report = rel_temp_path("trickle", ".json");
		const char *args[] = {"audit", w.xml_path, "--jobs", "1", "--format",
				      "json",  "-o",	   report,   NULL};
		char *json;

		rc = run_bounded(args, 90, &elapsed, &err);
		assert_int_equal(rc, 2);
		json = fixture_read_file(report, NULL);
		assert_non_null(json);
		expect_in(json, "timed out after 3 seconds", "report");
		free(json);
		free(err);
		unlink(report);
		free(report);
	}
	rel_world_stop(&w);
	rel_remove_db(snap);
	free(snap);
}

/* SQL re-declaring a column of SUSDB as NVARCHAR holding `value` (SQLite keeps the text). */
#define AS_TEXT(table, column, value)                                                              \
	"ALTER TABLE " table " DROP COLUMN " column ";\n"                                          \
	"ALTER TABLE " table " ADD COLUMN " column " NVARCHAR(40);\n"                              \
	"UPDATE " table " SET " column " = '" value "';\n"

/* Point 5: a value that is not of its column's kind is an error of that query naming the
 * column, the value and the row; the server ends schema-unsupported, no value is made up. */
static void test_wrong_typed_values_are_errors(void **state)
{
	struct rel_spec specs[6];
	struct rel_world w;
	char *snap = rel_temp_path("typed", ".db"), *err, *e;
	double elapsed;
	int rc;

	(void)state;
	memset(specs, 0, sizeof(specs));
	specs[0].name = "port-text.trust.test";
	specs[0].patch_sql = AS_TEXT("tbConfigurationA", "ServerPortNumber", "eighty");
	specs[1].name = "language-text.trust.test";
	specs[1].patch_sql =
	    AS_TEXT("tbLanguage", "Enabled",
		    "1") "UPDATE tbLanguage SET Enabled = 'x' WHERE rowid = "
			 "(SELECT rowid FROM tbLanguage ORDER BY rowid LIMIT 1 OFFSET 1);\n";
	specs[2].name = "replica-text.trust.test";
	specs[2].patch_sql = AS_TEXT("tbConfigurationC", "ReplicaMode", "yes");
	specs[3].name = "guid-text.trust.test";
	specs[3].patch_sql = AS_TEXT("tbConfigurationA", "ServerID", "not-a-guid");
	/* text that is a clean integer or GUID is what the column means: read */
	specs[4].name = "port-digits.trust.test";
	specs[4].patch_sql =
	    AS_TEXT("tbConfigurationA", "ServerPortNumber",
		    "8530") "ALTER TABLE tbConfigurationA DROP COLUMN ServerID;\n"
			    "ALTER TABLE tbConfigurationA ADD COLUMN ServerID NVARCHAR(40);\n"
			    "UPDATE tbConfigurationA SET ServerID = "
			    "'a1b2c3d4-0000-4000-8000-00000000abcd';\n";
	specs[5].name = "clean.trust.test";
	assert_int_equal(rel_world_start(&w, specs, 6), 0);
	{
		const char *args[] = {"collect", w.xml_path, "-o", snap, NULL};

		rc = run_bounded(args, 90, &elapsed, &err);
	}
	assert_int_equal(rc, 0);
	free(err);

	e = stored_error(snap, "port-text.trust.test");
	expect_in(e,
		  "query 'configuration' on 'port-text.trust.test': column 'upstream_port' of "
		  "row 1 (server_id '",
		  e);
	expect_in(e, "holds 'eighty', which is not an integer|schema-unsupported|failed", e);
	free(e);
	e = stored_error(snap, "language-text.trust.test");
	expect_in(e,
		  "query 'languages' on 'language-text.trust.test': column 'enabled' of row 2 "
		  "(language_id '",
		  e);
	expect_in(e, "holds 'x', which is not an integer|schema-unsupported", e);
	free(e);
	e = stored_error(snap, "replica-text.trust.test");
	expect_in(e, "column 'replica_mode' of row 1", e);
	expect_in(e, "holds 'yes', which is not an integer|schema-unsupported", e);
	free(e);
	e = stored_error(snap, "guid-text.trust.test");
	expect_in(e,
		  "column 'server_id' of row 1 holds 'not-a-guid', which is not a "
		  "GUID|schema-unsupported",
		  e);
	free(e);
	e = stored_error(snap, "port-digits.trust.test");
	expect_in(e, "||ok", e);
	free(e);
	assert_int_equal(rel_scalar(snap,
				    "SELECT upstream_port FROM configuration JOIN server "
				    "USING (server_key) WHERE name = 'port-digits.trust.test'"),
			 8530);
	assert_int_equal(
	    rel_scalar(snap, "SELECT server_id = 'A1B2C3D4-0000-4000-8000-00000000ABCD' FROM "
			     "configuration JOIN server USING (server_key) WHERE name = "
			     "'port-digits.trust.test'"),
	    1);
	e = stored_error(snap, "clean.trust.test");
	expect_in(e, "||ok", e);
	free(e);
	/* nothing of a failed server is kept as a fact */
	assert_int_equal(rel_scalar(snap, "SELECT COUNT(*) FROM language JOIN server USING "
					  "(server_key) WHERE name = 'language-text.trust.test'"),
			 0);
	rel_world_stop(&w);
	rel_remove_db(snap);
	free(snap);
}

/* Point 6: integers are read 64-bit, NULL stays distinct from every value, and a value
 * outside its documented range is named by the checks that need it, never truncated. */
static void test_out_of_range_values_are_named(void **state)
{
	struct rel_spec specs[4];
	struct rel_world w;
	static const char *const want[] = {
	    "'port-big.trust.test': tbConfigurationA.ServerPortNumber is 4294975826, outside the "
	    "documented range 1-65535",
	    "'port-minus.trust.test': tbConfigurationA.ServerPortNumber is -1, outside the "
	    "documented range 1-65535",
	    "'lcid-big.trust.test': tbLanguage.LanguageID is 4294968329, outside the documented "
	    "range 0-1048575",
	    "'replica-two.trust.test': tbConfigurationC.ReplicaMode is 2, outside the documented "
	    "range 0-1"};
	char *report = rel_temp_path("range", ".json"), *json, *err;
	double elapsed;
	size_t i;
	int rc;

	(void)state;
	memset(specs, 0, sizeof(specs));
	specs[0].name = "port-big.trust.test";
	specs[0].patch_sql = "ALTER TABLE tbConfigurationA DROP COLUMN ServerPortNumber;\n"
			     "ALTER TABLE tbConfigurationA ADD COLUMN ServerPortNumber BIGINT;\n"
			     "UPDATE tbConfigurationA SET ServerPortNumber = 4294975826;\n";
	specs[1].name = "port-minus.trust.test";
	specs[1].patch_sql = "UPDATE tbConfigurationA SET ServerPortNumber = -1;\n";
	specs[2].name = "lcid-big.trust.test";
	specs[2].patch_sql =
	    "ALTER TABLE tbLanguage RENAME TO tbLanguageOld;\n"
	    "CREATE TABLE tbLanguage (LanguageIndex INT, LanguageID BIGINT, ShortLanguage "
	    "NVARCHAR(16), LongLanguage NVARCHAR(32), UssEnabled BIT, Enabled BIT, CreateTime "
	    "DATETIME);\n"
	    "INSERT INTO tbLanguage SELECT LanguageIndex, LanguageID, ShortLanguage, LongLanguage, "
	    "UssEnabled, Enabled, CreateTime FROM tbLanguageOld;\n"
	    "UPDATE tbLanguage SET LanguageID = 4294968329 WHERE LanguageID = 1033;\n";
	specs[3].name = "replica-two.trust.test";
	specs[3].patch_sql = "ALTER TABLE tbConfigurationC DROP COLUMN ReplicaMode;\n"
			     "ALTER TABLE tbConfigurationC ADD COLUMN ReplicaMode INT;\n"
			     "UPDATE tbConfigurationC SET ReplicaMode = 2;\n";
	/* one world per server: a check's detail names the first server it could not read */
	for (i = 0; i < 4; i++) {
		const char *args[] = {"audit", NULL, "--format", "json", "-o", report, NULL};

		assert_int_equal(rel_world_start(&w, &specs[i], 1), 0);
		args[1] = w.xml_path;
		rc = run_bounded(args, 90, &elapsed, &err);
		if (rc != 2)
			fail_msg("%s: exit %d: %s", specs[i].name, rc, err);
		free(err);
		json = fixture_read_file(report, NULL);
		assert_non_null(json);
		if (getenv("TRUST_KEEP_REPORT"))
			fputs(json, stderr);
		expect_in(json, want[i], specs[i].name);
		free(json);
		unlink(report);
		rel_world_stop(&w);
	}
	free(report);
}

/* The text of a file (malloc'd, "" when unreadable). */
static char *text_of(const char *path)
{
	char *t = fixture_read_file(path, NULL);

	return t ? t : xstrdup("");
}

/* Point 12: a configuration error found before any connection ends the run at once, exit 1,
 * with the reason; with --format nagios the UNKNOWN line itself says it. */
static void test_configuration_error_ends_run(void **state)
{
	struct rel_spec specs[2];
	struct rel_world w;
	struct rel_result r;
	char *snap = rel_temp_path("config", ".db"), *xml, *pwfile, *alt, *p, *log;
	FILE *f;

	(void)state;
	memset(specs, 0, sizeof(specs));
	specs[0].name = "one.trust.test";
	specs[1].name = "two.trust.test";
	assert_int_equal(rel_world_start(&w, specs, 2), 0);

	unsetenv("SUSAUDIT_TEST_PASSWORD");
	r = rel_run("collect '%s' -o '%s'", w.xml_path, snap);
	print_message("%s", r.err);
	assert_int_equal(r.status, 1);
	expect_in(r.err,
		  "server 'one.trust.test': environment variable 'SUSAUDIT_TEST_PASSWORD' "
		  "(password-env) is not set",
		  "collect stderr");
	assert_null(strstr(r.err, "see the message above"));
	assert_null(strstr(r.err, "could not connect"));
	assert_null(strstr(r.err, "collected run"));
	rel_result_free(&r);
	/* nothing was asked of any server */
	log = text_of(w.batch_logs[0]);
	assert_string_equal(log, "");
	free(log);

	r = rel_run("audit '%s' --format nagios", w.xml_path);
	print_message("%s%s", r.out, r.err);
	assert_int_equal(r.status, 3);
	expect_in(r.out,
		  "SUSAUDIT UNKNOWN - the audit could not complete: server 'one.trust.test': "
		  "environment variable 'SUSAUDIT_TEST_PASSWORD' (password-env) is not set",
		  "nagios stdout");
	assert_null(strchr(strchr(r.out, '\n') + 1, '\n')); /* one line */
	rel_result_free(&r);
	r = rel_run("audit '%s' --format json", w.xml_path);
	assert_int_equal(r.status, 1);
	assert_null(strstr(r.out, "server-unreachable"));
	rel_result_free(&r);

	/* a password file others can read: the same, before any connection */
	pwfile = xasprintf("%s/password", w.dir);
	f = fopen(pwfile, "w");
	assert_non_null(f);
	fputs(FIXTURE_PASSWORD "\n", f);
	fclose(f);
	assert_int_equal(chmod(pwfile, 0644), 0);
	xml = text_of(w.xml_path);
	p = strstr(xml, "password-env=\"SUSAUDIT_TEST_PASSWORD\"");
	assert_non_null(p);
	*p = '\0';
	alt = xasprintf("%spassword-file=\"%s\"%s", xml, pwfile,
			p + strlen("password-env=\"SUSAUDIT_TEST_PASSWORD\""));
	free(xml);
	xml = xasprintf("%s/hierarchy-file.xml", w.dir);
	f = fopen(xml, "w");
	assert_non_null(f);
	fputs(alt, f);
	fclose(f);
	r = rel_run("audit '%s' --format nagios", xml);
	print_message("%s%s", r.out, r.err);
	assert_int_equal(r.status, 3);
	expect_in(r.out,
		  "SUSAUDIT UNKNOWN - the audit could not complete: server 'one.trust.test': "
		  "password file '",
		  "nagios stdout");
	expect_in(r.out, "can be read by group or others (mode 644)", "nagios stdout");
	rel_result_free(&r);
	/* once private, the same file works */
	assert_int_equal(chmod(pwfile, 0600), 0);
	r = rel_run("collect '%s' -o '%s'", xml, snap);
	assert_int_equal(r.status, 0);
	expect_in(r.err, "2 servers, 0 failed", "collect stderr");
	rel_result_free(&r);
	setenv("SUSAUDIT_TEST_PASSWORD", FIXTURE_PASSWORD, 1);
	free(alt);
	free(xml);
	free(pwfile);
	rel_world_stop(&w);
	rel_remove_db(snap);
	free(snap);
}

/* Point 14: once a password is read the process is not dumpable and has no core limit, in
 * the library and in the running binary. */
static void test_password_holder_leaves_no_core(void **state)
{
	struct server s;
	struct rlimit lim;
	struct rel_spec spec;
	struct rel_world w;
	char *pw = NULL, *why = NULL, *limits, *path, *out, *err;
	const char *line;
	pid_t pid;
	int status;

	(void)state;
	/* the binary first: this process passes its core limit on to its children */
	assert_int_equal(getrlimit(RLIMIT_CORE, &lim), 0);
	if (lim.rlim_cur == 0) {
		lim.rlim_cur = lim.rlim_max = RLIM_INFINITY;
		if (setrlimit(RLIMIT_CORE, &lim) < 0) {
			lim.rlim_cur = lim.rlim_max = 4096;
			if (setrlimit(RLIMIT_CORE, &lim) < 0)
				skip(); /* a core limit of 0 cannot be told from the binary's */
		}
	}
	/* the binary, while it collects from a server that trickles */
	memset(&spec, 0, sizeof(spec));
	spec.name = "slow.trust.test";
	spec.o.trickle_ms = 300;
	spec.o.trickle_pattern = "FROM dbo.tbDeployment d";
	spec.query_timeout = 3;
	assert_int_equal(rel_world_start(&w, &spec, 1), 0);
	out = rel_temp_path("core", ".out");
	err = rel_temp_path("core", ".err");
	path = rel_temp_path("core", ".db");
	{
		const char *args[] = {"collect", w.xml_path, "-o", path, NULL};

		pid = rel_spawn(args, out, err);
	}
	sleep(2);
	{
		char *proc = xasprintf("/proc/%d/limits", (int)pid);
		FILE *pf = fopen(proc, "r");
		size_t n;

		assert_non_null(pf);
		limits = xcalloc(1, 8192);
		n = fread(limits, 1, 8191, pf);
		limits[n] = '\0';
		fclose(pf);
		free(proc);
	}
	waitpid(pid, &status, 0);
	line = strstr(limits, "Max core file size");
	assert_non_null(line);
	if (!strstr(line, "Max core file size        0                    0"))
		fail_msg("the running binary may dump core: %.80s", line);
	free(limits);
	unlink(out);
	unlink(err);
	rel_remove_db(path);
	free(out);
	free(err);
	free(path);
	rel_world_stop(&w);

	/* the library: the first password read protects the process */
	memset(&s, 0, sizeof(s));
	s.name = "local";
	s.conn.password_env = "SUSAUDIT_TEST_PASSWORD";
	setenv("SUSAUDIT_TEST_PASSWORD", FIXTURE_PASSWORD, 1);
	assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);
	assert_int_equal(hierarchy_password_get(&s, &pw, &why), 0);
	assert_string_equal(pw, FIXTURE_PASSWORD);
	free(pw);
	assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
	assert_int_equal(getrlimit(RLIMIT_CORE, &lim), 0);
	assert_int_equal(lim.rlim_cur, 0);
	assert_int_equal(lim.rlim_max, 0);
}

/* Whether text names one of our private freetds.conf sections ("susaudit-7"). */
static int names_section(const char *text)
{
	const char *p;

	for (p = strstr(text, "susaudit-"); p; p = strstr(p + 1, "susaudit-"))
		if (p[9] >= '0' && p[9] <= '9')
			return 1;
	return 0;
}

/* Point 13: messages name the host and port the user wrote, never our freetds.conf
 * section names. */
static void test_messages_name_what_the_user_wrote(void **state)
{
	struct rel_spec specs[3];
	struct rel_world w;
	struct rel_result r;
	char *snap = rel_temp_path("names", ".db"), *e;

	(void)state;
	memset(specs, 0, sizeof(specs));
	specs[0].name = "closed.trust.test";
	specs[0].not_listening = 1;
	specs[1].name = "drops.trust.test";
	specs[1].o.drop_after_rows = 1;
	specs[2].name = "slow-login.trust.test";
	specs[2].o.trickle_login_ms = 300;
	specs[2].login_timeout = 2;
	assert_int_equal(rel_world_start(&w, specs, 3), 0);
	r = rel_run("collect '%s' -o '%s'", w.xml_path, snap);
	print_message("%s", r.err);
	assert_int_equal(r.status, 0);
	if (names_section(r.err))
		fail_msg("stderr names a freetds.conf section: %s", r.err);
	e = stored_error(snap, "closed.trust.test");
	expect_in(e, "could not connect to 'closed.trust.test': ", e);
	expect_in(e, "(127.0.0.1:1)", e);
	assert_false(names_section(e));
	free(e);
	e = stored_error(snap, "drops.trust.test");
	assert_false(names_section(e));
	free(e);
	rel_result_free(&r);
	rel_world_stop(&w);
	rel_remove_db(snap);
	free(snap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_trickling_servers_time_out),
	    cmocka_unit_test(test_wrong_typed_values_are_errors),
	    cmocka_unit_test(test_out_of_range_values_are_named),
	    cmocka_unit_test(test_configuration_error_ends_run),
	    cmocka_unit_test(test_messages_name_what_the_user_wrote),
	    cmocka_unit_test(test_password_holder_leaves_no_core),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
