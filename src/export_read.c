/* export_read: a streaming, schema-validated, bounded reader of export files. The first pass
 * checks the whole file, so a bad file is refused before any of its rows is stored; each
 * query is then read by a pass that skips the others (the file's order is the collector's, so
 * usually one pass reads them all in turn). */
#define _POSIX_C_SOURCE 200809L
#include "export_read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>

#include "embedded.h"
#include "export_value.h"
#include "hierarchy_xml.h"
#include "log.h"
#include "version.h"
#include "xalloc.h"

#define XSI_NS "http://www.w3.org/2001/XMLSchema-instance"

/* One value being read. */
struct cell {
	char *buf;
	size_t len, cap;
	int is_null;
	int base64;
};

struct export_file {
	char *path;
	const struct server *s;
	struct export_limits lim;
	struct export_info info;
	xmlSchemaPtr schema;
	int fd;
	xmlTextReaderPtr reader;	/* the feeding pass, kept between queries */
	int reader_at_end;
	char *xml_error;		/* the first message libxml2 reported */
	long xml_error_line;
	char **present;			/* query ids the file holds (validated) */
	size_t npresent;
	/* the row being read */
	struct cell *cells;
	size_t ncells, cells_cap;
	struct db_value *values;
	size_t values_cap;
	unsigned char *decoded;
	size_t decoded_cap;
};

/* What one pass does. */
struct pass {
	struct export_file *f;
	int validate;			/* the first pass: check everything, feed nothing */
	const char *target;		/* the query to feed (feeding pass) */
	const struct collect_query *q;	/* the query whose rows are being read, or NULL */
	int q_skipped;			/* its hash differs: content not checked */
	db_row_fn fn;
	void *data;
	long long rows, total_rows, queries;
	long long row_no;
	size_t column_no;		/* <column> elements seen in the current query */
	int in_value;			/* collecting text into cells[ncells - 1] */
	int text_depth;			/* depth of the text nodes being collected */
	char *text;			/* collecting a header element's text */
	size_t text_len;
	const char *text_for;		/* which header element */
	char *registry_name;
	char **mismatched;		/* query ids whose hash differs or this build lacks */
	size_t nmismatched;
	int found_target;
	int finished_seen;
	long long said_queries, said_rows;
	char *error;			/* the first problem, malloc'd */
	enum db_status status;
};

static void pass_fail(struct pass *p, enum db_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void pass_fail(struct pass *p, enum db_status st, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (p->error)
		return;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	p->error = xasprintf("export '%s' of '%s': %s", p->f->path, p->f->s->name, msg);
	p->status = st;
	free(msg);
}

static void xml_error(void *data, xmlErrorPtr err)
{
	struct export_file *f = data;
	char *p;

	if (f->xml_error || !err || err->level == XML_ERR_WARNING)
		return;
	f->xml_error = xstrdup(err->message ? err->message : "unknown XML error");
	for (p = f->xml_error + strlen(f->xml_error); p > f->xml_error && p[-1] == '\n'; p--)
		p[-1] = '\0';
	/* libxml2's messages start upper-case; ours do not */
	if (f->xml_error[0] >= 'A' && f->xml_error[0] <= 'Z' && f->xml_error[1] >= 'a')
		f->xml_error[0] = (char)(f->xml_error[0] - 'A' + 'a');
	f->xml_error_line = err->line;
}

static const struct collect_query *known_query(const char *id)
{
	size_t i;

	if (strcmp(id, collect_probe.name) == 0)
		return &collect_probe;
	for (i = 0; i < collect_nqueries; i++)
		if (strcmp(id, collect_queries[i].name) == 0)
			return &collect_queries[i];
	return NULL;
}

static char *attr(xmlTextReaderPtr r, const char *name)
{
	xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)name);
	char *s;

	if (!v)
		return NULL;
	s = xstrdup((const char *)v);
	xmlFree(v);
	return s;
}

