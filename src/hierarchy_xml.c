/* hierarchy_xml: bounded, network-free, DTD-free parsing and schema validation of config XML. */
#include "hierarchy_xml.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include "infile.h"
#include "log.h"
#include "xalloc.h"

int hierarchy_xml_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int hierarchy_xml_read_file(const char *path, char **text, size_t *len)
{
	size_t cap = 64 * 1024, used = 0;
	char *buf;
	int fd;

	*text = NULL;
	*len = 0;
	fd = infile_open_regular(path);	/* a FIFO is refused at once, never waited on */
	if (fd < 0)
		return -1;
	buf = xmalloc(cap + 1);
	for (;;) {
		ssize_t n;

		if (used == cap) {
			/* one byte past the limit is enough to know the file is too big */
			if (cap > HIERARCHY_XML_MAX_FILE) {
				free(buf);
				close(fd);
				return log_error(
				    "'%s' is larger than %d MiB: refused (a hierarchy or "
				    "suppression file is a few hundred KB at most)",
				    path, HIERARCHY_XML_MAX_FILE / (1024 * 1024));
			}
			cap = cap * 2 > (size_t)HIERARCHY_XML_MAX_FILE + 1
				  ? (size_t)HIERARCHY_XML_MAX_FILE + 1
				  : cap * 2;
			buf = xrealloc(buf, cap + 1);
		}
		n = read(fd, buf + used, cap - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			free(buf);
			close(fd);
			return log_error("could not read '%s': %s", path, strerror(e));
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	buf[used] = '\0';
	*text = buf;
	*len = used;
	return 0;
}

static void xml_log(struct hierarchy_xml *x, enum log_level level, long line, const char *fmt,
		    va_list ap) LOG_PRINTF(4, 0);

static void xml_log(struct hierarchy_xml *x, enum log_level level, long line, const char *fmt,
		    va_list ap)
{
	char *msg;

	if (level == LOG_LEVEL_ERROR && ++x->nerrors > HIERARCHY_XML_MAX_ERRORS)
		return;
	msg = xvasprintf(fmt, ap);
	if (line > 0) {
		if (level == LOG_LEVEL_ERROR)
			log_error("%s:%ld: %s", x->name, line, msg);
		else
			log_warning("%s:%ld: %s", x->name, line, msg);
	} else {
		if (level == LOG_LEVEL_ERROR)
			log_error("%s: %s", x->name, msg);
		else
			log_warning("%s: %s", x->name, msg);
	}
	free(msg);
}

static void xml_error_line(struct hierarchy_xml *x, long line, const char *fmt, ...)
    LOG_PRINTF(3, 4);

static void xml_error_line(struct hierarchy_xml *x, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xml_log(x, LOG_LEVEL_ERROR, line, fmt, ap);
	va_end(ap);
}

long hierarchy_xml_line(const xmlNode *node)
{
	if (!node)
		return 0;
	if (node->type == XML_ATTRIBUTE_NODE)
		node = node->parent;
	if (!node)
		return 0;
	return xmlGetLineNo(node);
}

void hierarchy_xml_error(struct hierarchy_xml *x, const xmlNode *node, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xml_log(x, LOG_LEVEL_ERROR, hierarchy_xml_line(node), fmt, ap);
	va_end(ap);
}

void hierarchy_xml_warning(struct hierarchy_xml *x, const xmlNode *node, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xml_log(x, LOG_LEVEL_WARNING, hierarchy_xml_line(node), fmt, ap);
	va_end(ap);
}

int hierarchy_xml_finish(struct hierarchy_xml *x)
{
	if (x->nerrors > HIERARCHY_XML_MAX_ERRORS)
		log_error("%s: %d more errors not shown", x->name,
			  x->nerrors - HIERARCHY_XML_MAX_ERRORS);
	return x->nerrors ? -1 : 0;
}

const char *hierarchy_xml_attr(const xmlNode *node, const char *name)
{
	const xmlAttr *a;

	for (a = node->properties; a; a = a->next) {
		if (a->ns || strcmp((const char *)a->name, name) != 0)
			continue;
		/* without a DTD an attribute's value is one text node (or none when empty) */
		if (!a->children)
			return "";
		return (const char *)a->children->content;
	}
	return NULL;
}

int hierarchy_xml_is(const xmlNode *node, const char *ns, const char *local)
{
	return node && node->type == XML_ELEMENT_NODE && node->ns && node->ns->href &&
	       strcmp((const char *)node->ns->href, ns) == 0 &&
	       (!local || strcmp((const char *)node->name, local) == 0);
}

const char *hierarchy_xml_span(const char *s, size_t *len)
{
	size_t n = strlen(s);

	while (n && hierarchy_xml_space((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && hierarchy_xml_space((unsigned char)s[n - 1]))
		n--;
	*len = n;
	return s;
}

char *hierarchy_xml_token(struct arena *a, const char *s)
{
	size_t n;

	if (!s)
		return NULL;
	s = hierarchy_xml_span(s, &n);
	return arena_strndup(a, s, n);
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when it is not one. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

const char *hierarchy_xml_shown(const char *v, char *buf, size_t size)
{
	const unsigned char *p = (const unsigned char *)v;
	size_t n = 0;

	while (*p) {
		size_t k = utf8_len(p);
		int bad = k == 0 || *p < 0x20 || *p == 0x7f;

		/* keep room for "..." and the NUL */
		if (n + (bad ? 1 : k) + 4 > size)
			break;
		if (bad) {
			buf[n++] = '?';
			p++;
		} else {
			memcpy(buf + n, p, k);
			n += k;
			p += k;
		}
	}
	if (*p) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

static int starts_with(const char *t, size_t left, const char *lit)
{
	size_t n = strlen(lit);

	return left >= n && memcmp(t, lit, n) == 0;
}

/* Skips to just past `end`, counting lines; returns the new position (len when missing). */
static size_t skip_past(const char *t, size_t len, size_t i, const char *end, long *line)
{
	size_t n = strlen(end);

	for (; i < len; i++) {
		if (t[i] == '\n')
			(*line)++;
		if (len - i >= n && memcmp(t + i, end, n) == 0)
			return i + n;
	}
	return len;
}

/*
 * A lexical pass before libxml2 sees the bytes. It refuses what must never reach the parser:
 * NUL bytes (UTF-16 and binaries, which would also blind this pass), any <!DOCTYPE or other
 * declaration (external entities read local files, nested entities expand without bound), and
 * elements with very many attributes (libxml2 2.9 checks duplicates in quadratic time, so a
 * 4 MiB start tag would keep it busy for hours). Anything else malformed is left to libxml2,
 * whose messages are better. It also notes the line each start tag begins on: see
 * set_start_lines().
 */
#define DEPTH_MESSAGE "elements nested more than %d deep: refused (at most %d levels of sites)"

struct tag_lines {
	long *lines; /* line of each start tag's '<', in document order */
	size_t count, cap;
};

static int prescan(struct hierarchy_xml *x, const char *t, size_t len, struct tag_lines *tags)
{
	size_t i = 0, depth = 0;
	long line = 1, tag_line;
	int start;

	if (memchr(t, '\0', len)) {
		xml_error_line(x, 0, "contains NUL bytes: expected UTF-8 XML text");
		return -1;
	}
	while (i < len) {
		size_t nattrs = 0;
		char quote = 0;

		if (t[i] == '\n')
			line++;
		if (t[i] != '<') {
			i++;
			continue;
		}
		if (starts_with(t + i, len - i, "<!--")) {
			i = skip_past(t, len, i + 4, "-->", &line);
			continue;
		}
		if (starts_with(t + i, len - i, "<![CDATA[")) {
			i = skip_past(t, len, i + 9, "]]>", &line);
			continue;
		}
		if (starts_with(t + i, len - i, "<!")) {
			xml_error_line(
			    x, line,
			    "DOCTYPE and entity declarations are not allowed (they could "
			    "read local files or expand without bound)");
			return -1;
		}
		if (starts_with(t + i, len - i, "<?")) {
			i = skip_past(t, len, i + 2, "?>", &line);
			continue;
		}
		/* a start or end tag: count the '=' outside quoted values */
		tag_line = line;
		start = i + 1 < len && t[i + 1] != '/';
		if (start) {
			tags->lines =
			    xgrow(tags->lines, &tags->cap, tags->count + 1, sizeof(*tags->lines));
			tags->lines[tags->count++] = line;
			/* libxml2 stops at 256 levels, with advice (XML_PARSE_HUGE) meant for
			 * programmers; ours is lower and says what the limit is for */
			if (++depth > HIERARCHY_XML_MAX_DEPTH) {
				xml_error_line(x, line, DEPTH_MESSAGE, HIERARCHY_XML_MAX_DEPTH,
					       HIERARCHY_XML_MAX_SITES);
				return -1;
			}
		} else if (depth > 0) {
			depth--;
		}
		for (i++; i < len; i++) {
			char c = t[i];

			if (c == '\n')
				line++;
			if (quote) {
				if (c == quote)
					quote = 0;
			} else if (c == '"' || c == '\'') {
				quote = c;
			} else if (c == '=') {
				nattrs++;
			} else if (c == '>' || c == '<') {
				break;
			}
		}
		if (nattrs > HIERARCHY_XML_MAX_ATTRS) {
			xml_error_line(x, tag_line,
				       "an element has more than %d attributes: refused",
				       HIERARCHY_XML_MAX_ATTRS);
			return -1;
		}
		if (i < len && t[i] == '>') {
			if (start && t[i - 1] == '/')
				depth--;
			i++;
		}
	}
	return 0;
}

/* libxml2 messages end with a newline and name elements as {namespace}local: tidy both. */
static char *tidy_message(const char *msg, const char *ns)
{
	char *out = xstrdup(msg ? msg : "unknown XML error");
	size_t n;
	char *p;

	if (ns) {
		char *pattern = xasprintf("{%s}", ns);
		size_t plen = strlen(pattern);

		while ((p = strstr(out, pattern)) != NULL)
			memmove(p, p + plen, strlen(p + plen) + 1);
		free(pattern);
	}
	n = strlen(out);
	while (n && (hierarchy_xml_space((unsigned char)out[n - 1]) || out[n - 1] == '.'))
		out[--n] = '\0';
	/* one message, one line, valid UTF-8 (libxml2 quotes the bytes it choked on) */
	for (p = out; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	{
		size_t size = strlen(out) + 4;
		char *clean = xmalloc(size);

		hierarchy_xml_shown(out, clean, size);
		free(out);
		out = clean;
	}
	/* our messages start lower-case, also after "element 'x': "; acronyms stay */
	for (p = out; *p; p++) {
		if ((p == out || (p - out >= 2 && p[-2] == ':' && p[-1] == ' ')) && p[0] >= 'A' &&
		    p[0] <= 'Z' && p[1] >= 'a' && p[1] <= 'z')
			*p = (char)(*p - 'A' + 'a');
	}
	return out;
}

/* Per-load state reachable from the parser context (its _private) and the schema contexts. */
struct load_state {
	struct hierarchy_xml *x;
	const char *ns;
	int doctype_line; /* set when the parser met a DOCTYPE despite the prescan */
};

static void structured_error(void *data, xmlErrorPtr err)
{
	struct load_state *st = data;
	long line = err->line;
	char *msg;

	if (err->node)
		line = hierarchy_xml_line(err->node);
	msg = tidy_message(err->message, st->ns);
	if (err->level == XML_ERR_WARNING) {
		if (line > 0)
			log_warning("%s:%ld: %s", st->x->name, line, msg);
		else
			log_warning("%s: %s", st->x->name, msg);
	} else {
		xml_error_line(st->x, line, "%s", msg);
	}
	free(msg);
}

/* The parser passes its context as the handler's data; our state hangs off _private. */
static void parser_error(void *ctx, xmlErrorPtr err)
{
	xmlParserCtxtPtr ctxt = ctx;

	structured_error(ctxt->_private, err);
}

/* Defence in depth behind prescan(): stop at the first sight of a DTD. */
static void refuse_subset(void *ctx, const xmlChar *name, const xmlChar *external_id,
			  const xmlChar *system_id)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct load_state *st = ctxt->_private;

	(void)name;
	(void)external_id;
	(void)system_id;
	if (!st->doctype_line)
		st->doctype_line = ctxt->input ? ctxt->input->line : 1;
	xmlStopParser(ctxt);
}

static void refuse_entity(void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
			  const xmlChar *system_id, xmlChar *content)
{
	(void)type;
	(void)public_id;
	(void)content;
	refuse_subset(ctx, name, NULL, system_id);
}

static xmlDoc *parse(struct hierarchy_xml *x, struct load_state *st, const char *text, size_t len)
{
	xmlParserCtxtPtr ctxt;
	xmlDoc *doc;

	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		xml_error_line(x, 0, "could not create an XML parser");
		return NULL;
	}
	ctxt->_private = st;
	ctxt->sax->serror = parser_error;
	ctxt->sax->internalSubset = refuse_subset;
	ctxt->sax->externalSubset = refuse_subset;
	ctxt->sax->entityDecl = refuse_entity;
	/* NONET: no fetching; no NOENT, DTDLOAD, DTDATTR, DTDVALID or XINCLUDE; BIG_LINES keeps
	 * line numbers right past 65535 */
	doc = xmlCtxtReadMemory(ctxt, text, (int)len, NULL, NULL,
				XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES);
	if (st->doctype_line) {
		xml_error_line(x, st->doctype_line,
			       "DOCTYPE and entity declarations are not allowed (they could read "
			       "local files or expand without bound)");
		xmlFreeDoc(doc);
		doc = NULL;
	} else if (doc && !ctxt->wellFormed) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	if (!doc && !x->nerrors)
		xml_error_line(x, 0, "not a well-formed XML document");
	xmlFreeParserCtxt(ctxt);
	return doc;
}

static void assign_lines(xmlNode *node, const struct tag_lines *tags, size_t *k)
{
	xmlNode *c;

	if (*k >= tags->count)
		return;
	/* line is 16 bits; past 65535 libxml2 finds the line through the children */
	if (tags->lines[*k] < 65535)
		node->line = (unsigned short)tags->lines[*k];
	(*k)++;
	for (c = node->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			assign_lines(c, tags, k);
}

static size_t count_elements(const xmlNode *node)
{
	const xmlNode *c;
	size_t n = 1;

	for (c = node->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			n += count_elements(c);
	return n;
}

/* libxml2 gives an element the line its start tag ends on; a multi-line <server ...> is
 * better reported where it begins, as editors and people count. Start tags in the text and
 * elements in document order correspond one to one; if they somehow do not, keep libxml2's. */
static void set_start_lines(xmlNode *root, const struct tag_lines *tags)
{
	size_t k = 0;

	if (count_elements(root) != tags->count)
		return;
	assign_lines(root, tags, &k);
}

static int blank(const char *s)
{
	for (; *s; s++)
		if (!hierarchy_xml_space((unsigned char)*s))
			return 0;
	return 1;
}

/* Walks the tree (depth-bounded) checking sizes and foreign attributes, and runs `check`. */
static void walk(struct hierarchy_xml *x, const char *ns, const xmlNode *node, int depth,
		 hierarchy_xml_check_fn check, void *data)
{
	const xmlNode *c;
	const xmlAttr *a;

	if (depth > HIERARCHY_XML_MAX_DEPTH) {
		hierarchy_xml_error(x, node, DEPTH_MESSAGE, HIERARCHY_XML_MAX_DEPTH,
				    HIERARCHY_XML_MAX_SITES);
		return;
	}
	for (a = node->properties; a; a = a->next) {
		const char *v = a->children ? (const char *)a->children->content : "";

		if (a->children && (a->children->type != XML_TEXT_NODE || a->children->next)) {
			hierarchy_xml_error(x, node, "attribute '%s' has unexpected content",
					    (const char *)a->name);
			continue;
		}
		if (a->ns) {
			/* xsi:type and friends would change how the schema validates */
			hierarchy_xml_error(x, node, "attribute '%s:%s' is not allowed",
					    a->ns->prefix ? (const char *)a->ns->prefix : "",
					    (const char *)a->name);
			continue;
		}
		if (strlen(v) > HIERARCHY_XML_MAX_ATTR)
			hierarchy_xml_error(x, node,
					    "attribute '%s' is longer than %d bytes: refused",
					    (const char *)a->name, HIERARCHY_XML_MAX_ATTR);
	}
	if (check && hierarchy_xml_is(node, ns, NULL))
		check(x, node, data);
	for (c = node->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE) {
			walk(x, ns, c, depth + 1, check, data);
		} else if (c->type == XML_TEXT_NODE && c->content &&
			   strlen((const char *)c->content) > HIERARCHY_XML_MAX_TEXT &&
			   !blank((const char *)c->content)) {
			hierarchy_xml_error(x, c->parent, "text longer than %d bytes: refused",
					    HIERARCHY_XML_MAX_TEXT);
		}
	}
}

static void schema_parse_error(void *data, xmlErrorPtr err)
{
	(void)data;
	/* the schema is ours and embedded: an error here is a bug, not the user's file */
	log_error("internal error in an embedded schema: line %d: %s", err->line,
		  err->message ? err->message : "?");
}

static int validate(struct hierarchy_xml *x, struct load_state *st, enum embedded_id xsd)
{
	const char *text = embedded_text(xsd);
	xmlSchemaParserCtxtPtr pctxt;
	xmlSchemaValidCtxtPtr vctxt;
	xmlSchemaPtr schema;
	int rc;

	pctxt = xmlSchemaNewMemParserCtxt(text, (int)strlen(text));
	if (!pctxt)
		return log_error("could not load the embedded schema");
	xmlSchemaSetParserStructuredErrors(pctxt, schema_parse_error, NULL);
	schema = xmlSchemaParse(pctxt);
	xmlSchemaFreeParserCtxt(pctxt);
	if (!schema)
		return log_error("could not load the embedded schema");
	vctxt = xmlSchemaNewValidCtxt(schema);
	if (!vctxt) {
		xmlSchemaFree(schema);
		return log_error("could not create a schema validator");
	}
	xmlSchemaSetValidStructuredErrors(vctxt, structured_error, st);
	rc = xmlSchemaValidateDoc(vctxt, x->doc);
	xmlSchemaFreeValidCtxt(vctxt);
	xmlSchemaFree(schema);
	if (rc != 0 && !x->nerrors)
		xml_error_line(x, 0, "does not match the schema");
	return rc == 0 ? 0 : -1;
}

int hierarchy_xml_load(struct hierarchy_xml *x, const char *text, size_t len, const char *name,
		       const char *ns, const char *root, enum embedded_id xsd,
		       hierarchy_xml_check_fn check, void *data)
{
	struct load_state st = {x, ns, 0};
	struct tag_lines tags = {NULL, 0, 0};
	xmlNode *r;

	x->name = name;
	x->doc = NULL;
	x->root = NULL;
	x->nerrors = 0;
	xmlInitParser();
	if (len == 0) {
		xml_error_line(x, 0, "is empty");
		return hierarchy_xml_finish(x);
	}
	if (len > HIERARCHY_XML_MAX_FILE) {
		xml_error_line(x, 0, "is larger than %d MiB: refused",
			       HIERARCHY_XML_MAX_FILE / (1024 * 1024));
		return hierarchy_xml_finish(x);
	}
	if (prescan(x, text, len, &tags) < 0) {
		free(tags.lines);
		return hierarchy_xml_finish(x);
	}
	x->doc = parse(x, &st, text, len);
	r = x->doc ? xmlDocGetRootElement(x->doc) : NULL;
	if (r)
		set_start_lines(r, &tags);
	free(tags.lines);
	if (!x->doc)
		return hierarchy_xml_finish(x);
	if (!r) {
		xml_error_line(x, 0, "has no root element");
	} else if (strcmp((const char *)r->name, root) != 0 || !hierarchy_xml_is(r, ns, root)) {
		hierarchy_xml_error(x, r, "root element is '%s'%s%s%s: expected <%s xmlns=\"%s\">",
				    (const char *)r->name,
				    r->ns ? " in namespace '" : " without a namespace",
				    r->ns && r->ns->href ? (const char *)r->ns->href : "",
				    r->ns ? "'" : "", root, ns);
	} else {
		walk(x, ns, r, 1, check, data);
		if (!x->nerrors)
			validate(x, &st, xsd);
	}
	if (x->nerrors) {
		hierarchy_xml_close(x);
		return hierarchy_xml_finish(x);
	}
	x->root = r;
	return 0;
}

void hierarchy_xml_close(struct hierarchy_xml *x)
{
	if (x->doc)
		xmlFreeDoc(x->doc);
	x->doc = NULL;
	x->root = NULL;
}
