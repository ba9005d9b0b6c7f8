/* test_signals: SIGINT, SIGTERM, SIGHUP and SIGPIPE during `audit` and `collect` (issue 12,
 * point 4) — through the binary against TDS test servers: $TMPDIR is empty afterwards (no
 * snapshot, no -wal/-shm, no freetds.conf folder), one "interrupted" line says what was
 * interrupted, the exit code is 128 + the signal, and a store or snapshot is as it was. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "reliability_support.h"
#include "xalloc.h"

#define NOW "--now 2026-11-22T03:00:00Z"

static struct rel_world world;

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/* Entries in a folder, "." and ".." aside; their names (one line each) into *names. */
static int entries(const char *dir, char **names)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	*names = xstrdup("");
	assert_non_null(d);
	while ((e = readdir(d))) {
		char *t;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		t = xasprintf("%s%s\n", *names, e->d_name);
		free(*names);
		*names = t;
		n++;
	}
	closedir(d);
	return n;
}

static char *fresh_dir(void)
{
	char *dir = rel_temp_path("signals-tmp", "");

	assert_int_equal(mkdir(dir, 0700), 0);
	return dir;
}

static void remove_dir(char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(dir);
}

/* Starts `args` with TMPDIR=tmp, waits until the collection is under way (the freetds.conf
 * folder is in tmp), sends `sig`, and checks the exit code, the line and the empty folder. */
static void interrupt(const char *const *args, const char *tmp, int sig, const char *line)
{
	char *out = rel_temp_path("signals", ".out"), *err = rel_temp_path("signals", ".err");
	char *names, *text;
	pid_t pid;
	int st, i, n = 0;

	setenv("TMPDIR", tmp, 1);
	pid = rel_spawn(args, out, err);
	unsetenv("TMPDIR");
	assert_true(pid > 0);
	for (i = 0; i < 400 && n < 1; i++) {
		sleep_ms(25);
		n = entries(tmp, &names);
		if (n >= 1 && !strstr(names, "susaudit-"))
			n = 0;
		free(names);
	}
	assert_true(n >= 1); /* the run created its files: the interruption has work to do */
	sleep_ms(300);	     /* well inside the collection (every reply is delayed) */
	assert_int_equal(waitpid(pid, &st, WNOHANG), 0);
	assert_int_equal(kill(pid, sig), 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	text = fixture_read_file(err, NULL);
	assert_non_null(text);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 128 + sig || !strstr(text, line))
		print_message("signal %d: %s %d, stderr:\n%s\n", sig,
			      WIFEXITED(st) ? "exit" : "killed by",
			      WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st), text);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 128 + sig);
	assert_non_null(strstr(text, line));
	/* one line, and only one */
	assert_null(strstr(strstr(text, line) + strlen(line), "interrupted"));
	free(text);
	n = entries(tmp, &names);
	if (n)
		print_message("left in TMPDIR:\n%s", names);
	assert_int_equal(n, 0);
	free(names);
	unlink(out);
	unlink(err);
	free(out);
	free(err);
}

static int setup(void **state)
{
	struct rel_spec specs[2];

	(void)state;
	memset(specs, 0, sizeof(specs));
	specs[0].name = "a.signals.test";
	specs[1].name = "b.signals.test";
	specs[0].o.delay_ms = 150; /* a collection of a few seconds, to be interrupted */
	specs[1].o.delay_ms = 150;
	return rel_world_start(&world, specs, 2);
}

static int teardown(void **state)
{
	(void)state;
	rel_world_stop(&world);
	return 0;
}

static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
static const char *const sig_names[] = {"SIGINT", "SIGTERM", "SIGHUP", "SIGPIPE"};

/* audit HIERARCHY: the temporary snapshot, its -wal/-shm and the freetds.conf folder go. */
static void test_audit_interrupted(void **state)
{
	const char *args[] = {"audit", world.xml_path, "--now=2026-11-22T03:00:00Z", "--jobs", "1",
			      NULL};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		char *tmp = fresh_dir();
		char *line = xasprintf("susaudit: interrupted by %s while collecting; nothing was "
				       "stored",
				       sig_names[i]);

		interrupt(args, tmp, sigs[i], line);
		free(line);
		remove_dir(tmp);
	}
}

/* collect -o NEW: the new snapshot goes too; into an existing one: it is as it was. */
static void test_collect_interrupted(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		char *tmp = fresh_dir(), *snap = xasprintf("%s-new.db", tmp);
		const char *args[] = {"collect", world.xml_path, "-o", snap, "--jobs", "2", NULL};
		char *line = xasprintf("susaudit: interrupted by %s while collecting; nothing was "
				       "stored",
				       sig_names[i]);
		struct stat st;

		interrupt(args, tmp, sigs[i], line);
		assert_int_not_equal(stat(snap, &st), 0);
		free(line);
		rel_remove_db(snap);
		free(snap);
		remove_dir(tmp);
	}
}

