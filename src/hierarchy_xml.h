/* hierarchy_xml: safe reading of the XML files users give us (hierarchy, plan, suppressions). */
#ifndef SUSAUDIT_HIERARCHY_XML_H
#define SUSAUDIT_HIERARCHY_XML_H

#include <stddef.h>

#include <libxml/tree.h>

#include "arena.h"
#include "embedded.h"

/* Bounds on hostile input. Real files are a few hundred KB; the limits only stop abuse. */
enum {
	HIERARCHY_XML_MAX_FILE = 4 * 1024 * 1024,	/* bytes of the whole file */
	HIERARCHY_XML_MAX_ATTR = 1024,			/* bytes of one attribute value */
	HIERARCHY_XML_MAX_TEXT = 4096,			/* bytes of one text node */
	HIERARCHY_XML_MAX_ATTRS = 64,			/* attributes on one element */
	HIERARCHY_XML_MAX_SITES = 32,			/* levels of nested sites */
	/* elements: root + sites + server + planned, with room to spare */
	HIERARCHY_XML_MAX_DEPTH = HIERARCHY_XML_MAX_SITES + 4,
	HIERARCHY_XML_MAX_ERRORS = 20			/* errors shown before "and N more" */
};

/* One file being loaded: its name for messages, the parsed document, the errors so far. */
struct hierarchy_xml {
	const char *name;
	xmlDoc *doc;
	xmlNode *root;
	int nerrors;
};

/* Called for every element of the document's namespace before schema validation, so values
 * can be checked with messages a user understands; reports through hierarchy_xml_error(). */
typedef void (*hierarchy_xml_check_fn)(struct hierarchy_xml *x, const xmlNode *element,
				       void *data);

/* Reads `path` into a malloc'd, NUL-terminated buffer the caller frees; refuses files larger
 * than HIERARCHY_XML_MAX_FILE. Returns 0, or -1 after logging. */
int hierarchy_xml_read_file(const char *path, char **text, size_t *len);

/* Parses `text` from memory (no network, no DTD, any DOCTYPE refused, bounded depth, attribute
 * count and sizes), checks that the root element is `root` in namespace `ns`, runs `check` on
 * each element (may be NULL), then validates against the embedded schema `xsd`. Returns 0 with
 * x->doc and x->root set; or -1 after logging every problem as "NAME:LINE: problem", with
 * x->doc NULL. Release with hierarchy_xml_close() either way. */
int hierarchy_xml_load(struct hierarchy_xml *x, const char *text, size_t len, const char *name,
		       const char *ns, const char *root, enum embedded_id xsd,
		       hierarchy_xml_check_fn check, void *data);

/* Frees the document; x can be reused. */
void hierarchy_xml_close(struct hierarchy_xml *x);

/* Logs "NAME:LINE: message" (LINE of `node`, or none when node is NULL) and counts the error;
 * past HIERARCHY_XML_MAX_ERRORS errors are counted but not shown. */
void hierarchy_xml_error(struct hierarchy_xml *x, const xmlNode *node, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same as a warning, which does not make the load fail. */
void hierarchy_xml_warning(struct hierarchy_xml *x, const xmlNode *node, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Logs how many errors were not shown, if any. Returns -1 when there were errors, else 0. */
int hierarchy_xml_finish(struct hierarchy_xml *x);

/* The line of an element or attribute in the file (0 when unknown). */
long hierarchy_xml_line(const xmlNode *node);

/* The value of the unqualified attribute `name`, or NULL; points into the document. */
const char *hierarchy_xml_attr(const xmlNode *node, const char *name);

/* 1 when `node` is an element called `local` (any name when NULL) in namespace `ns`. */
int hierarchy_xml_is(const xmlNode *node, const char *ns, const char *local);

/* The value without leading and trailing XML white space (how XML Schema compares token
 * values): returns its start and sets *len. */
const char *hierarchy_xml_span(const char *s, size_t *len);

/* An arena copy of `s` without leading and trailing XML white space; NULL stays NULL. */
char *hierarchy_xml_token(struct arena *a, const char *s);

/* A value as shown in a message: control characters and invalid UTF-8 replaced by '?',
 * cut with "..." to fit `size` (at least 4) bytes. Returns buf. */
const char *hierarchy_xml_shown(const char *v, char *buf, size_t size);

/* 1 for the XML white space characters (space, tab, CR, LF). */
int hierarchy_xml_space(int c);

#endif