static int attr_is(xmlTextReaderPtr r, const char *name, const char *ns, const char *value)
{
	xmlChar *v = ns ? xmlTextReaderGetAttributeNs(r, (const xmlChar *)name,
						       (const xmlChar *)ns)
			: xmlTextReaderGetAttribute(r, (const xmlChar *)name);
	int is;

	if (!v)
		return 0;
	is = strcmp((const char *)v, value) == 0 || (strcmp(value, "true") == 0 &&
						     strcmp((const char *)v, "1") == 0);
	xmlFree(v);
	return is;
}

static long long attr_count(xmlTextReaderPtr r, const char *name)
{
	char *v = attr(r, name);
	long long n = -1;

	if (v && export_value_parse_int(v, strlen(v), &n) < 0)
		n = -1;
	free(v);
	return n;
}

/* An export must end with </export>: say "truncated" plainly rather than as a parse error. */
static int ends_complete(int fd, off_t size)
{
	char tail[64];
	off_t from = size > (off_t)sizeof(tail) ? size - (off_t)sizeof(tail) : 0;
	ssize_t n = pread(fd, tail, (size_t)(size - from), from);

	while (n > 0 && (tail[n - 1] == '\n' || tail[n - 1] == '\r' || tail[n - 1] == ' ' ||
			 tail[n - 1] == '\t'))
		n--;
	return n >= 9 && memcmp(tail + n - 9, "</export>", 9) == 0;
}

/* A DOCTYPE could declare entities that read local files or expand without bound: refuse
 * one in the prolog before libxml2 sees it. */
static int has_doctype(int fd)
{
	char head[4096];
	ssize_t n = pread(fd, head, sizeof(head) - 1, 0);
	char *p;

	if (n <= 0)
		return 0;
	head[n] = '\0';
	for (p = head; (p = strchr(p, '<')) != NULL; p++) {
		if (strncmp(p, "<?", 2) == 0 || strncmp(p, "<!--", 4) == 0)
			continue;
		return strncmp(p, "<!", 2) == 0;
	}
	return 0;
}

static xmlTextReaderPtr open_reader(struct export_file *f, int validate, char **error)
{
	xmlTextReaderPtr r;

	if (lseek(f->fd, 0, SEEK_SET) < 0) {
		*error = xasprintf("could not read the export '%s': %s", f->path, strerror(errno));
		return NULL;
	}
	/* NONET: nothing fetched; no NOENT, DTDLOAD or XINCLUDE: no entity is ever loaded */
	r = xmlReaderForFd(f->fd, f->path, NULL,
			   XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES);
	if (!r) {
		*error = xasprintf("could not start reading the export '%s'", f->path);
		return NULL;
	}
	xmlTextReaderSetStructuredErrorHandler(r, xml_error, f);
	if (validate && xmlTextReaderSetSchema(r, f->schema) != 0) {
		xmlFreeTextReader(r);
		*error = xasprintf("could not validate the export '%s' (internal error)", f->path);
		return NULL;
	}
	return r;
}

static void text_append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	*buf = xgrow(*buf, cap, *len + n + 1, 1);
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
}

static void row_begin(struct export_file *f)
{
	f->ncells = 0;
}

static struct cell *cell_add(struct export_file *f)
{
	size_t old = f->cells_cap;

	f->cells = xgrow(f->cells, &f->cells_cap, f->ncells + 1, sizeof(*f->cells));
	if (f->cells_cap > old)
		memset(f->cells + old, 0, (f->cells_cap - old) * sizeof(*f->cells));
	return &f->cells[f->ncells++];
}

