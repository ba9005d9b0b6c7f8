/* report_writers: what the report writers share; internal to the report_*.c files. */
#ifndef SUSAUDIT_REPORT_WRITERS_H
#define SUSAUDIT_REPORT_WRITERS_H

#include <stddef.h>
#include <stdio.h>

#include "report.h"

/* One writer per format; each returns 0, or -1 when it could not write (report_write logs). */
int report_write_text(const struct report *r, const struct report_options *opt, FILE *out);
int report_write_json(const struct report *r, const struct report_options *opt, FILE *out);
int report_write_html(const struct report *r, const struct report_options *opt, FILE *out);
int report_write_junit(const struct report *r, const struct report_options *opt, FILE *out);
int report_write_csv(const struct report *r, const struct report_options *opt, FILE *out);
int report_write_nagios(const struct report *r, const struct report_options *opt, FILE *out);
/* The plugin's line when the audit could not complete: UNKNOWN and why (NRPE shows stdout
 * only, so the reason must be on it). */
void report_write_nagios_unknown(FILE *out, const char *why);
int report_write_prometheus(const struct report *r, const struct report_options *opt,
			    FILE *out);

/* The inline SVG of the hierarchy (report_svg.c), written into the HTML page. */
void report_svg_hierarchy(const struct report *r, FILE *out);
/* The inline SVG of findings per severity over past audits; nothing when r->ntrend < 2. */
void report_svg_trend(const struct report *r, FILE *out);

/* Evidence as the text report shows it (YAML-like, lists cut at `cap`, no colour, control
 * characters as \xNN); nothing for an empty object. The JUnit writer reuses it. */
void report_text_evidence(FILE *out, const struct evidence *e, size_t indent, size_t cap);

/* "2026-11-22T03:00:00Z" into buf (at least 21 bytes). */
void report_iso_time(time_t t, char *buf, size_t size);

/* Evidence list items shown before "and N more" (opt->evidence_cap, 0 meaning 20). */
size_t report_evidence_cap(const struct report_options *opt);

/* 1 when the check is about a server's link to its upstream (sync source, upstream name,
 * port, SSL, replica mode, storage, updates, approvals, languages, versions): the diagram
 * colours that link by the worst of them. */
int report_is_link_check(const char *check);

/* Worst severity of the unsuppressed findings about `server` (link checks only when
 * `link_only`), or -1 when there is none. */
int report_worst_severity(const struct report *r, const char *server, int link_only);

size_t report_unreachable_count(const struct report *r);
size_t report_suppressed_count(const struct report *r);
size_t report_checks_with_status(const struct report *r, enum check_status status);
/* Checks that were evaluated (ended pass or fail) on at least something; 0 means the report
 * says nothing about the hierarchy (everything skipped or not evaluable). */
size_t report_checks_evaluated(const struct report *r);
/* A collected_at time as report_iso_time() writes it into buf, or `unknown` when it is 0. */
const char *report_collected_time(time_t t, char *buf, size_t size, const char *unknown);

/* Display helpers that never return NULL. */
const char *report_str(const char *s, const char *fallback);
/* "yes", "no" or "unknown" for a -1/0/1 field. */
const char *report_yes_no(int v);

#endif
