/* test_report_support: the report fixture, a strict JSON checker and golden-file comparison. */
#ifndef SUSAUDIT_TEST_REPORT_SUPPORT_H
#define SUSAUDIT_TEST_REPORT_SUPPORT_H

#include <stddef.h>

#include "arena.h"
#include "finding.h"
#include "report.h"

enum { FIXTURE_SERVERS = 8, FIXTURE_CHECKS = 14, FIXTURE_TREND = 4, FIXTURE_MAINTENANCE = 5 };

/* A hierarchy with a finding of every severity, suppressed ones, change statuses, evidence of
 * every type (nested lists and objects, a 30-item list with 5 more omitted), Japanese text,
 * hostile strings (<script>, quotes, \x01, ESC, invalid UTF-8) and an unreachable server. */
struct report_fixture {
	struct arena arena;
	struct findings findings;
	struct findings resolved;
	struct report_server servers[FIXTURE_SERVERS];
	struct report_check checks[FIXTURE_CHECKS];
	struct report_trend_point trend[FIXTURE_TREND];
	struct report_maintenance maintenance[FIXTURE_MAINTENANCE];
	struct report report;
};

void report_fixture_init(struct report_fixture *fx);
/* Adds a finding whose evidence title and message are over 1 MB (not in the golden files). */
void report_fixture_add_huge(struct report_fixture *fx);
void report_fixture_release(struct report_fixture *fx);

/* Renders a report into memory; returns report_write's result, *out malloc'd (caller frees). */
int report_render(const struct report *r, enum report_format format,
		  const struct report_options *opt, char **out, size_t *len);

/* 0 when `s` is one valid JSON text (RFC 8259, strings valid UTF-8), else -1 with a reason
 * and byte offset in `err`. */
int json_check(const char *s, size_t len, char *err, size_t errlen);

/* Compares `data` with tests/golden/<name>. With SUSAUDIT_UPDATE_GOLDEN=1 in the environment
 * it rewrites the golden file instead. On a mismatch the actual output is left in the test
 * tmp directory and the test fails with the diff command to run. */
void golden_check(const char *name, const char *data, size_t len);

#endif