/* Converts the row's cells to db_values by the query's column kinds and feeds it. */
static void row_end(struct pass *p)
{
	struct export_file *f = p->f;
	const struct collect_query *q = p->q;
	size_t i, decoded = 0;
	char shown[48];	/* a bad value as a message shows it: controls replaced, cut */

	p->row_no++;
	if (f->ncells != q->ncolumns) {
		pass_fail(p, DB_BAD_RESULT, "query '%s', row %lld has %zu values, not %zu", q->name,
			  p->row_no, f->ncells, q->ncolumns);
		return;
	}
	f->values = xgrow(f->values, &f->values_cap, q->ncolumns, sizeof(*f->values));
	for (i = 0; i < f->ncells; i++)
		if (f->cells[i].base64)
			decoded += f->cells[i].len * 3 / 4 + 4;
	f->decoded = xgrow(f->decoded, &f->decoded_cap, decoded + 1, 1);
	decoded = 0;
	for (i = 0; i < f->ncells; i++) {
		struct cell *c = &f->cells[i];
		struct db_value *v = &f->values[i];
		const struct db_column *col = &q->columns[i];
		const char *text = c->buf ? c->buf : "";
		size_t len = c->len;

		memset(v, 0, sizeof(*v));
		if (c->is_null) {
			if (len) {
				pass_fail(p, DB_BAD_RESULT, "query '%s', row %lld, column '%s': a nil "
					  "value has content", q->name, p->row_no, col->name);
				return;
			}
			v->is_null = 1;
			continue;
		}
		if (c->base64) {
			long n = export_value_base64_decode(text, len, f->decoded + decoded);

			if (n < 0 || col->kind != DB_KIND_TEXT) {
				pass_fail(p, DB_BAD_RESULT, "query '%s', row %lld, column '%s': %s",
					  q->name, p->row_no, col->name,
					  n < 0 ? "enc=\"base64\" but the value is not base64"
						: "only text may be base64");
				return;
			}
			f->decoded[decoded + (size_t)n] = '\0';
			text = (const char *)f->decoded + decoded;
			len = (size_t)n;
			decoded += (size_t)n + 1;
		}
		switch (col->kind) {
		case DB_KIND_INT:
			if (export_value_parse_int(text, len, &v->integer) < 0) {
				pass_fail(p, DB_BAD_RESULT, "query '%s', row %lld, column '%s': '%s' "
					  "is not an integer", q->name, p->row_no, col->name,
					  hierarchy_xml_shown(text, shown, sizeof(shown)));
				return;
			}
			break;
		case DB_KIND_GUID:
			if (!export_value_is_guid(text, len)) {
				pass_fail(p, DB_BAD_RESULT, "query '%s', row %lld, column '%s': '%s' "
					  "is not a GUID in canonical form (upper case 8-4-4-4-12)",
					  q->name, p->row_no, col->name,
					  hierarchy_xml_shown(text, shown, sizeof(shown)));
				return;
			}
			v->text = text;
			v->len = len;
			break;
		case DB_KIND_TIME:
			if (!export_value_is_time(text, len)) {
				pass_fail(p, DB_BAD_RESULT, "query '%s', row %lld, column '%s': '%s' "
					  "is not a time as YYYY-MM-DDTHH:MM:SS.mmmZ", q->name,
					  p->row_no, col->name,
					  hierarchy_xml_shown(text, shown, sizeof(shown)));
				return;
			}
			v->text = text;
			v->len = len;
			break;
		case DB_KIND_TEXT:
			v->text = text;
			v->len = len;
			break;
		}
	}
	p->rows++;
	if (!p->validate && p->fn && p->fn(p->data, f->values, f->ncells) != 0)
		pass_fail(p, DB_BAD_RESULT, "query '%s': the rows could not be stored", q->name);
}

static void header_text_done(struct pass *p)
{
	struct export_info *in = &p->f->info;
	char *t = p->text ? p->text : xstrdup("");

	p->text = NULL;
	p->text_len = 0;
	if (strcmp(p->text_for, "sql-version") == 0 && !in->sql_version) {
		in->sql_version = t;
		return;
	}
	if (strcmp(p->text_for, "value") == 0 && p->registry_name) {
		char **slot = NULL;

		if (strcasecmp(p->registry_name, "VersionString") == 0)
			slot = &in->wsus_version;
		else if (strcasecmp(p->registry_name, "PortNumber") == 0)
			slot = &in->wsus_port;
		else if (strcasecmp(p->registry_name, "UsingSSL") == 0)
			slot = &in->wsus_ssl;
		else if (strcasecmp(p->registry_name, "ContentDir") == 0)
			slot = &in->content_dir;
		if (slot && !*slot) {
			*slot = t;
			return;
		}
	}
	free(t);
}

