/* test_trust_cli: issue 12 part B through the built binary — -o into devices, FIFOs and
 * /dev/stdout-like links; FIFO inputs refused at once; nothing evaluated is not "consistent";
 * a failed write of any output is exit 1. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "reliability_support.h"
#include "xalloc.h"

#define NOW "--now 2026-11-22T03:00:00Z"

static struct rel_world world;
static char *snap, *store, *dir;

struct sh_result {
	int status; /* exit code; 124 when `timeout` had to end it */
	char *err;  /* stderr (malloc'd) */
};

/* Runs a shell command line in which '@' stands for the binary; stderr is captured. */
static struct sh_result sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static struct sh_result sh(const char *fmt, ...)
{
	struct sh_result r;
	char *line, *cmd, *err = rel_temp_path("trust", ".err"), *bin;
	size_t i, n = 0, cap = 0;
	va_list ap;
	int st;

	va_start(ap, fmt);
	line = xvasprintf(fmt, ap);
	va_end(ap);
	bin = xasprintf("'%s'", SUSAUDIT_BINARY);
	cmd = NULL;
	for (i = 0; line[i]; i++) {
		const char *piece = line[i] == '@' ? bin : (char[]){line[i], 0};
		size_t k = strlen(piece);

		cmd = xgrow(cmd, &cap, n + k + 1, 1);
		memcpy(cmd + n, piece, k + 1);
		n += k;
	}
	{
		char *full = xasprintf("( %s ) 2>'%s'", cmd, err);

		st = system(full);
		free(full);
	}
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	r.err = fixture_read_file(err, NULL);
	if (!r.err)
		r.err = xstrdup("");
	unlink(err);
	free(err);
	free(bin);
	free(cmd);
	free(line);
	return r;
}

static void expect(struct sh_result r, int status, const char *in_err)
{
	if (r.status != status || (in_err && !strstr(r.err, in_err)))
		print_message("status %d, stderr:\n%s\n", r.status, r.err);
	assert_int_equal(r.status, status);
	if (in_err)
		assert_non_null(strstr(r.err, in_err));
	free(r.err);
}

static int setup(void **state)
{
	struct rel_spec spec;
	struct rel_result r;

	(void)state;
	memset(&spec, 0, sizeof(spec));
	spec.name = "p01-sup1.contoso.com";
	if (rel_world_start(&world, &spec, 1) < 0)
		return -1;
	snap = rel_temp_path("trust", ".db");
	store = rel_temp_path("trust-store", ".db");
	dir = rel_temp_path("trust-dir", "");
	if (mkdir(dir, 0700) < 0)
		return -1;
	r = rel_run("collect '%s' -o '%s'", world.xml_path, snap);
	if (r.status != 0)
		return -1;
	rel_result_free(&r);
	r = rel_run("audit '%s' --store '%s' " NOW, world.xml_path, store);
	if (r.status != 0 && r.status != 2)
		return -1;
	rel_result_free(&r);
	return 0;
}

static int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	(void)state;
	if (system(cmd) != 0)
		print_message("could not remove '%s'\n", dir);
	free(cmd);
	rel_remove_db(snap);
	rel_remove_db(store);
	rel_world_stop(&world);
	free(snap);
	free(store);
	free(dir);
	return 0;
}

/* 15: every output of every command, written to a full device, is exit 1 with a message. */
static void test_write_failure_is_exit_1(void **state)
{
	(void)state;
	expect(sh("@ --help >/dev/full"), 1, "could not write");
	expect(sh("@ audit --help >/dev/full"), 1, "could not write");
	expect(sh("@ --version >/dev/full"), 1, "could not write");
	expect(sh("@ checks >/dev/full"), 1, "could not write");
	expect(sh("@ checks --format json >/dev/full"), 1, "could not write");
	expect(sh("@ audit --snapshot '%s' " NOW " >/dev/full", snap), 1, "could not write");
	expect(sh("@ audit --snapshot '%s' " NOW " --format csv >/dev/full", snap), 1,
	       "could not write");
	expect(sh("@ history --store '%s' >/dev/full", store), 1, "could not write");
	expect(sh("@ history --store '%s' --format json >/dev/full", store), 1, "could not write");
	/* the same commands succeed where the output can go */
	expect(sh("@ --help >/dev/null"), 0, NULL);
	expect(sh("@ history --store '%s' >/dev/null", store), 0, NULL);
}

static void assert_mode(const char *path, mode_t type)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	assert_int_equal(st.st_mode & S_IFMT, type);
}

