/* test_secrets: the password appears nowhere the tool writes or shows — stdout, stderr,
 * reports of every format, the snapshot, its private freetds.conf, its command line — and
 * encryption=require refuses a server that offers no TLS. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
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

static const char *const formats[] = {"text", "json", "html", "junit", "csv", "nagios"};

static void assert_no_password(const char *what, const char *bytes, size_t len)
{
	if (memmem(bytes, len, FIXTURE_PASSWORD, strlen(FIXTURE_PASSWORD)))
		fail_msg("the password is in %s", what);
}

static void assert_file_clean(const char *path)
{
	int found = rel_file_contains(path, FIXTURE_PASSWORD);

	if (found > 0)
		fail_msg("the password is in '%s'", path);
}

/* Every regular file under dir (recursively) is free of the password and private to its
 * owner; returns how many. */
static int scan_dir_in(const char *dir, int in_private)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		char *p;
		struct stat st;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			n += scan_dir_in(p, in_private || !(st.st_mode & 077));
		} else if (lstat(p, &st) == 0 && S_ISREG(st.st_mode)) {
			assert_file_clean(p);
			/* the temporary snapshot holds what was read from the SUSDBs: private,
			 * by its own mode or its folder's */
			if ((st.st_mode & 077) && !in_private)
				fail_msg("'%s' can be read by others (mode %03o)", p,
					 (unsigned)(st.st_mode & 0777));
			n++;
		}
		free(p);
	}
	closedir(d);
	return n;
}

static int scan_dir(const char *dir)
{
	return scan_dir_in(dir, 0);
}

static struct rel_spec specs[4];

static void world(struct rel_world *w, int slow)
{
	memset(specs, 0, sizeof(specs));
	specs[0].name = "ok.secret.test";
	specs[1].name = "refused.secret.test"; /* a failed login quotes what it can */
	specs[1].o.refuse_login = 1;
	specs[2].name = "tls.secret.test"; /* require: the test server offers no TLS */
	specs[2].encryption = "require";
	specs[3].name = "slow.secret.test"; /* keeps the process alive to be looked at */
	specs[3].o.delay_ms = slow ? 150 : 0;
	assert_int_equal(rel_world_start(w, specs, 4), 0);
}

static void test_password_nowhere(void **state)
{
	struct rel_world w;
	struct rel_result r;
	char *snap = rel_temp_path("secrets", ".db");
	size_t i;

	(void)state;
	world(&w, 0);
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		char *out = rel_temp_path("secrets", formats[i]);

		r = rel_run("audit '%s' --jobs 4 --format %s -o '%s'", w.xml_path, formats[i], out);
		assert_int_equal(r.status, 2);
		assert_no_password("stdout", r.out, r.out_len);
		assert_no_password("stderr", r.err, r.err_len);
		assert_file_clean(out);
		assert_true(rel_file_contains(out, "refused.secret.test") > 0);
		rel_result_free(&r);
		unlink(out);
		free(out);
	}
	/* to standard output, and verbose */
	r = rel_run("audit '%s' --jobs 4 --format json --verbose", w.xml_path);
	assert_no_password("stdout", r.out, r.out_len);
	assert_no_password("stderr", r.err, r.err_len);
	assert_non_null(strstr(r.out, "18456"));
	rel_result_free(&r);
	r = rel_run("collect '%s' -o '%s' --jobs 4 --verbose", w.xml_path, snap);
	assert_int_equal(r.status, 0);
	assert_no_password("stderr", r.err, r.err_len);
	rel_result_free(&r);
	assert_file_clean(snap);
	{
		char *wal = xasprintf("%s-wal", snap);

		assert_file_clean(wal);
		free(wal);
	}
	rel_world_stop(&w);
	rel_remove_db(snap);
	free(snap);
}

/* While it runs: argv, and the private folder where it writes freetds.conf. */
static void test_password_not_in_argv_or_temp_files(void **state)
{
	struct rel_world w;
	char *tmp = rel_temp_path("secrets-tmpdir", NULL), *out = rel_temp_path("secrets", ".out");
	char *err = rel_temp_path("secrets", ".err"), *proc;
	const char *old_tmp = getenv("TMPDIR");
	char *saved = old_tmp ? xstrdup(old_tmp) : NULL;
	pid_t pid;
	int looks = 0, files = 0, st;

	(void)state;
	world(&w, 1);
	assert_int_equal(mkdir(tmp, 0700), 0);
	setenv("TMPDIR", tmp, 1);
	{
		const char *args[] = {"audit", w.xml_path, "--jobs", "4", "--format", "json", NULL};

		pid = rel_spawn(args, out, err);
	}
	if (saved)
		setenv("TMPDIR", saved, 1);
	else
		unsetenv("TMPDIR");
	proc = xasprintf("/proc/%d/cmdline", (int)pid);
	while (waitpid(pid, &st, WNOHANG) == 0) {
		size_t len;
		char *cmdline = fixture_read_file(proc, &len);
		struct timespec ts = {0, 20000000L};

		if (cmdline) {
			assert_no_password("/proc/PID/cmdline", cmdline, len);
			looks++;
		}
		free(cmdline);
		files += scan_dir(tmp);
		nanosleep(&ts, NULL);
	}
	print_message("looked at the running process %d times, at %d temporary files\n", looks,
		      files);
	assert_true(looks > 0);
	assert_true(files > 0); /* the private freetds.conf was there to be read */
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 2);
	assert_file_clean(out);
	assert_file_clean(err);
	/* the private folder is gone with the process */
	assert_int_equal(scan_dir(tmp), 0);
	rel_world_stop(&w);
	rmdir(tmp);
	unlink(out);
	unlink(err);
	free(proc);
	free(saved);
	free(tmp);
	free(out);
	free(err);
}

