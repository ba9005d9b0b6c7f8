/* report_csv: one finding a row (RFC 4180, CRLF) for spreadsheets and ticket imports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_escape.h"
#include "report_writers.h"
#include "xalloc.h"

/* When the finding's server was read (the run's time for findings about the hierarchy). */
static const char *collected_at(const struct report *r, const char *server)
{
	static char when[32];
	size_t i;

	for (i = 0; server && i < r->nservers; i++)
		if (r->servers[i].name && strcmp(r->servers[i].name, server) == 0 &&
		    r->servers[i].collected_at)
			return report_collected_time(r->servers[i].collected_at, when, sizeof(when),
						     "");
	return report_collected_time(r->collected_at, when, sizeof(when), "");
}

/* The finding's server's connection, as the columns appended at the end of the header. */
static void connection_fields(FILE *out, const struct report *r, const char *server)
{
	static const char *const tf[] = {"", "false", "true"};
	const struct report_connection *c = NULL;
	size_t i;

	for (i = 0; server && i < r->nservers && !c; i++)
		if (r->servers[i].name && strcmp(r->servers[i].name, server) == 0)
			c = r->servers[i].connection;
	if (!c) {
		fputs(",,,,,,", out);
		return;
	}
	putc(',', out);
	report_csv_field(out, c->tds_version);
	fprintf(out, ",%s,%s,%s,", tf[c->login_encrypted + 1], tf[c->session_encrypted + 1],
		tf[c->cert_verified + 1]);
	report_csv_field(out, c->auth);
	fprintf(out, ",%s", tf[c->password_exposed + 1]);
}

static void row(FILE *out, const struct report *r, const struct finding *f, int resolved)
{
	size_t i;
	const char *status = NULL;
	char id[FINDING_ID_SIZE];

	fputs(severity_name(f->severity), out);
	putc(',', out);
	report_csv_field(out, f->check);
	putc(',', out);
	report_csv_field(out, f->rule);
	putc(',', out);
	report_csv_field(out, f->server);
	putc(',', out);
	/* related servers in one field: join first so quoting sees the whole value */
	if (f->nrelated && f->related) {
		size_t len = 0;
		char *joined, *p;

		for (i = 0; i < f->nrelated; i++)
			len += (f->related[i] ? strlen(f->related[i]) : 0) + 1;
		joined = p = xmalloc(len + 1);
		for (i = 0; i < f->nrelated; i++) {
			size_t n = f->related[i] ? strlen(f->related[i]) : 0;

			if (i)
				*p++ = ';';
			memcpy(p, f->related[i] ? f->related[i] : "", n);
			p += n;
		}
		*p = '\0';
		report_csv_field(out, joined);
		free(joined);
	}
	putc(',', out);
	report_csv_field(out, f->message);
	putc(',', out);
	report_csv_field(out, f->remedy);
	putc(',', out);
	if (r->with_change)
		status = resolved ? "resolved" : finding_change_name(f->change);
	report_csv_field(out, status);
	putc(',', out);
	fputs(f->suppressed ? "true" : "false", out);
	/* columns added after 0.1, at the end: columns are never removed or reordered */
	finding_id(f, id);
	fprintf(out, ",%s,", id);
	report_csv_field(out, r->hierarchy);
	putc(',', out);
	fputs(collected_at(r, f->server), out);
	connection_fields(out, r, f->server);
	fputs("\r\n", out);
}

int report_write_csv(const struct report *r, const struct report_options *opt, FILE *out)
{
	size_t i;

	(void)opt;
	fputs("severity,check,rule,server,related,message,remedy,status,suppressed,id,hierarchy,"
	      "collected_at,tds_version,login_encrypted,session_encrypted,certificate_verified,auth,"
	      "password_exposed\r\n",
	      out);
	for (i = 0; i < r->nfindings; i++)
		row(out, r, &r->findings[i], 0);
	if (r->with_change)
		for (i = 0; i < r->nresolved; i++)
			row(out, r, &r->resolved[i], 1);
	return ferror(out) ? -1 : 0;
}