/* 2: -o naming a FIFO writes into it (its reader gets the report) and leaves it a FIFO. */
static void test_output_into_fifo(void **state)
{
	char *fifo = xasprintf("%s/report.fifo", dir), *got = xasprintf("%s/got.json", dir);
	char *text;

	(void)state;
	assert_int_equal(mkfifo(fifo, 0600), 0);
	/* the reader is bounded: were the FIFO replaced, it would wait for a writer forever */
	expect(sh("timeout 20 cat '%s' >'%s' & @ audit --snapshot '%s' " NOW
		  " --format json -o '%s'; rc=$?; wait; exit $rc",
		  fifo, got, snap, fifo),
	       2, NULL);
	assert_mode(fifo, S_IFIFO);
	text = fixture_read_file(got, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "\"format\""));
	free(text);
	unlink(fifo);
	unlink(got);
	free(fifo);
	free(got);
}

/* 2: a character device (a private copy of /dev/null: never the real one) stays a device. */
static void test_output_into_device(void **state)
{
	char *node = xasprintf("%s/null", dir);

	(void)state;
	assert_int_equal(mknod(node, S_IFCHR | 0666, makedev(1, 3)), 0);
	expect(sh("@ audit --snapshot '%s' " NOW " --format json -o '%s'", snap, node), 2, NULL);
	assert_mode(node, S_IFCHR);
	/* nothing was left beside it either */
	expect(sh("test -z \"$(ls '%s' | grep -v '^null$')\"", dir), 0, NULL);
	unlink(node);
	free(node);
}

/* 2: a symbolic link to standard output (what /dev/stdout is) is written through, and stays a
 * link; the report reaches whatever standard output is. */
static void test_output_through_stdout_link(void **state)
{
	char *link = xasprintf("%s/stdout", dir), *got = xasprintf("%s/got.csv", dir);
	char *text;

	(void)state;
	assert_int_equal(symlink("/proc/self/fd/1", link), 0);
	expect(sh("@ audit --snapshot '%s' " NOW " --format csv -o '%s' >'%s'", snap, link, got), 2,
	       NULL);
	assert_mode(link, S_IFLNK);
	text = fixture_read_file(got, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "p01-sup1.contoso.com"));
	free(text);
	/* and through a pipe, the /dev/stdout of cron jobs */
	expect(sh("@ audit --snapshot '%s' " NOW " --format csv -o '%s' | grep -q p01-sup1", snap,
		  link),
	       0, NULL);
	assert_mode(link, S_IFLNK);
	/* a regular file is still replaced whole (temporary file and rename) */
	expect(sh("@ audit --snapshot '%s' " NOW " --format csv -o '%s'", snap, got), 2, NULL);
	assert_mode(got, S_IFREG);
	/* a link to a regular file stays a link; its target gets the new report, whole */
	unlink(link);
	assert_int_equal(symlink(got, link), 0);
	expect(sh(": >'%s'; @ audit --snapshot '%s' " NOW " --format json -o '%s'", got, snap, link),
	       2, NULL);
	assert_mode(link, S_IFLNK);
	text = fixture_read_file(got, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "\"format\""));
	free(text);
	expect(sh("test -z \"$(ls '%s' | grep tmp-)\"", dir), 0, NULL);
	unlink(link);
	unlink(got);
	free(link);
	free(got);
}

/* 3: an input that is a FIFO is refused at once, naming the path and what it is. */
static void test_fifo_inputs_refused(void **state)
{
	char *fifo = xasprintf("%s/input.fifo", dir);

	(void)state;
	assert_int_equal(mkfifo(fifo, 0600), 0);
	/* `timeout`: before the fix each of these waited for a writer forever (124) */
	expect(sh("timeout 10 @ audit '%s'", fifo), 1, "is a FIFO, not a regular file");
	expect(sh("timeout 10 @ collect '%s' -o '%s/x.db'", fifo, dir), 1,
	       "is a FIFO, not a regular file");
	expect(sh("timeout 10 @ audit --snapshot '%s' " NOW " --plan '%s'", snap, fifo), 1,
	       "is a FIFO, not a regular file");
	expect(sh("timeout 10 @ audit --snapshot '%s' " NOW " --suppress '%s'", snap, fifo), 1,
	       "is a FIFO, not a regular file");
	expect(sh("timeout 10 @ audit --snapshot '%s' " NOW, fifo), 1,
	       "is a FIFO, not a regular file");
	expect(sh("timeout 10 @ history --store '%s'", fifo), 1, "is a FIFO, not a regular file");
	expect(sh("timeout 10 @ fix bits-foreground '%s' --server x", fifo), 1,
	       "is a FIFO, not a regular file");
	/* the message names the file */
	expect(sh("timeout 10 @ audit '%s'", fifo), 1, fifo);
	/* a device and a folder are not hierarchy files either */
	expect(sh("timeout 10 @ audit /dev/null"), 1, "is a character device, not a regular file");
	expect(sh("timeout 10 @ audit '%s'", dir), 1, "is a directory, not a regular file");
	unlink(fifo);
	free(fifo);
}