/* encryption=require against a server that offers no TLS: refused before any batch. */
static void test_encryption_required(void **state)
{
	struct rel_world w;
	struct rel_result r;
	char *snap = rel_temp_path("secrets-tls", ".db"), *error;
	size_t n = 0;
	char **batches;

	(void)state;
	world(&w, 0);
	r = rel_run("collect '%s' -o '%s' --jobs 4", w.xml_path, snap);
	assert_int_equal(r.status, 0);
	rel_result_free(&r);
	assert_int_equal(rel_scalar(snap, "SELECT COUNT(*) FROM server WHERE name = "
					  "'tls.secret.test' AND status = 'failed' AND "
					  "failure_check = 'server-unreachable'"),
			 1);
	assert_int_equal(rel_scalar(snap, "SELECT COUNT(*) FROM server WHERE name = "
					  "'ok.secret.test' AND status = 'ok'"),
			 1);
	error = rel_text(snap, "SELECT error FROM server WHERE name = 'tls.secret.test'");
	print_message("encryption=require: %s\n", error);
	assert_non_null(strstr(error, "could not connect to 'tls.secret.test'"));
	free(error);
	/* nothing was sent in clear: the server never saw a batch */
	batches = tds_batch_log_read(w.batch_logs[2], &n);
	assert_int_equal(n, 0);
	tds_batch_log_free(batches, n);
	rel_world_stop(&w);
	rel_remove_db(snap);
	free(snap);
}

/* password-file: private is accepted, readable by others is refused without quoting it. */
static void test_password_file(void **state)
{
	struct rel_world w;
	struct rel_result r;
	char *pw = rel_temp_path("secrets", ".pw"), *xml, *xml_path, *text;
	int fd;

	(void)state;
	world(&w, 0);
	fd = open(pw, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, FIXTURE_PASSWORD "\n", strlen(FIXTURE_PASSWORD) + 1),
			 (ssize_t)strlen(FIXTURE_PASSWORD) + 1);
	close(fd);
	text = fixture_read_file(w.xml_path, NULL);
	assert_non_null(text);
	xml = xstrdup(text);
	{
		/* the file in place of the environment variable */
		char *at = strstr(xml, "password-env=\"SUSAUDIT_TEST_PASSWORD\"");
		char *rebuilt;

		assert_non_null(at);
		*at = '\0';
		rebuilt = xasprintf("%spassword-file=\"%s\"%s", xml, pw,
				    at + strlen("password-env=\"SUSAUDIT_TEST_PASSWORD\""));
		free(xml);
		xml = rebuilt;
	}
	xml_path = rel_temp_path("secrets-pwfile", ".xml");
	{
		FILE *f = fopen(xml_path, "w");

		assert_non_null(f);
		fputs(xml, f);
		fclose(f);
	}
	r = rel_run("audit '%s' --jobs 4 --check server-unreachable --format csv", xml_path);
	assert_int_equal(r.status, 2); /* refused and tls fail; ok and slow are read */
	assert_null(strstr(r.out, "ok.secret.test"));
	assert_no_password("stdout", r.out, r.out_len);
	assert_no_password("stderr", r.err, r.err_len);
	rel_result_free(&r);
	assert_int_equal(chmod(pw, 0644), 0);
	r = rel_run("audit '%s' --jobs 4 --check server-unreachable --format csv", xml_path);
	assert_true(r.status == 1 || r.status == 2);
	assert_non_null(strstr(r.err, pw));
	assert_no_password("stdout", r.out, r.out_len);
	assert_no_password("stderr", r.err, r.err_len);
	rel_result_free(&r);
	unlink(pw);
	unlink(xml_path);
	rel_world_stop(&w);
	free(text);
	free(xml);
	free(xml_path);
	free(pw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_password_nowhere),
	    cmocka_unit_test(test_password_not_in_argv_or_temp_files),
	    cmocka_unit_test(test_encryption_required),
	    cmocka_unit_test(test_password_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
