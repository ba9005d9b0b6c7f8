/* reliability_support: what the reliability tests share — a world of standalone fixture
 * servers with per-server faults, running the binary, reading snapshots. */
#ifndef SUSAUDIT_RELIABILITY_SUPPORT_H
#define SUSAUDIT_RELIABILITY_SUPPORT_H

#include <stddef.h>
#include <sys/types.h>

#include "fixture_hierarchy.h"

/* One server of a reliability world. Every server serves tests/fixtures/clean/<data>.sql
 * (default p01-sup1.contoso.com) and then `patch_sql`, under its own name. */
struct rel_spec {
	const char *name;
	struct tds_server_options o; /* faults; sql_files, password and batch_log are set */
	const char *data;	     /* fixture server whose SQL to load, NULL: p01-sup1 */
	const char *patch_sql;	     /* SQL text run after the data, or NULL */
	int not_listening;	     /* no server: the hierarchy points at a closed port */
	int query_timeout;	     /* 0: 30 s */
	const char *encryption;	     /* NULL: "off" */
	int share_with;		     /* > 0: use the server of spec share_with - 1 instead */
	int login_timeout;	     /* 0: 5 s */
};

struct rel_world {
	size_t n;
	struct tds_server *servers; /* one per spec; pid 0 where none runs */
	char **batch_logs;	    /* one per spec, NULL when not_listening */
	char *xml_path;		    /* the hierarchy file (malloc'd) */
	char *dir;		    /* private folder of the world (malloc'd) */
};

/* Starts the servers, writes the hierarchy file (standalone servers, password-env
 * SUSAUDIT_TEST_PASSWORD, login timeout 5 s) and sets that variable. Returns 0 or -1. */
int rel_world_start(struct rel_world *w, const struct rel_spec *specs, size_t n);
void rel_world_stop(struct rel_world *w);

struct rel_result {
	int status;	 /* exit code, or 128 + signal */
	char *out, *err; /* stdout and stderr (malloc'd, NUL-terminated) */
	size_t out_len, err_len;
};

/* Runs `susaudit ARGS` through the shell and waits. */
struct rel_result rel_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void rel_result_free(struct rel_result *r);

/* Starts `susaudit ARGS` (argv words, NULL-terminated) without waiting; stdout and stderr
 * to the given files. Returns the pid. */
pid_t rel_spawn(const char *const *args, const char *out_path, const char *err_path);

/* One integer from a SQL query on the SQLite file at path (-1 when no row). */
long long rel_scalar(const char *db_path, const char *sql);

/* One text value from a SQL query on the SQLite file at path (malloc'd; "" when no row). */
char *rel_text(const char *db_path, const char *sql);

/* A fresh path in the test temporary folder: <tag>-<pid>-<counter><suffix>. */
char *rel_temp_path(const char *tag, const char *suffix);

/* Removes a SQLite file and its -wal and -shm. */
void rel_remove_db(const char *path);

/* Whether `needle` occurs in the file at path (binary safe); -1 when unreadable. */
int rel_file_contains(const char *path, const char *needle);

#endif