/* 8: a selection that leaves no check is refused; an audit that evaluated no check says so
 * and does not exit 0. */
static void test_nothing_evaluated(void **state)
{
	char *empty = xasprintf("%s/empty.xml", dir);
	FILE *f;

	(void)state;
	expect(sh("@ audit --snapshot '%s' " NOW " --check replica-mode --skip replica-mode", snap),
	       1, "replica-mode");
	expect(sh("@ audit --snapshot '%s' " NOW " --check replica-mode --check upstream-ssl "
		  "--skip replica-mode --skip upstream-ssl",
		  snap),
	       1, "no check is left to run");
	/* one left is enough */
	expect(sh("@ audit --snapshot '%s' " NOW " --check replica-mode --check server-unreachable "
		  "--skip replica-mode >/dev/null",
		  snap),
	       0, NULL);
	f = fopen(empty, "w");
	assert_non_null(f);
	fputs("<?xml version=\"1.0\"?>\n<hierarchy xmlns=\"urn:susaudit:hierarchy:1\" "
	      "name=\"Nobody\"/>\n",
	      f);
	assert_int_equal(fclose(f), 0);
	expect(sh("@ audit '%s' " NOW " | grep -q 'no check was evaluated'", empty), 0, NULL);
	expect(sh("@ audit '%s' " NOW " >/dev/null", empty), 1, "no check was evaluated");
	expect(sh("@ audit '%s' " NOW " --format html | grep -q 'no check was evaluated'", empty),
	       0, NULL);
	expect(sh("@ audit '%s' " NOW " | grep -q consistent", empty), 1, NULL);
	expect(sh("@ audit '%s' " NOW " --format nagios | grep -q UNKNOWN", empty), 0, NULL);
	unlink(empty);
	free(empty);
}

/* 9: a snapshot audited 20 days after its collection measures ages from its collection, and
 * every format says when that was. */
static void test_old_snapshot_ages(void **state)
{
	char *old = xasprintf("%s/old.db", dir), *cmd;
	struct rel_result r;

	(void)state;
	cmd = xasprintf("cp '%s' '%s'", snap, old);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	/* the same snapshot, as if collected 20 days ago: every time in it moves back */
	rel_scalar(old, "UPDATE run SET started_at = strftime('%Y-%m-%dT%H:%M:%fZ', started_at, "
			"'-20 days'), finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', finished_at, "
			"'-20 days')");
	rel_scalar(old, "UPDATE server SET started_at = strftime('%Y-%m-%dT%H:%M:%fZ', started_at, "
			"'-20 days'), finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', finished_at, "
			"'-20 days')");
	rel_scalar(old, "UPDATE sync_event SET time_at_server = strftime('%Y-%m-%d %H:%M:%S', "
			"time_at_server, '-20 days')");
	assert_true(rel_scalar(old, "SELECT COUNT(*) FROM sync_event") > 0);
	/* measured from today, as before the fix, every server "last synced 20 days ago" */
	r = rel_run("audit --snapshot '%s' --check last-sync --now=%lld --format csv", old,
		    (long long)time(NULL));
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "last-sync"));
	rel_result_free(&r);
	/* measured from the collection: it synced as recently as it did */
	r = rel_run("audit --snapshot '%s' --check last-sync --format csv", old);
	if (r.status != 0)
		print_message("%s%s", r.out, r.err);
	assert_int_equal(r.status, 0);
	rel_result_free(&r);
	/* every format carries the run's collection time, and the server's */
	{
		static const char *const formats[] = {"text",  "json", "html",
						      "junit", "csv",  "nagios"};
		char *when = rel_text(old, "SELECT substr(finished_at, 1, 19) FROM run");
		char *server_when = rel_text(old, "SELECT substr(finished_at, 1, 19) FROM server");
		size_t i;

		assert_int_equal(strlen(when), 19);
		for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
			r = rel_run("audit --snapshot '%s' --format %s", old, formats[i]);
			if (!strstr(r.out, when) || !strstr(r.out, server_when))
				print_message("%s: no '%s' / '%s' in:\n%s\n", formats[i], when,
					      server_when, r.out);
			assert_non_null(strstr(r.out, when));
			assert_non_null(strstr(r.out, server_when));
			rel_result_free(&r);
		}
		r = rel_run("audit --snapshot '%s' --format json", old);
		assert_non_null(strstr(r.out, "\"collected_at\": \""));
		rel_result_free(&r);
		free(when);
		free(server_when);
	}
	rel_remove_db(old);
	free(old);
}

