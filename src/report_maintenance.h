/* report_maintenance: the maintenance view (issue 16) for the text, JSON and HTML writers;
 * each writes nothing when the report has no maintenance entries. */
#ifndef SUSAUDIT_REPORT_MAINTENANCE_H
#define SUSAUDIT_REPORT_MAINTENANCE_H

#include <stdio.h>

#include "report.h"

/* "Maintenance" section of the text report: a table in maintenance order and the notes, or a
 * block per server where the table is wider than `width` columns. */
void report_text_maintenance(const struct report *r, size_t width, FILE *out);
/* The "maintenance" member of the JSON report (with its trailing comma and newline). */
void report_json_maintenance(const struct report *r, FILE *out);
/* The <section id="maintenance"> of the HTML report. */
void report_html_maintenance(const struct report *r, FILE *out);
/* The <section id="superseded-trend"> chart of the superseded count over past audits;
 * nothing unless two points know it. */
void report_svg_superseded_trend(const struct report *r, FILE *out);

#endif