static int host_matches(const struct server *s, const char *host)
{
	size_t i;

	if (strcasecmp(host, s->name) == 0)
		return 1;
	for (i = 0; i < s->naliases; i++)
		if (s->aliases[i] && strcasecmp(host, s->aliases[i]) == 0)
			return 1;
	return 0;
}

static int present(const struct export_file *f, const char *id)
{
	size_t i;

	for (i = 0; i < f->npresent; i++)
		if (strcmp(f->present[i], id) == 0)
			return 1;
	return 0;
}

static void copy_time(char *out, size_t size, xmlTextReaderPtr r)
{
	char *v = attr(r, "at");

	snprintf(out, size, "%s", v ? v : "");
	free(v);
}

/* The start of an element at depth 1 (a child of <export>). */
static int top_element(struct pass *p, xmlTextReaderPtr r, const char *name)
{
	struct export_file *f = p->f;
	struct export_info *in = &f->info;

	if (strcmp(name, "query") == 0) {
		char *id = attr(r, "id"), *sha = attr(r, "sha256");
		const struct collect_query *q = id ? known_query(id) : NULL;
		int skip = 0;

		p->q = NULL;
		p->q_skipped = 0;
		p->rows = 0;
		p->row_no = 0;
		p->column_no = 0;
		p->queries++;
		if (p->validate) {
			if (id && present(f, id)) {
				pass_fail(p, DB_BAD_RESULT, "query '%s' appears twice", id);
			} else if (id) {
				f->present = xrealloc(f->present,
						      (f->npresent + 1) * sizeof(*f->present));
				f->present[f->npresent++] = xstrdup(id);
			}
			if (!q || !sha || strcmp(sha, embedded_files[q->text].sha256) != 0) {
				p->mismatched = xrealloc(p->mismatched, (p->nmismatched + 1) *
									sizeof(*p->mismatched));
				p->mismatched[p->nmismatched++] = xstrdup(id ? id : "?");
				p->q_skipped = 1;
				skip = 1;
			} else {
				char *err = attr(r, "error");

				/* a query that failed on the host has no rows to check */
				if (err)
					skip = 1;
				else
					p->q = q;
				free(err);
			}
		} else if (id && strcmp(id, p->target) == 0) {
			char *err = attr(r, "error");

			p->q = q;
			p->found_target = 1;
			if (err) {
				long long code = attr_count(r, "sql-error");

				pass_fail(p, code == 207 || code == 208 ? DB_SCHEMA : DB_SQL_ERROR,
					  "query '%s' failed on the host: %s", id, err);
				free(err);
			}
		} else {
			skip = 1;
		}
		free(id);
		free(sha);
		return skip;
	}
	if (!p->validate)
		return strcmp(name, "finished") != 0;
	if (strcmp(name, "producer") == 0) {
		free(in->producer);
		free(in->producer_version);
		in->producer = attr(r, "name");
		in->producer_version = attr(r, "version");
	} else if (strcmp(name, "host") == 0) {
		free(in->host);
		in->host = attr(r, "fqdn");
		in->sql_server_name = attr(r, "sql-server-name");
		in->connection = attr(r, "connection");
		if (in->host && !host_matches(f->s, in->host))
			pass_fail(p, DB_BAD_RESULT,
				  "it was collected on '%s', not on '%s' (another server's file?): "
				  "refused",
				  in->host, f->s->name);
	} else if (strcmp(name, "started") == 0) {
		copy_time(in->started, sizeof(in->started), r);
	} else if (strcmp(name, "finished") == 0) {
		copy_time(in->finished, sizeof(in->finished), r);
		p->said_queries = attr_count(r, "queries");
		p->said_rows = attr_count(r, "rows");
		p->finished_seen = 1;
	} else if (strcmp(name, "sql-version") == 0) {
		p->text_for = "sql-version";
		return -1;	/* collect its text */
	}
	return 0;
}

