/* export_write: one server's rows into DIR/NAME.xml, the same format the PowerShell collector
 * writes (model/export.xsd). */
#define _POSIX_C_SOURCE 200809L
#include "export_write.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "embedded.h"
#include "export_value.h"
#include "version.h"
#include "xalloc.h"

struct export_writer {
	FILE *f;
	char *part;		/* NAME.xml.part */
	char *final;		/* NAME.xml */
	const struct collect_query *q;	/* the query being written */
	long query_start;	/* file offset where the current query began */
	long long query_rows;
	long long rows;		/* rows of the completed queries */
	long long queries;
};

char *export_file_name(const char *name)
{
	char *s = xasprintf("%s.xml", name);
	char *p;

	for (p = s; p[0] && strcmp(p, ".xml") != 0; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '-'))
			*p = '_';
	return s;
}

static void write_text(FILE *f, const char *s, int attr)
{
	export_value_write_escaped(f, s, strlen(s), attr);
}

int export_writer_open(const char *dir, const char *name, const char *started,
		       struct export_writer **out, char **error)
{
	struct export_writer *w = xcalloc(1, sizeof(*w));
	char *file = export_file_name(name);

	*out = NULL;
	w->final = xasprintf("%s/%s", dir, file);
	w->part = xasprintf("%s.part", w->final);
	free(file);
	w->f = fopen(w->part, "wbx");
	if (!w->f && errno == EEXIST) {
		/* a stale part of an interrupted run: ours to replace */
		unlink(w->part);
		w->f = fopen(w->part, "wbx");
	}
	if (!w->f) {
		*error = xasprintf("could not create the export '%s': %s", w->part,
				   strerror(errno));
		free(w->part);
		free(w->final);
		free(w);
		return -1;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<export xmlns=\"urn:susaudit:export:1\" "
	      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" format=\"1\">\n"
	      "  <producer name=\"susaudit\" version=\"" SUSAUDIT_VERSION "\"/>\n  <host fqdn=\"",
	      w->f);
	write_text(w->f, name, 1);
	fputs("\" connection=\"tds\"/>\n  <started at=\"", w->f);
	write_text(w->f, started, 1);
	fputs("\"/>\n", w->f);
	w->query_start = -1;
	*out = w;
	return 0;
}

void export_writer_query_begin(struct export_writer *w, const struct collect_query *q)
{
	size_t i;

	if (w->q == q && w->query_start >= 0) {
		/* a retry: forget the failed attempt's rows */
		fflush(w->f);
		if (ftruncate(fileno(w->f), w->query_start) == 0)
			fseek(w->f, w->query_start, SEEK_SET);
	} else {
		w->query_start = ftell(w->f);
	}
	w->q = q;
	w->query_rows = 0;
	fprintf(w->f, "  <query id=\"%s\" sha256=\"%s\">\n", q->name,
		embedded_files[q->text].sha256);
	for (i = 0; i < q->ncolumns; i++)
		fprintf(w->f, "    <column name=\"%s\"/>\n", q->columns[i].name);
}

static void write_value(FILE *f, enum db_kind kind, const struct db_value *v)
{
	if (v->is_null) {
		fputs("<v xsi:nil=\"true\"/>", f);
		return;
	}
	switch (kind) {
	case DB_KIND_INT:
		fprintf(f, "<v>%lld</v>", v->integer);
		return;
	case DB_KIND_TEXT:
	case DB_KIND_GUID:
	case DB_KIND_TIME:
		if (v->len == 0) {
			fputs("<v/>", f);
		} else if (export_value_needs_base64(v->text, v->len)) {
			fputs("<v enc=\"base64\">", f);
			export_value_write_base64(f, (const unsigned char *)v->text, v->len);
			fputs("</v>", f);
		} else {
			fputs("<v>", f);
			export_value_write_escaped(f, v->text, v->len, 0);
			fputs("</v>", f);
		}
		return;
	}
}

void export_writer_row(struct export_writer *w, const struct db_value *values, size_t n)
{
	size_t i;

	fputs("    <r>", w->f);
	for (i = 0; i < n && i < w->q->ncolumns; i++)
		write_value(w->f, w->q->columns[i].kind, &values[i]);
	fputs("</r>\n", w->f);
	w->query_rows++;
}

void export_writer_query_end(struct export_writer *w)
{
	fputs("  </query>\n", w->f);
	w->rows += w->query_rows;
	w->queries++;
	w->query_start = -1;
	w->q = NULL;
}

int export_writer_finish(struct export_writer *w, const char *finished, char **error)
{
	int rc = 0;

	fprintf(w->f, "  <finished at=\"%s\" queries=\"%lld\" rows=\"%lld\"/>\n</export>\n",
		finished, w->queries, w->rows);
	if (fflush(w->f) != 0 || ferror(w->f) || fsync(fileno(w->f)) != 0) {
		*error = xasprintf("could not write the export '%s': %s", w->part,
				   strerror(errno));
		rc = -1;
	}
	if (fclose(w->f) != 0 && rc == 0) {
		*error = xasprintf("could not write the export '%s': %s", w->part,
				   strerror(errno));
		rc = -1;
	}
	if (rc == 0 && rename(w->part, w->final) != 0) {
		*error = xasprintf("could not rename the export '%s' to '%s': %s", w->part,
				   w->final, strerror(errno));
		rc = -1;
	}
	if (rc < 0)
		unlink(w->part);
	free(w->part);
	free(w->final);
	free(w);
	return rc;
}

void export_writer_abort(struct export_writer *w)
{
	if (!w)
		return;
	fclose(w->f);
	unlink(w->part);
	free(w->part);
	free(w->final);
	free(w);
}
