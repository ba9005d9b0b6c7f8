/* suppress: the suppression file (--suppress): accepted exceptions and severity overrides. */
#ifndef SUSAUDIT_SUPPRESS_H
#define SUSAUDIT_SUPPRESS_H

#include <stddef.h>
#include <time.h>

#include "arena.h"
#include "finding.h"
#include "hierarchy.h"

/* One <suppress> entry of the file (model/suppressions.xsd). */
struct suppression {
	const char *check;		/* a known check name, or NULL when `id` names the finding */
	const char *server;		/* NULL: every server (and findings about no server) */
	const char **related;		/* NULL: any related servers; else all of these, any order */
	size_t nrelated;
	const char *id;			/* a finding id (finding_id), or NULL */
	const char *expires;		/* "YYYY-MM-DD" or NULL; applies through that day */
	int expires_day;		/* YYYYMMDD, 0 when none */
	int has_severity;		/* 1: override the severity instead of suppressing */
	enum severity severity;
	const char *justification;	/* required; white space runs collapsed to one space */
	int line;
};

struct suppressions {
	struct arena arena;		/* owns everything below */
	const char *path;
	struct suppression *items;	/* file order */
	size_t count;
};

/* Loads and validates a suppression file against model/suppressions.xsd (same safety rules
 * as the hierarchy file). Every `check` must be one of known_checks[0..nknown) unless
 * known_checks is NULL. Returns 0 with *out to free with suppress_free, or -1 after logging
 * "FILE:LINE: problem" with *out NULL. */
int suppress_load(const char *path, const char *const *known_checks, size_t nknown,
		  struct suppressions **out);
/* The same from memory; `name` is used in messages in place of a path. */
int suppress_load_memory(const char *xml, size_t len, const char *name,
			 const char *const *known_checks, size_t nknown, struct suppressions **out);

void suppress_free(struct suppressions *s);

/* Checks that every server and related server an entry names is a server of `h`, by name,
 * alias or NetBIOS name (the first label of a server's FQDN, when only one server has it), and
 * replaces it with that server's name so it matches findings. Logs "FILE:LINE: suppress of
 * ...: server 'X' is not in the hierarchy 'H'" for each one that is not and returns -1; else
 * 0. Call it once the audited hierarchy is known, before applying. */
int suppress_check_servers(struct suppressions *s, const struct hierarchy *h);

/* Applies the entries to every finding of `f` (s may be NULL: nothing happens). An entry
 * matches a finding with the same check and, when it names a server, the same server
 * (case-insensitive); with `related`, the finding's related servers are exactly those (any
 * order); with `id`, the finding's id is that one. Entries naming a server take precedence over check-wide ones, then file
 * order; the winning entry either suppresses the finding (suppressed = 1, suppression = the
 * justification) or, with `severity`, overrides its severity (suppressed stays 0 and
 * suppression holds the justification, so reports can say why). An entry whose day has passed
 * (`now`, local time) applies no more. Each expired entry and each entry that matched nothing
 * adds a finding of its own: check "suppression", rule "-", severity warning, no server, a
 * message naming FILE:LINE and why, evidence {file, line, check, server, expires}. Strings are
 * copied into f's arena. */
void suppress_apply(const struct suppressions *s, struct findings *f, time_t now);
/* The same, except that an entry that matched nothing is not reported when `evaluated`
 * returns 0 for its check and server (NULL: every server): the audit did not run that check
 * or could not read that server, so the entry's finding could not have occurred. */
void suppress_apply_evaluated(const struct suppressions *s, struct findings *f, time_t now,
			      int (*evaluated)(const char *check, const char *server,
					       void *data),
			      void *data);

#endif
