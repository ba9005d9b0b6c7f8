/* json_schema: parses JSON into a tree and validates it against the subset of JSON Schema that
 * model/report.schema.json uses. */
#include "json_schema.h"

#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

enum { MAX_DEPTH = 128 };

struct parser {
	const char *s;
	size_t len, pos;
	int depth;
	char *err;
	size_t errlen;
	int failed;
};

static struct json *perror_at(struct parser *p, const char *why)
{
	if (!p->failed)
		snprintf(p->err, p->errlen, "%s at byte %zu", why, p->pos);
	p->failed = 1;
	return NULL;
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len && strchr(" \t\r\n", p->s[p->pos]) && p->s[p->pos])
		p->pos++;
}

static struct json *node(enum json_type type)
{
	struct json *j = xcalloc(1, sizeof(*j));

	j->type = type;
	return j;
}

static int hex4(struct parser *p, unsigned *out)
{
	unsigned v = 0;
	int i;

	if (p->len - p->pos < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		char c = p->s[p->pos++];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static void put_utf8(char *buf, size_t *n, unsigned cp)
{
	if (cp < 0x80) {
		buf[(*n)++] = (char)cp;
	} else if (cp < 0x800) {
		buf[(*n)++] = (char)(0xC0 | cp >> 6);
		buf[(*n)++] = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		buf[(*n)++] = (char)(0xE0 | cp >> 12);
		buf[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		buf[(*n)++] = (char)(0x80 | (cp & 0x3F));
	} else {
		buf[(*n)++] = (char)(0xF0 | cp >> 18);
		buf[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
		buf[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		buf[(*n)++] = (char)(0x80 | (cp & 0x3F));
	}
}

/* A string after its opening quote; escapes decoded (a lone surrogate is an error). */
static char *string_body(struct parser *p)
{
	size_t start = p->pos, n = 0;
	char *buf;

	while (p->pos < p->len && p->s[p->pos] != '"')
		p->pos += p->s[p->pos] == '\\' ? 2 : 1;
	if (p->pos >= p->len)
		return (char *)perror_at(p, "unterminated string");
	buf = xmalloc(p->pos - start + 1);
	p->pos = start;
	while (p->s[p->pos] != '"') {
		unsigned char c = (unsigned char)p->s[p->pos++];
		unsigned cp, lo;

		if (c < 0x20) {
			free(buf);
			return (char *)perror_at(p, "control character in string");
		}
		if (c != '\\') {
			buf[n++] = (char)c;
			continue;
		}
		c = (unsigned char)p->s[p->pos++];
		switch (c) {
		case '"':
		case '\\':
		case '/':
			buf[n++] = (char)c;
			break;
		case 'b':
			buf[n++] = '\b';
			break;
		case 'f':
			buf[n++] = '\f';
			break;
		case 'n':
			buf[n++] = '\n';
			break;
		case 'r':
			buf[n++] = '\r';
			break;
		case 't':
			buf[n++] = '\t';
			break;
		case 'u':
			if (hex4(p, &cp) < 0)
				goto bad;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (p->len - p->pos < 6 || p->s[p->pos] != '\\' ||
				    p->s[p->pos + 1] != 'u')
					goto bad;
				p->pos += 2;
				if (hex4(p, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF)
					goto bad;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
				goto bad;
			}
			put_utf8(buf, &n, cp); /* never longer than the escape it replaces */
			break;
		default:
			goto bad;
		}
	}
	p->pos++;
	buf[n] = '\0';
	return buf;
bad:
	free(buf);
	return (char *)perror_at(p, "bad escape in string");
}

static struct json *value(struct parser *p);

static struct json *container(struct parser *p, int object)
{
	struct json *j = node(object ? JSON_OBJECT : JSON_ARRAY);
	size_t cap = 0;
	char close = object ? '}' : ']';

	if (++p->depth > MAX_DEPTH)
		goto fail;
	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == close) {
		p->pos++;
		p->depth--;
		return j;
	}
	for (;;) {
		char *key = NULL;
		struct json *v;

		skip_ws(p);
		if (object) {
			if (p->pos >= p->len || p->s[p->pos] != '"') {
				perror_at(p, "member name expected");
				goto fail;
			}
			p->pos++;
			if (!(key = string_body(p)))
				goto fail;
			skip_ws(p);
			if (p->pos >= p->len || p->s[p->pos] != ':') {
				free(key);
				perror_at(p, "':' expected");
				goto fail;
			}
			p->pos++;
		}
		if (!(v = value(p))) {
			free(key);
			goto fail;
		}
		if (j->n == cap) {
			cap = cap ? 2 * cap : 8;
			j->items = xrealloc(j->items, cap * sizeof(*j->items));
			if (object)
				j->keys = xrealloc(j->keys, cap * sizeof(*j->keys));
		}
		if (object)
			j->keys[j->n] = key;
		j->items[j->n++] = v;
		skip_ws(p);
		if (p->pos < p->len && p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->pos < p->len && p->s[p->pos] == close) {
			p->pos++;
			p->depth--;
			return j;
		}
		perror_at(p, object ? "',' or '}' expected" : "',' or ']' expected");
		goto fail;
	}
fail:
	perror_at(p, "nesting too deep");
	json_free(j);
	return NULL;
}

static struct json *number(struct parser *p)
{
	const char *start = p->s + p->pos;
	char *end, *copy;
	struct json *j;
	size_t i, n;

	if (p->s[p->pos] == '-')
		p->pos++;
	if (p->pos >= p->len || p->s[p->pos] < '0' || p->s[p->pos] > '9')
		return perror_at(p, "digit expected");
	/* only the characters of a JSON number: strtod alone would take hex and inf */
	n = strspn(start, "0123456789+-.eE");
	if (n > p->len - (size_t)(start - p->s))
		n = p->len - (size_t)(start - p->s);
	copy = xstrndup(start, n);
	j = node(JSON_NUMBER);
	j->number = strtod(copy, &end);
	if (*end) {
		free(copy);
		json_free(j);
		return perror_at(p, "bad number");
	}
	free(copy);
	j->integer = 1;
	for (i = 0; i < n; i++)
		if (strchr(".eE", start[i]))
			j->integer = 0;
	p->pos = (size_t)(start - p->s) + n;
	return j;
}

static struct json *value(struct parser *p)
{
	static const struct {
		const char *word;
		enum json_type type;
		int boolean;
	} words[] = {{"null", JSON_NULL, 0}, {"true", JSON_BOOL, 1}, {"false", JSON_BOOL, 0}};
	size_t i;

	skip_ws(p);
	if (p->pos >= p->len)
		return perror_at(p, "value expected");
	switch (p->s[p->pos]) {
	case '{':
		return container(p, 1);
	case '[':
		return container(p, 0);
	case '"': {
		char *s;
		struct json *j;

		p->pos++;
		if (!(s = string_body(p)))
			return NULL;
		j = node(JSON_STRING);
		j->string = s;
		return j;
	}
	default:
		break;
	}
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = strlen(words[i].word);

		if (p->len - p->pos >= n && memcmp(p->s + p->pos, words[i].word, n) == 0) {
			struct json *j = node(words[i].type);

			j->boolean = words[i].boolean;
			p->pos += n;
			return j;
		}
	}
	return number(p);
}

struct json *json_parse(const char *s, size_t len, char *err, size_t errlen)
{
	struct parser p = {s, len, 0, 0, err, errlen, 0};
	struct json *j = value(&p);

	if (!j)
		return NULL;
	skip_ws(&p);
	if (p.pos != len) {
		json_free(j);
		return perror_at(&p, "text after the value");
	}
	return j;
}

void json_free(struct json *j)
{
	size_t i;

	if (!j)
		return;
	for (i = 0; i < j->n; i++) {
		json_free(j->items[i]);
		if (j->keys)
			free(j->keys[i]);
	}
	free(j->items);
	free(j->keys);
	free(j->string);
	free(j);
}

const struct json *json_get(const struct json *object, const char *key)
{
	size_t i;

	if (!object || object->type != JSON_OBJECT)
		return NULL;
	for (i = 0; i < object->n; i++)
		if (strcmp(object->keys[i], key) == 0)
			return object->items[i];
	return NULL;
}

/* ---- validation ---- */

struct validator {
	const struct json *root;
	char path[512]; /* JSON pointer of the value being validated */
	char *err;
	size_t errlen;
	int depth;
};

static int invalid(struct validator *v, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(v->err, v->errlen, "%s: %s", v->path[0] ? v->path : "(root)", why);
	return -1;
}

static int json_equal(const struct json *a, const struct json *b)
{
	size_t i;

	if (a->type != b->type)
		return 0;
	switch (a->type) {
	case JSON_NULL:
		return 1;
	case JSON_BOOL:
		return a->boolean == b->boolean;
	case JSON_NUMBER:
		return a->number == b->number;
	case JSON_STRING:
		return strcmp(a->string, b->string) == 0;
	case JSON_ARRAY:
		if (a->n != b->n)
			return 0;
		for (i = 0; i < a->n; i++)
			if (!json_equal(a->items[i], b->items[i]))
				return 0;
		return 1;
	case JSON_OBJECT:
		if (a->n != b->n)
			return 0;
		for (i = 0; i < a->n; i++) {
			const struct json *o = json_get(b, a->keys[i]);

			if (!o || !json_equal(a->items[i], o))
				return 0;
		}
		return 1;
	}
	return 0;
}

static int type_matches(const char *name, const struct json *doc)
{
	if (strcmp(name, "integer") == 0)
		return doc->type == JSON_NUMBER && doc->integer;
	if (strcmp(name, "number") == 0)
		return doc->type == JSON_NUMBER;
	if (strcmp(name, "null") == 0)
		return doc->type == JSON_NULL;
	if (strcmp(name, "boolean") == 0)
		return doc->type == JSON_BOOL;
	if (strcmp(name, "string") == 0)
		return doc->type == JSON_STRING;
	if (strcmp(name, "array") == 0)
		return doc->type == JSON_ARRAY;
	if (strcmp(name, "object") == 0)
		return doc->type == JSON_OBJECT;
	return -1;
}

/* "#/$defs/name" (JSON pointer within the schema; ~0 and ~1 unescaped). */
static const struct json *resolve(const struct validator *v, const char *ref)
{
	const struct json *cur = v->root;
	char token[256];

	if (ref[0] != '#')
		return NULL;
	ref++;
	while (*ref == '/') {
		size_t n = 0;

		ref++;
		while (*ref && *ref != '/' && n + 1 < sizeof(token)) {
			if (ref[0] == '~' && (ref[1] == '0' || ref[1] == '1')) {
				token[n++] = ref[1] == '0' ? '~' : '/';
				ref += 2;
			} else {
				token[n++] = *ref++;
			}
		}
		token[n] = '\0';
		if (!(cur = json_get(cur, token)))
			return NULL;
	}
	return *ref ? NULL : cur;
}

static int validate(struct validator *v, const struct json *schema, const struct json *doc);

/* Validates a child value with its pointer segment appended to the path. */
static int validate_child(struct validator *v, const struct json *schema, const struct json *doc,
			  const char *segment, size_t index)
{
	size_t len = strlen(v->path);
	int rc;

	if (segment)
		snprintf(v->path + len, sizeof(v->path) - len, "/%s", segment);
	else
		snprintf(v->path + len, sizeof(v->path) - len, "/%zu", index);
	rc = validate(v, schema, doc);
	if (rc == 0)
		v->path[len] = '\0';
	return rc;
}

/* How many schemas of the array `list` doc satisfies (the error of the last failure kept). */
static size_t count_matching(struct validator *v, const struct json *list, const struct json *doc)
{
	char saved[sizeof(v->path)];
	size_t i, matched = 0;

	memcpy(saved, v->path, sizeof(saved));
	for (i = 0; i < list->n; i++) {
		if (validate(v, list->items[i], doc) == 0)
			matched++;
		memcpy(v->path, saved, sizeof(saved));
	}
	return matched;
}

static int keyword(struct validator *v, const char *key, const struct json *arg,
		   const struct json *schema, const struct json *doc)
{
	size_t i, k;

	if (strcmp(key, "$schema") == 0 || strcmp(key, "$id") == 0 || strcmp(key, "title") == 0 ||
	    strcmp(key, "description") == 0 || strcmp(key, "$defs") == 0)
		return 0;
	if (strcmp(key, "$ref") == 0) {
		const struct json *target =
		    arg->type == JSON_STRING ? resolve(v, arg->string) : NULL;

		if (!target)
			return invalid(v, "the schema's $ref cannot be resolved");
		return validate(v, target, doc);
	}
	if (strcmp(key, "type") == 0) {
		if (arg->type == JSON_STRING) {
			int m = type_matches(arg->string, doc);

			if (m < 0)
				return invalid(v, "unknown type '%s' in the schema", arg->string);
			return m ? 0 : invalid(v, "not of type %s", arg->string);
		}
		for (i = 0; i < arg->n; i++)
			if (arg->items[i]->type == JSON_STRING &&
			    type_matches(arg->items[i]->string, doc) > 0)
				return 0;
		return invalid(v, "not of any type the schema allows");
	}
	if (strcmp(key, "const") == 0)
		return json_equal(arg, doc) ? 0
					    : invalid(v, "not the constant the schema requires");
	if (strcmp(key, "enum") == 0) {
		for (i = 0; i < arg->n; i++)
			if (json_equal(arg->items[i], doc))
				return 0;
		return invalid(v, "%s%s%snot one of the schema's values",
			       doc->type == JSON_STRING ? "'" : "",
			       doc->type == JSON_STRING ? doc->string : "",
			       doc->type == JSON_STRING ? "' is " : "");
	}
	if (strcmp(key, "minimum") == 0) {
		if (doc->type == JSON_NUMBER && doc->number < arg->number)
			return invalid(v, "%g is below the minimum %g", doc->number, arg->number);
		return 0;
	}
	if (strcmp(key, "pattern") == 0) {
		regex_t re;
		int m;

		if (doc->type != JSON_STRING)
			return 0;
		if (regcomp(&re, arg->string, REG_EXTENDED | REG_NOSUB) != 0)
			return invalid(v, "the schema's pattern does not compile");
		m = regexec(&re, doc->string, 0, NULL, 0);
		regfree(&re);
		return m == 0 ? 0 : invalid(v, "'%s' does not match %s", doc->string, arg->string);
	}
	if (strcmp(key, "required") == 0) {
		if (doc->type != JSON_OBJECT)
			return 0;
		for (i = 0; i < arg->n; i++)
			if (!json_get(doc, arg->items[i]->string))
				return invalid(v, "required member '%s' is missing",
					       arg->items[i]->string);
		return 0;
	}
	if (strcmp(key, "properties") == 0) {
		if (doc->type != JSON_OBJECT)
			return 0;
		for (i = 0; i < arg->n; i++) {
			const struct json *member = json_get(doc, arg->keys[i]);

			if (member && validate_child(v, arg->items[i], member, arg->keys[i], 0) < 0)
				return -1;
		}
		return 0;
	}
	if (strcmp(key, "additionalProperties") == 0) {
		const struct json *props = json_get(schema, "properties");

		if (doc->type != JSON_OBJECT)
			return 0;
		for (i = 0; i < doc->n; i++) {
			if (json_get(props, doc->keys[i]))
				continue;
			if (arg->type == JSON_BOOL) {
				if (!arg->boolean)
					return invalid(v, "member '%s' is not allowed",
						       doc->keys[i]);
				continue;
			}
			if (validate_child(v, arg, doc->items[i], doc->keys[i], 0) < 0)
				return -1;
		}
		return 0;
	}
	if (strcmp(key, "items") == 0) {
		if (doc->type != JSON_ARRAY)
			return 0;
		for (k = 0; k < doc->n; k++)
			if (validate_child(v, arg, doc->items[k], NULL, k) < 0)
				return -1;
		return 0;
	}
	if (strcmp(key, "oneOf") == 0 || strcmp(key, "anyOf") == 0) {
		size_t matched = count_matching(v, arg, doc);

		if (key[0] == 'o' && matched != 1)
			return invalid(v, "matches %zu of the oneOf schemas, not exactly one",
				       matched);
		if (key[0] == 'a' && matched == 0)
			return invalid(v, "matches none of the anyOf schemas");
		return 0;
	}
	return invalid(v, "the schema uses '%s', which this validator does not know", key);
}

static int validate(struct validator *v, const struct json *schema, const struct json *doc)
{
	size_t i;
	int rc = 0;

	if (schema->type == JSON_BOOL)
		return schema->boolean ? 0 : invalid(v, "the schema allows nothing here");
	if (schema->type != JSON_OBJECT)
		return invalid(v, "a schema must be an object or a boolean");
	if (++v->depth > MAX_DEPTH)
		return invalid(v, "schema nesting too deep (a $ref loop?)");
	for (i = 0; i < schema->n && rc == 0; i++)
		rc = keyword(v, schema->keys[i], schema->items[i], schema, doc);
	v->depth--;
	return rc;
}

int json_schema_validate(const struct json *schema, const struct json *doc, char *err,
			 size_t errlen)
{
	struct validator v;

	memset(&v, 0, sizeof(v));
	v.root = schema;
	v.err = err;
	v.errlen = errlen;
	return validate(&v, schema, doc);
}