/* Reads the file from the start; returns with p->error set on any problem. */
static void run_pass(struct pass *p, xmlTextReaderPtr r)
{
	struct export_file *f = p->f;
	int ret, skip = 0;

	for (;;) {
		int type, depth;
		const char *name, *ns;

		ret = skip ? xmlTextReaderNext(r) : xmlTextReaderRead(r);
		skip = 0;
		if (ret != 1 || f->xml_error)
			break;	/* a parse or schema error: reported below, before any of ours */
		type = xmlTextReaderNodeType(r);
		depth = xmlTextReaderDepth(r);
		name = (const char *)xmlTextReaderConstLocalName(r);
		ns = (const char *)xmlTextReaderConstNamespaceUri(r);
		if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
			pass_fail(p, DB_BAD_RESULT, "DOCTYPE and entity declarations are not allowed");
			return;
		}
		if (type == XML_READER_TYPE_ELEMENT) {
			int empty = xmlTextReaderIsEmptyElement(r);

			if (depth > 3) {
				pass_fail(p, DB_BAD_RESULT, "element '%s' nested deeper than the format "
					  "allows", name);
				return;
			}
			if (!ns || strcmp(ns, EXPORT_NS) != 0) {
				if (depth == 0)
					pass_fail(p, DB_BAD_RESULT, "root element is '%s' %s%s%s: "
						  "expected <export xmlns=\"%s\"> (not an export of "
						  "this format)", name, ns ? "in namespace '" : "without "
						  "a namespace", ns ? ns : "", ns ? "'" : "", EXPORT_NS);
				else
					pass_fail(p, DB_BAD_RESULT, "element '%s' is not in the "
						  "export's namespace", name);
				return;
			}
			if (depth == 0) {
				if (strcmp(name, "export") != 0) {
					pass_fail(p, DB_BAD_RESULT, "root element is '%s': expected "
						  "<export>", name);
					return;
				}
				if (!attr_is(r, "format", NULL, "1")) {
					char *v = attr(r, "format");

					pass_fail(p, DB_BAD_RESULT, "format '%s' is not one this "
						  "susaudit (%s) reads (it reads format 1)",
						  v ? v : "(none)", SUSAUDIT_VERSION);
					free(v);
					return;
				}
			} else if (depth == 1) {
				int t = top_element(p, r, name);

				if (!p->validate && p->found_target && (empty || p->error))
					return;	/* a query without content */
				if (t > 0)
					skip = 1;
				else if (t < 0 && !empty)
					p->text_depth = 2;
				else if (t < 0) {
					header_text_done(p);
					p->text_for = NULL;
				}
				if (strcmp(name, "registry") == 0 && !p->validate)
					skip = 1;
			} else if (depth == 2 && p->text_for == NULL && strcmp(name, "value") == 0) {
				free(p->registry_name);
				p->registry_name = attr(r, "name");
				p->text_for = "value";
				if (attr_is(r, "nil", XSI_NS, "true")) {
					p->text_for = NULL;	/* no such registry value */
				} else if (empty) {
					header_text_done(p);
					p->text_for = NULL;
				} else {
					p->text_depth = 3;
				}
			} else if (depth == 2 && p->q && strcmp(name, "column") == 0) {
				char *cn = attr(r, "name");
				size_t k = p->column_no++;

				if (k >= p->q->ncolumns || !cn || strcmp(cn, p->q->columns[k].name) != 0)
					pass_fail(p, DB_BAD_RESULT, "query '%s': column %zu is '%s', "
						  "this build expects '%s'", p->q->name, k + 1,
						  cn ? cn : "?", k < p->q->ncolumns ?
						  p->q->columns[k].name : "(none)");
				free(cn);
			} else if (depth == 2 && p->q && strcmp(name, "r") == 0) {
				if (p->row_no == 0 && p->column_no != p->q->ncolumns)
					pass_fail(p, DB_BAD_RESULT, "query '%s' names %zu columns, "
						  "this build expects %zu", p->q->name,
						  p->column_no, p->q->ncolumns);
				row_begin(f);
				if (empty)
					row_end(p);
			} else if (depth == 3 && p->q && strcmp(name, "v") == 0) {
				struct cell *c = cell_add(f);

				c->len = 0;
				if (c->buf)
					c->buf[0] = '\0';
				c->is_null = attr_is(r, "nil", XSI_NS, "true");
				c->base64 = attr_is(r, "enc", NULL, "base64");
				p->in_value = !empty;
			}
		} else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
			   type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
			   type == XML_READER_TYPE_WHITESPACE) {
			const char *v = (const char *)xmlTextReaderConstValue(r);
			size_t n = v ? strlen(v) : 0;

			if (p->in_value && depth == 4) {
				struct cell *c = &f->cells[f->ncells - 1];

				if (c->len + n > f->lim.max_value) {
					pass_fail(p, DB_BAD_RESULT, "query '%s', row %lld: a value "
						  "longer than %zu bytes: refused", p->q->name,
						  p->row_no + 1, f->lim.max_value);
					return;
				}
				text_append(&c->buf, &c->len, &c->cap, v ? v : "", n);
			} else if (p->text_for && depth == p->text_depth) {
				size_t cap = p->text ? p->text_len + 1 : 0;

				if (p->text_len + n > 4096) {
					pass_fail(p, DB_BAD_RESULT, "element '%s' is longer than 4096 "
						  "bytes: refused", p->text_for);
					return;
				}
				text_append(&p->text, &p->text_len, &cap, v ? v : "", n);
			}
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			if (depth == 3 && p->in_value) {
				p->in_value = 0;
			} else if (depth == 2 && p->q && strcmp(name, "r") == 0) {
				row_end(p);
			} else if (depth == 1 && strcmp(name, "query") == 0) {
				if (p->q && p->column_no != p->q->ncolumns)
					pass_fail(p, DB_BAD_RESULT, "query '%s' names %zu columns, "
						  "this build expects %zu", p->q->name,
						  p->column_no, p->q->ncolumns);
				p->total_rows += p->rows;
				if (!p->validate && p->found_target)
					return;	/* the next query starts from here */
				p->q = NULL;
			} else if (p->text_for && depth == p->text_depth - 1) {
				header_text_done(p);
				p->text_for = NULL;
			}
		}
		if (p->error)
			return;
	}
	if (ret < 0 || f->xml_error) {
		if (f->xml_error_line > 0)
			pass_fail(p, DB_BAD_RESULT, "not a valid export: line %ld: %s",
				  f->xml_error_line, f->xml_error ? f->xml_error : "parse error");
		else
			pass_fail(p, DB_BAD_RESULT, "not a valid export: %s",
				  f->xml_error ? f->xml_error : "parse error");
	}
	f->reader_at_end = 1;
}