#define HOSTILE "'HEAD' || char(0) || 'TAIL' || char(8238) || 'gpj.exe'"

/* 10: a server sends text holding NUL and U+202E (RIGHT-TO-LEFT OVERRIDE): the snapshot keeps
 * it whole, and no report drops what follows the NUL or carries the override raw. */
static void test_nul_and_bidi(void **state)
{
	static const char *const formats[] = {"text", "json", "html", "junit", "csv", "nagios"};
	static const char *const shown[] = {"\\u202e",	"\\u202e",  "[U+202E]",
					    "[U+202E]", "[U+202E]", "\\u202e"};
	struct rel_world w;
	struct rel_spec spec;
	struct rel_result r;
	char *hsnap = rel_temp_path("trust-hostile", ".db");
	size_t i;

	(void)state;
	memset(&spec, 0, sizeof(spec));
	spec.name = "p01-sup1.contoso.com";
	/* not an absolute path either: content-path reports it, in every format */
	spec.patch_sql = "UPDATE tbConfigurationB SET LocalContentCacheLocation = " HOSTILE
			 ";\nUPDATE tbPreComputedLocalizedProperty SET Title = " HOSTILE
			 " WHERE rowid = (SELECT MIN(rowid) FROM tbPreComputedLocalizedProperty "
			 "WHERE ShortLanguage = 'en');\n";
	assert_int_equal(rel_world_start(&w, &spec, 1), 0);
	r = rel_run("collect '%s' -o '%s'", w.xml_path, hsnap);
	assert_int_equal(r.status, 0);
	rel_result_free(&r);
	/* the test server sent both, and the collector stored them whole */
	assert_int_equal(
	    rel_scalar(hsnap, "SELECT COUNT(*) FROM update_revision WHERE title = " HOSTILE), 1);
	assert_int_equal(rel_scalar(hsnap, "SELECT COUNT(*) FROM configuration WHERE "
					   "content_path = " HOSTILE),
			 1);
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		r = rel_run("audit --snapshot '%s' " NOW " --format %s", hsnap, formats[i]);
		if (!strstr(r.out, "TAIL") || !strstr(r.out, shown[i]) ||
		    memmem(r.out, r.out_len, "\xE2\x80\xAE", 3) || memchr(r.out, 0, r.out_len))
			print_message("%s:\n%s\n", formats[i], r.out);
		/* what follows the NUL is there, the NUL shown as U+2400 */
		assert_non_null(strstr(r.out, "HEAD\xE2\x90\x80TAIL"));
		assert_null(memchr(r.out, 0, r.out_len));
		/* the override never raw, always visible */
		assert_null(memmem(r.out, r.out_len, "\xE2\x80\xAE", 3));
		assert_non_null(strstr(r.out, shown[i]));
		rel_result_free(&r);
	}
	rel_world_stop(&w);
	rel_remove_db(hsnap);
	free(hsnap);
}

/* 10: a diagnostic quoting text with a bidi override (here a file name) shows it as '?'. */
static void test_log_bidi(void **state)
{
	struct sh_result r;

	(void)state;
	r = sh("@ audit '/nonexistent/a\xE2\x80\xAE"
	       "lmx.exe'");
	assert_null(strstr(r.err, "\xE2\x80\xAE"));
	expect(r, 1, "a???lmx.exe");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_write_failure_is_exit_1),
	    cmocka_unit_test(test_output_into_fifo),
	    cmocka_unit_test(test_output_into_device),
	    cmocka_unit_test(test_output_through_stdout_link),
	    cmocka_unit_test(test_fifo_inputs_refused),
	    cmocka_unit_test(test_nothing_evaluated),
	    cmocka_unit_test(test_old_snapshot_ages),
	    cmocka_unit_test(test_nul_and_bidi),
	    cmocka_unit_test(test_log_bidi),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
