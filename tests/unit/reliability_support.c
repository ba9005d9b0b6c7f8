/* reliability_support: fixture worlds with faults, the binary as a child, snapshot reads. */
#define _GNU_SOURCE
#include "reliability_support.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "snapshot_unpack.h"
#include "xalloc.h"

static unsigned temp_counter;

char *rel_temp_path(const char *tag, const char *suffix)
{
	return xasprintf("%s/%s-%d-%u%s", SUSAUDIT_TEST_TMPDIR, tag, (int)getpid(), ++temp_counter,
			 suffix ? suffix : "");
}

void rel_remove_db(const char *path)
{
	char *p;

	unlink(path);
	p = xasprintf("%s-wal", path);
	unlink(p);
	free(p);
	p = xasprintf("%s-shm", path);
	unlink(p);
	free(p);
}

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f) == 0 ? 0 : -1;
}

int rel_world_start(struct rel_world *w, const struct rel_spec *specs, size_t n)
{
	char *xml, *tmp;
	size_t i;

	memset(w, 0, sizeof(*w));
	w->n = n;
	w->servers = xcalloc(n, sizeof(*w->servers));
	w->batch_logs = xcalloc(n, sizeof(*w->batch_logs));
	w->dir = rel_temp_path("world", NULL);
	if (mkdir(w->dir, 0700) != 0)
		return -1;
	setenv("SUSAUDIT_TEST_PASSWORD", FIXTURE_PASSWORD, 1);
	xml = xstrdup("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		      "<hierarchy xmlns=\"urn:susaudit:hierarchy:1\" name=\"Reliability\">\n"
		      "  <defaults database=\"SUSDB\" user=\"susaudit\" "
		      "password-env=\"SUSAUDIT_TEST_PASSWORD\" encryption=\"off\" "
		      "login-timeout=\"5\" query-timeout=\"30\"/>\n");
	for (i = 0; i < n; i++) {
		const struct rel_spec *s = &specs[i];
		const char *port = "1";

		if (!s->not_listening && s->share_with <= 0) {
			struct tds_server_options o = s->o;
			const char *files[3];
			char *schema =
			    xasprintf("%s/tests/fixtures/susdb-schema.sql", SUSAUDIT_SOURCE_DIR);
			char *data =
			    xasprintf("%s/tests/fixtures/clean/%s.sql", SUSAUDIT_SOURCE_DIR,
				      s->data ? s->data : "p01-sup1.contoso.com");
			char *patch = NULL;
			int rc;

			files[0] = schema;
			files[1] = data;
			o.nsql_files = 2;
			if (s->patch_sql) {
				patch = xasprintf("%s/patch-%zu.sql", w->dir, i);
				if (write_text(patch, s->patch_sql) < 0)
					return -1;
				files[o.nsql_files++] = patch;
			}
			o.sql_files = files;
			o.password = FIXTURE_PASSWORD;
			w->batch_logs[i] = xasprintf("%s/batches-%zu.log", w->dir, i);
			o.batch_log = w->batch_logs[i];
			rc = tds_server_start(&o, &w->servers[i]);
			free(schema);
			free(data);
			free(patch);
			if (rc < 0)
				return -1;
		}
		if (s->share_with > 0)
			port = w->servers[s->share_with - 1].host_port + strlen("127.0.0.1:");
		else if (!s->not_listening)
			port = w->servers[i].host_port + strlen("127.0.0.1:");
		tmp = xasprintf("%s  <server name=\"%s\" port=\"8530\" sql=\"127.0.0.1:%s\"", xml,
				s->name, port);
		free(xml);
		xml = tmp;
		if (s->query_timeout > 0) {
			tmp = xasprintf("%s query-timeout=\"%d\"", xml, s->query_timeout);
			free(xml);
			xml = tmp;
		}
		if (s->login_timeout > 0) {
			tmp = xasprintf("%s login-timeout=\"%d\"", xml, s->login_timeout);
			free(xml);
			xml = tmp;
		}
		if (s->encryption) {
			tmp = xasprintf("%s encryption=\"%s\"", xml, s->encryption);
			free(xml);
			xml = tmp;
		}
		tmp = xasprintf("%s/>\n", xml);
		free(xml);
		xml = tmp;
	}
	tmp = xasprintf("%s</hierarchy>\n", xml);
	free(xml);
	w->xml_path = xasprintf("%s/hierarchy.xml", w->dir);
	if (write_text(w->xml_path, tmp) < 0) {
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

void rel_world_stop(struct rel_world *w)
{
	char *cmd;
	size_t i;

	for (i = 0; i < w->n; i++) {
		tds_server_stop(&w->servers[i]);
		free(w->batch_logs[i]);
	}
	free(w->servers);
	free(w->batch_logs);
	if (w->dir) {
		cmd = xasprintf("rm -rf '%s'", w->dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove '%s'\n", w->dir);
		free(cmd);
	}
	free(w->dir);
	free(w->xml_path);
	memset(w, 0, sizeof(*w));
}

static char *slurp(const char *path, size_t *len)
{
	char *s = fixture_read_file(path, len);

	if (!s) {
		s = xcalloc(1, 1);
		*len = 0;
	}
	return s;
}

struct rel_result rel_run(const char *fmt, ...)
{
	struct rel_result r;
	char *args, *cmd, *out = rel_temp_path("run", ".out"), *err = rel_temp_path("run", ".err");
	va_list ap;
	int st;

	memset(&r, 0, sizeof(r));
	va_start(ap, fmt);
	args = xvasprintf(fmt, ap);
	va_end(ap);
	cmd = xasprintf("'%s' %s >'%s' 2>'%s' </dev/null", SUSAUDIT_BINARY, args, out, err);
	st = system(cmd);
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	r.out = slurp(out, &r.out_len);
	r.err = slurp(err, &r.err_len);
	unlink(out);
	unlink(err);
	free(out);
	free(err);
	free(cmd);
	free(args);
	return r;
}

void rel_result_free(struct rel_result *r)
{
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof(*r));
}

pid_t rel_spawn(const char *const *args, const char *out_path, const char *err_path)
{
	size_t n = 0, i;
	char **argv;
	pid_t pid;

	while (args[n])
		n++;
	argv = xcalloc(n + 2, sizeof(*argv));
	argv[0] = xstrdup(SUSAUDIT_BINARY);
	for (i = 0; i < n; i++)
		argv[i + 1] = xstrdup(args[i]);
	pid = fork();
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (in < 0 || o < 0 || e < 0 || dup2(in, 0) < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	for (i = 0; i < n + 1; i++)
		free(argv[i]);
	free(argv);
	return pid;
}

long long rel_scalar(const char *db_path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long v = -1;

	/* read-write, as any reader opens it: a hot WAL is recovered first */
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return -2;
	}
	/* format 2 packs these tables: read them as format 1's rows */
	if ((strstr(sql, "update_revision") || strstr(sql, "update_category") ||
	     strstr(sql, "update_language") || strstr(sql, "approval")) &&
	    snapshot_unpack_temp(db) < 0) {
		sqlite3_close(db);
		return -4;
	}
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	} else {
		v = -3;
	}
	sqlite3_close(db);
	return v;
}

char *rel_text(const char *db_path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char *v = NULL;

	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			v = xstrdup((const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return v ? v : xstrdup("");
}

int rel_file_contains(const char *path, const char *needle)
{
	size_t len;
	char *bytes = fixture_read_file(path, &len);
	int found;

	if (!bytes)
		return -1;
	found = memmem(bytes, len, needle, strlen(needle)) != NULL;
	free(bytes);
	return found;
}
