/* checks_world: a small, consistent hierarchy as an in-memory snapshot plus a hand-built
 * struct hierarchy, for the model and check tests. Tests break one thing and run the checks. */
#ifndef SUSAUDIT_TEST_CHECKS_WORLD_H
#define SUSAUDIT_TEST_CHECKS_WORLD_H

#include <sqlite3.h>
#include <stddef.h>

#include "check.h"
#include "finding.h"
#include "hierarchy.h"
#include "model.h"

/* Server indexes of the world (hierarchy order). */
enum {
	W_CAS,		/* cas-sup1.contoso.com: CAS top, 8531 SSL, Microsoft Update */
	W_P01,		/* p01-sup1.contoso.com: P01 first SUP, 8530, upstream CAS, autonomous */
	W_P01B,		/* p01-sup2.contoso.com: P01 other SUP, replica of p01-sup1 */
	W_WEB,		/* p01-web.contoso.com: P01 internet SUP, 8531 SSL, replica of p01-sup1 */
	W_S01,		/* s01-sup1.contoso.com: secondary S01, replica of p01-sup1 */
	W_HQ,		/* hq-wsus.fabrikam.com: standalone, Microsoft Update */
	W_BRANCH,	/* branch-wsus.fabrikam.com: standalone, autonomous below hq-wsus */
	W_NSERVERS
};

/* "now" of every world: 2026-11-22T03:00:00Z. */
#define WORLD_NOW ((time_t)1795316400)

struct world {
	sqlite3 *db;
	struct hierarchy h;
	long long keys[W_NSERVERS];
	struct check_options opt;
	/* results of world_run */
	struct arena arena;
	struct findings findings;
	struct report_check *results;
	struct model *model;
};

/* Builds the clean world (every check quiet). Aborts the test on failure. */
void world_init(struct world *w);
void world_free(struct world *w);

/* Runs SQL against the snapshot; %K in no way special: use world_key(). Fails the test on error. */
void world_sql(struct world *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
long long world_key(const struct world *w, int server);

/* GUID text of test update n (1-based) and of a category. */
const char *world_update_guid(int n);

/* (Re)builds the model and runs the checks (all, or only `check` when not NULL). */
void world_run(struct world *w, const char *check);

/* The n-th finding of a check about a server (NULL: any server), or NULL. */
const struct finding *world_find(const struct world *w, const char *check, const char *server,
				 size_t n);
size_t world_count(const struct world *w, const char *check);
const struct report_check *world_result(const struct world *w, const char *check);
/* Evidence member's integer (asserts it exists and is an int/bool). */
long long world_ev_int(const struct finding *f, const char *key);
const char *world_ev_str(const struct finding *f, const char *key);
int world_related(const struct finding *f, const char *name);

/* Prints findings (debugging a failing test). */
void world_dump(const struct world *w);

#endif