static void pass_free(struct pass *p)
{
	size_t i;

	for (i = 0; i < p->nmismatched; i++)
		free(p->mismatched[i]);
	free(p->mismatched);
	free(p->registry_name);
	free(p->text);
}

/* The root element alone, without the schema, so that another format or namespace is named
 * as such rather than as a schema error. */
static void check_root(struct pass *p, char **error)
{
	xmlTextReaderPtr r = open_reader(p->f, 0, error);

	if (!r)
		return;
	while (xmlTextReaderRead(r) == 1 && !p->f->xml_error) {
		const char *name = (const char *)xmlTextReaderConstLocalName(r);
		const char *ns = (const char *)xmlTextReaderConstNamespaceUri(r);

		if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT)
			continue;
		if (!ns || strcmp(ns, EXPORT_NS) != 0 || strcmp(name, "export") != 0)
			pass_fail(p, DB_BAD_RESULT, "root element is '%s' %s%s%s: expected <export "
				  "xmlns=\"%s\"> (not an export of this format)", name,
				  ns ? "in namespace '" : "without a namespace", ns ? ns : "",
				  ns ? "'" : "", EXPORT_NS);
		else if (!attr_is(r, "format", NULL, "1"))
			pass_fail(p, DB_BAD_RESULT, "format is not 1, the one this susaudit (%s) "
				  "reads", SUSAUDIT_VERSION);
		break;
	}
	xmlFreeTextReader(r);
	free(p->f->xml_error);
	p->f->xml_error = NULL;
}

