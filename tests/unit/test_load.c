/* test_load: 50 servers with 16 jobs — every server accounted for, no descriptor left open,
 * memory that does not grow from one collection to the next. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect.h"
#include "dbsource.h"
#include "hierarchy.h"
#include "reliability_support.h"
#include "xalloc.h"

#define SERVERS 50
#define BACKENDS 5 /* TDS test servers; each serves ten names */
#define CLOSED 5   /* names that point at a closed port */

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1; /* the directory itself */
}

/* Resident memory in kB, from /proc/self/status. */
static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static void test_fifty_servers_sixteen_jobs(void **state)
{
	struct rel_spec specs[SERVERS];
	char names[SERVERS][48];
	struct rel_world w;
	struct hierarchy *h;
	struct collect_options o = {16, 0, 3, 100, 0};
	struct collect_summary sum;
	char *snap = rel_temp_path("load", ".db");
	int fds_before, fds_after, i, round;
	long rss[3];

	(void)state;
	memset(specs, 0, sizeof(specs));
	for (i = 0; i < SERVERS; i++) {
		snprintf(names[i], sizeof(names[i]), "wsus%02d.load.test", i);
		specs[i].name = names[i];
		if (i >= BACKENDS)
			specs[i].share_with = i % BACKENDS + 1;
		if (i >= SERVERS - CLOSED) {
			specs[i].share_with = 0;
			specs[i].not_listening = 1;
		}
	}
	assert_int_equal(rel_world_start(&w, specs, SERVERS), 0);
	assert_int_equal(hierarchy_load(w.xml_path, &h), 0);
	assert_int_equal(h->nservers, SERVERS);

	/* db-lib's first use opens what it keeps for the process (locale, conf): not a leak */
	assert_int_equal(db_global_init(), 0);
	fds_before = open_fds();
	for (round = 0; round < 3; round++) {
		rel_remove_db(snap);
		assert_int_equal(collect_run(h, snap, &o, &sum), 0);
		assert_int_equal(sum.servers, SERVERS);
		assert_int_equal(sum.failed, CLOSED);
		rss[round] = rss_kb();
		assert_int_equal(
		    rel_scalar(snap, "SELECT COUNT(*) FROM server WHERE status = 'ok'"),
		    SERVERS - CLOSED);
		assert_int_equal(rel_scalar(snap, "SELECT COUNT(DISTINCT name) FROM server"),
				 SERVERS);
		assert_int_equal(rel_scalar(snap,
					    "SELECT COUNT(*) FROM server WHERE status = "
					    "'failed' AND error LIKE 'could not connect to%'"),
				 CLOSED);
		/* the same rows from every server that shares a fixture */
		assert_int_equal(rel_scalar(snap, "SELECT COUNT(DISTINCT rows_read) FROM server "
						  "WHERE status = 'ok'"),
				 1);
	}
	fds_after = open_fds();
	print_message("descriptors %d before, %d after 3 collections of %d servers; RSS %ld, "
		      "%ld, %ld kB\n",
		      fds_before, fds_after, SERVERS, rss[0], rss[1], rss[2]);
	assert_int_equal(fds_after, fds_before);
#if !defined(__SANITIZE_ADDRESS__)
	/* without ASan's quarantine, a leak per server or per row would show here */
	assert_true(rss[2] - rss[1] < 4096);
#endif
	hierarchy_free(h);
	db_global_exit();
	rel_world_stop(&w);
	rel_remove_db(snap);
	free(snap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fifty_servers_sixteen_jobs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
