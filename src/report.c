/* report: format names, summary counts, and the dispatch to one writer per format. */
#include "report.h"

#include <errno.h>
#include <string.h>

#include "log.h"
#include "report_writers.h"

/* Sorted by name would buy nothing for seven entries; the enum order keeps it a direct index. */
static const struct {
	const char *name;
	int (*write)(const struct report *, const struct report_options *, FILE *);
} formats[] = {
    [REPORT_TEXT] = {"text", report_write_text}, [REPORT_JSON] = {"json", report_write_json},
    [REPORT_HTML] = {"html", report_write_html}, [REPORT_JUNIT] = {"junit", report_write_junit},
    [REPORT_CSV] = {"csv", report_write_csv},	 [REPORT_NAGIOS] = {"nagios", report_write_nagios},
    [REPORT_PROMETHEUS] = {"prometheus", report_write_prometheus},
};

enum { NFORMATS = sizeof(formats) / sizeof(formats[0]) };

int report_format_parse(const char *name, enum report_format *out)
{
	size_t i;

	if (!name)
		return -1;
	for (i = 0; i < NFORMATS; i++) {
		if (strcmp(name, formats[i].name) == 0) {
			*out = (enum report_format)i;
			return 0;
		}
	}
	return -1;
}

const char *report_format_name(enum report_format format)
{
	return (size_t)format < NFORMATS ? formats[format].name : "unknown";
}

int report_write(const struct report *r, enum report_format format,
		 const struct report_options *opt, FILE *out)
{
	static const struct report_options defaults = {0, 0, SEVERITY_WARNING, 0};
	int rc;

	if ((size_t)format >= NFORMATS)
		return log_error("unknown report format %d", (int)format);
	if (!opt)
		opt = &defaults;
	errno = 0;
	rc = formats[format].write(r, opt, out);
	if (fflush(out) != 0 || ferror(out) || rc < 0)
		return log_error("could not write the %s report: %s", formats[format].name,
				 errno ? strerror(errno) : "write error");
	return 0;
}

void report_count(const struct report *r, int *error, int *warning, int *info)
{
	int counts[3] = {0, 0, 0};
	size_t i;

	for (i = 0; i < r->nfindings; i++) {
		const struct finding *f = &r->findings[i];

		if (!f->suppressed && (unsigned)f->severity <= SEVERITY_ERROR)
			counts[f->severity]++;
	}
	if (error)
		*error = counts[SEVERITY_ERROR];
	if (warning)
		*warning = counts[SEVERITY_WARNING];
	if (info)
		*info = counts[SEVERITY_INFO];
}

int report_nagios_status_fail_on(const struct report *r, enum severity fail_on)
{
	int e, w, i;

	if (r->nservers == 0 || r->nchecks == 0)
		return 3;
	report_count(r, &e, &w, &i);
	if (e > 0)
		return 2;
	if (fail_on <= SEVERITY_WARNING && w > 0)
		return 1;
	if (fail_on == SEVERITY_INFO && i > 0)
		return 1;
	return 0;
}

int report_nagios_status(const struct report *r)
{
	return report_nagios_status_fail_on(r, SEVERITY_WARNING);
}

void report_iso_time(time_t t, char *buf, size_t size)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, size, "1970-01-01T00:00:00Z");
}

size_t report_evidence_cap(const struct report_options *opt)
{
	return opt && opt->evidence_cap ? opt->evidence_cap : 20;
}

int report_is_link_check(const char *check)
{
	static const char *const link_checks[] = {
	    "approval-drift", "language-mismatch", "missing-upstream-updates",
	    "replica-mode",   "storage-option",	   "sync-source",
	    "version-order",
	};
	size_t i;

	if (!check)
		return 0;
	if (strncmp(check, "upstream-", 9) == 0)
		return 1;
	for (i = 0; i < sizeof(link_checks) / sizeof(link_checks[0]); i++)
		if (strcmp(check, link_checks[i]) == 0)
			return 1;
	return 0;
}

int report_worst_severity(const struct report *r, const char *server, int link_only)
{
	int worst = -1;
	size_t i;

	if (!server)
		return -1;
	for (i = 0; i < r->nfindings; i++) {
		const struct finding *f = &r->findings[i];

		if (f->suppressed || !f->server || strcmp(f->server, server) != 0)
			continue;
		if (link_only && !report_is_link_check(f->check))
			continue;
		if ((int)f->severity > worst)
			worst = (int)f->severity;
	}
	return worst;
}

size_t report_unreachable_count(const struct report *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->nservers; i++)
		n += r->servers[i].reachable ? 0 : 1;
	return n;
}

size_t report_suppressed_count(const struct report *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->nfindings; i++)
		n += r->findings[i].suppressed ? 1 : 0;
	return n;
}

size_t report_checks_with_status(const struct report *r, enum check_status status)
{
	size_t i, n = 0;

	for (i = 0; i < r->nchecks; i++)
		n += r->checks[i].status == status ? 1 : 0;
	return n;
}

const char *report_str(const char *s, const char *fallback)
{
	return s ? s : fallback;
}

const char *report_yes_no(int v)
{
	return v < 0 ? "unknown" : v ? "yes" : "no";
}

size_t report_checks_evaluated(const struct report *r)
{
	return report_checks_with_status(r, CHECK_PASS) + report_checks_with_status(r, CHECK_FAIL);
}

const char *report_collected_time(time_t t, char *buf, size_t size, const char *unknown)
{
	if (!t)
		return unknown;
	report_iso_time(t, buf, size);
	return buf;
}