/* The first pass: everything but feeding. */
static int validate_file(struct export_file *f, char **error)
{
	struct pass p;
	xmlTextReaderPtr r;
	size_t i;

	memset(&p, 0, sizeof(p));
	p.f = f;
	p.validate = 1;
	check_root(&p, error);
	if (p.error || *error) {
		if (p.error) {
			free(*error);
			*error = p.error;
		}
		return -1;
	}
	r = open_reader(f, 1, error);
	if (!r)
		return -1;
	run_pass(&p, r);
	if (!p.error && xmlTextReaderIsValid(r) != 1)
		pass_fail(&p, DB_BAD_RESULT, "not a valid export: it does not match the format's "
			  "schema%s%s", f->xml_error ? ": " : "", f->xml_error ? f->xml_error : "");
	xmlFreeTextReader(r);
	if (!p.error && p.nmismatched) {
		char *list = xstrdup(p.mismatched[0]);

		for (i = 1; i < p.nmismatched; i++) {
			char *t = xasprintf("%s, %s", list, p.mismatched[i]);

			free(list);
			list = t;
		}
		pass_fail(&p, DB_BAD_RESULT,
			  "written by %s %s, whose queries differ from those of this susaudit "
			  "(%s): %s; re-run the collector of version %s (susaudit-collect.ps1, "
			  "installed beside susaudit) on the host",
			  f->info.producer ? f->info.producer : "?",
			  f->info.producer_version ? f->info.producer_version : "?",
			  SUSAUDIT_VERSION, list, SUSAUDIT_VERSION);
		free(list);
	}
	if (!p.error && p.finished_seen &&
	    (p.said_queries != p.queries || p.said_rows != p.total_rows))
		pass_fail(&p, DB_BAD_RESULT, "it says it holds %lld queries and %lld rows but "
			  "holds %lld and %lld: refused (damaged?)", p.said_queries, p.said_rows,
			  p.queries, p.total_rows);
	if (!p.error && !p.finished_seen)
		pass_fail(&p, DB_BAD_RESULT, "it has no <finished> element: truncated");
	pass_free(&p);
	if (p.error) {
		*error = p.error;
		return -1;
	}
	return 0;
}

int export_open(const char *path, const struct server *s, const struct export_limits *limits,
		struct export_file **out, char **error)
{
	struct export_file *f;
	const char *text = embedded_text(EMBED_MODEL_EXPORT_XSD);
	xmlSchemaParserCtxtPtr pctxt;
	struct stat st;

