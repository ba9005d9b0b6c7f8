/* finding: one inconsistency found by a check, and the list the checks fill. */
#ifndef SUSAUDIT_FINDING_H
#define SUSAUDIT_FINDING_H

#include <stddef.h>

#include "arena.h"
#include "evidence.h"

enum severity { SEVERITY_INFO, SEVERITY_WARNING, SEVERITY_ERROR };

/* How a check ended (STYLE.md): evaluated and clean, found something, could not evaluate
 * (data missing), or does not apply. */
enum check_status { CHECK_PASS, CHECK_FAIL, CHECK_ERROR, CHECK_SKIPPED };

/* A finding's standing against a previous audit (--store) or the current state (--plan). */
enum finding_change {
	CHANGE_NONE,		/* neither --store nor --plan */
	CHANGE_NEW,
	CHANGE_PERSISTING,	/* --store: also in the previous audit */
	CHANGE_UNCHANGED,	/* --plan: also in the current state */
	CHANGE_RESOLVED		/* in the baseline, gone now */
};

struct finding {
	const char *check;		/* stable kebab-case name, e.g. "storage-option" */
	const char *rule;		/* "R6", or "-" */
	enum severity severity;
	const char *server;		/* the server it is about (hierarchy name), or NULL */
	const char **related;		/* other servers involved, e.g. the upstream */
	size_t nrelated;
	const char *message;		/* one line, lower-case start, no trailing period */
	struct evidence *evidence;	/* an EVIDENCE_OBJECT, never NULL */
	const char *remedy;		/* the steps, citing the rule */
	enum finding_change change;
	int suppressed;
	const char *suppression;	/* the justification when suppressed */
	/* added: the id (finding_id) of another finding of the same audit that explains this one
	 * (finding_causes_link), or NULL */
	const char *cause;
};

/* Findings of one audit; all memory in `arena`. */
struct findings {
	struct arena *arena;
	struct finding *items;
	size_t count, cap;
};

void findings_init(struct findings *f, struct arena *a);
/* Appends a finding with copies of the strings; returns it so the caller can add evidence.
 * `related` may be NULL when nrelated is 0. */
struct finding *findings_add(struct findings *f, const char *check, const char *rule,
			     enum severity severity, const char *server, const char *const *related,
			     size_t nrelated, const char *message, const char *remedy);
/* Sorts by severity (error first), then server, check and message: stable output. */
void findings_sort(struct findings *f);
void findings_release(struct findings *f);	/* frees the items array, not the arena */

/* A finding's stable id: 12 lower-case hex digits, the first 48 bits of the 64-bit FNV-1a hash
 * of "check|server|related1 related2 ..." (server empty for the hierarchy, related servers in
 * the finding's order): the identity --store matches findings by, so an id stays the same
 * across runs and versions for as long as the finding does. Findings sharing check, server and
 * related servers share an id. Writes FINDING_ID_SIZE bytes (with the NUL) into `out`. */
enum { FINDING_ID_SIZE = 13 };
void finding_id(const struct finding *f, char out[FINDING_ID_SIZE]);

const char *severity_name(enum severity s);		/* "info" "warning" "error" */
int severity_parse(const char *name, enum severity *out);	/* 0, or -1 when unknown */
const char *check_status_name(enum check_status s);	/* "pass" "fail" "error" "skipped" */
const char *finding_change_name(enum finding_change c);	/* "new" ... or NULL for NONE */

#endif