/* audit --store: the interrupted run is not in the store, which still opens and reads. */
static void test_store_left_as_it_was(void **state)
{
	char *tmp = fresh_dir(), *store = xasprintf("%s-store.db", tmp);
	const char *args[] = {
	    "audit", world.xml_path, "--store", store, "--now=2026-11-22T03:00:00Z", NULL};
	struct rel_result r;
	long long runs;

	(void)state;
	r = rel_run("audit '%s' --store '%s' " NOW, world.xml_path, store);
	assert_true(r.status == 0 || r.status == 2);
	rel_result_free(&r);
	runs = rel_scalar(store, "SELECT COUNT(*) FROM run");
	assert_int_equal(runs, 1);
	interrupt(args, tmp, SIGTERM,
		  "susaudit: interrupted by SIGTERM while collecting; the store was left as it "
		  "was");
	assert_int_equal(rel_scalar(store, "SELECT COUNT(*) FROM run"), runs);
	r = rel_run("history --store '%s'", store);
	assert_int_equal(r.status, 0);
	rel_result_free(&r);
	rel_remove_db(store);
	free(store);
	remove_dir(tmp);
}

/* `audit H | true`: the reader is gone when the report is written (cron piping into a
 * command that failed); the write's SIGPIPE cleans up like the others. */
static void test_broken_pipe(void **state)
{
	char *tmp = fresh_dir(), *err = rel_temp_path("signals", ".err");
	char *rc = rel_temp_path("signals", ".rc");
	char *cmd, *text, *names;
	int n;

	(void)state;
	cmd = xasprintf("(TMPDIR='%s' '%s' audit '%s' " NOW " --format json 2>'%s'; echo $? >'%s') "
			"| true",
			tmp, SUSAUDIT_BINARY, world.xml_path, err, rc);
	assert_int_equal(system(cmd), 0);
	text = fixture_read_file(rc, NULL);
	assert_non_null(text);
	assert_int_equal(atoi(text), 128 + SIGPIPE);
	free(text);
	text = fixture_read_file(err, NULL);
	assert_non_null(text);
	if (!strstr(text, "interrupted by SIGPIPE while writing the report"))
		print_message("stderr:\n%s\n", text);
	assert_non_null(strstr(text, "susaudit: interrupted by SIGPIPE while writing the report"));
	free(text);
	n = entries(tmp, &names);
	if (n)
		print_message("left in TMPDIR:\n%s", names);
	assert_int_equal(n, 0);
	free(names);
	unlink(err);
	unlink(rc);
	free(err);
	free(rc);
	free(cmd);
	remove_dir(tmp);
}

/* Reads what the terminal shows until `until` appears (NULL: until the end), at most
 * `timeout_ms`; appends to *buf. */
static void read_pty(int master, char **buf, size_t *len, const char *until, int timeout_ms)
{
	size_t cap = *len + 1;
	int waited = 0;

	while (waited < timeout_ms && !(until && *buf && strstr(*buf, until))) {
		struct pollfd p = {master, POLLIN, 0};
		char chunk[4096];
		ssize_t n;

		if (poll(&p, 1, 50) <= 0) {
			waited += 50;
			continue;
		}
		n = read(master, chunk, sizeof(chunk));
		if (n <= 0)
			break; /* EIO: the other side is closed */
		*buf = xgrow(*buf, &cap, *len + (size_t)n + 1, 1);
		memcpy(*buf + *len, chunk, (size_t)n);
		*len += (size_t)n;
		(*buf)[*len] = '\0';
	}
}

/* On a terminal the progress block is erased before the "interrupted" line: the cursor goes
 * up over the block, which is cleared, and the line is written where it began. */
static void test_progress_block_cleared(void **state)
{
	struct winsize ws = {24, 100, 0, 0};
	char *tmp = fresh_dir(), *buf = NULL, *line, *names;
	size_t len = 0;
	int master, st;
	pid_t pid;

	(void)state;
	pid = forkpty(&master, NULL, NULL, &ws);
	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		setenv("TMPDIR", tmp, 1);
		if (null < 0 || dup2(null, STDOUT_FILENO) < 0) /* the report; stderr is the tty */
			_exit(127);
		execl(SUSAUDIT_BINARY, SUSAUDIT_BINARY, "audit", world.xml_path, "--jobs", "2",
		      "--now=2026-11-22T03:00:00Z", (char *)NULL);
		_exit(127);
	}
	read_pty(master, &buf, &len, "collecting:", 10000);
	assert_non_null(buf);
	assert_non_null(strstr(buf, "collecting:")); /* the block is drawn */
	assert_int_equal(kill(pid, SIGTERM), 0);
	read_pty(master, &buf, &len, NULL, 10000);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	close(master);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 128 + SIGTERM);
	line = strstr(buf, "susaudit: interrupted by SIGTERM while collecting; nothing was stored");
	if (!line)
		print_message("terminal:\n%s\n", buf);
	assert_non_null(line);
	/* right before it: ESC [ N A (up N lines), CR, ESC [ J (clear to the end of the screen) */
	assert_true(line - buf >= 7);
	assert_memory_equal(line - 4, "\r\033[J", 4);
	{
		const char *p = line - 5;

		assert_int_equal(*p, 'A');
		while (p > buf && p[-1] >= '0' && p[-1] <= '9')
			p--;
		assert_true(p < line - 5); /* at least one digit */
		assert_memory_equal(p - 2, "\033[", 2);
	}
	assert_int_equal(entries(tmp, &names), 0);
	free(names);
	free(buf);
	remove_dir(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_audit_interrupted),
	    cmocka_unit_test(test_collect_interrupted),
	    cmocka_unit_test(test_store_left_as_it_was),
	    cmocka_unit_test(test_broken_pipe),
	    cmocka_unit_test(test_progress_block_cleared),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