	*out = NULL;
	*error = NULL;
	f = xcalloc(1, sizeof(*f));
	f->path = xstrdup(path);
	f->s = s;
	f->fd = -1;
	f->lim.max_file = limits && limits->max_file ? limits->max_file : EXPORT_MAX_FILE;
	f->lim.max_value = limits && limits->max_value ? limits->max_value : EXPORT_MAX_VALUE;
	f->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (f->fd < 0) {
		*error = xasprintf("could not open the export '%s' of '%s': %s", path, s->name,
				   strerror(errno));
		goto fail;
	}
	if (fstat(f->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		*error = xasprintf("export '%s' of '%s': not a regular file", path, s->name);
		goto fail;
	}
	if ((long long)st.st_size > f->lim.max_file) {
		*error = xasprintf("export '%s' of '%s': %lld bytes, larger than the %lld bytes an "
				   "export may have: refused",
				   path, s->name, (long long)st.st_size, f->lim.max_file);
		goto fail;
	}
	if (st.st_size == 0) {
		*error = xasprintf("export '%s' of '%s': the file is empty", path, s->name);
		goto fail;
	}
	if (has_doctype(f->fd)) {
		*error = xasprintf("export '%s' of '%s': DOCTYPE and entity declarations are not "
				   "allowed (they could read local files or expand without bound)",
				   path, s->name);
		goto fail;
	}
	if (!ends_complete(f->fd, st.st_size)) {
		*error = xasprintf("export '%s' of '%s': truncated (it does not end with "
				   "</export>; was the copy complete?)",
				   path, s->name);
		goto fail;
	}
	xmlInitParser();
	pctxt = xmlSchemaNewMemParserCtxt(text, (int)strlen(text));
	f->schema = pctxt ? xmlSchemaParse(pctxt) : NULL;
	if (pctxt)
		xmlSchemaFreeParserCtxt(pctxt);
	if (!f->schema) {
		*error = xasprintf("could not load the embedded export schema (internal error)");
		goto fail;
	}
	if (validate_file(f, error) < 0)
		goto fail;
	if (!f->info.started[0] || !f->info.finished[0]) {
		*error = xasprintf("export '%s' of '%s': no collection time", path, s->name);
		goto fail;
	}
	*out = f;
	return 0;
fail:
	export_close(f);
	return -1;
}

const struct export_info *export_info(const struct export_file *f)
{
	return &f->info;
}

enum db_status export_query(struct export_file *f, const struct collect_query *q, db_row_fn fn,
			    void *data, long long *rows, char **error)
{
	struct pass p;
	int attempt;

	*error = NULL;
	*rows = 0;
	if (!present(f, q->name)) {
		*error = xasprintf("export '%s' of '%s' has no '%s' query: it was written by %s %s; "
				   "re-run the collector of version %s on the host",
				   f->path, f->s->name, q->name,
				   f->info.producer ? f->info.producer : "?",
				   f->info.producer_version ? f->info.producer_version : "?",
				   SUSAUDIT_VERSION);
		return DB_SCHEMA;
	}
	/* the file is in the collector's order: go on from the last query, else start over */
	for (attempt = 0; attempt < 2; attempt++) {
		if (!f->reader || f->reader_at_end) {
			if (f->reader)
				xmlFreeTextReader(f->reader);
			f->reader_at_end = 0;
			f->reader = open_reader(f, 0, error);
			if (!f->reader)
				return DB_BAD_RESULT;
		}
		memset(&p, 0, sizeof(p));
		p.f = f;
		p.target = q->name;
		p.fn = fn;
		p.data = data;
		p.status = DB_OK;
		run_pass(&p, f->reader);
		pass_free(&p);
		if (p.error) {
			f->reader_at_end = 1;
			*error = p.error;
			return p.status;
		}
		if (p.found_target) {
			*rows = p.rows;
			return DB_OK;
		}
	}
	*error = xasprintf("export '%s' of '%s': query '%s' could not be read", f->path,
			   f->s->name, q->name);
	return DB_BAD_RESULT;
}

void export_close(struct export_file *f)
{
	size_t i;

	if (!f)
		return;
	if (f->reader)
		xmlFreeTextReader(f->reader);
	if (f->schema)
		xmlSchemaFree(f->schema);
	if (f->fd >= 0)
		close(f->fd);
	free(f->info.producer);
	free(f->info.producer_version);
	free(f->info.host);
	free(f->info.sql_server_name);
	free(f->info.connection);
	free(f->info.sql_version);
	free(f->info.wsus_version);
	free(f->info.wsus_port);
	free(f->info.wsus_ssl);
	free(f->info.content_dir);
	for (i = 0; i < f->npresent; i++)
		free(f->present[i]);
	free(f->present);
	for (i = 0; i < f->cells_cap; i++)
		free(f->cells[i].buf);
	free(f->cells);
	free(f->values);
	free(f->decoded);
	free(f->xml_error);
	free(f->path);
	free(f);
}
