/* test_report_json_check: a strict recursive-descent JSON syntax checker (RFC 8259). */
#include <stdio.h>
#include <string.h>

#include "test_report_support.h"

struct parser {
	const unsigned char *s;
	size_t len, pos;
	int depth;
	const char *error;
};

enum { MAX_DEPTH = 64 };

static int fail(struct parser *p, const char *why)
{
	if (!p->error)
		p->error = why;
	return -1;
}

static void ws(struct parser *p)
{
	while (p->pos < p->len && strchr(" \t\r\n", p->s[p->pos]) && p->s[p->pos])
		p->pos++;
}

static int literal(struct parser *p, const char *word)
{
	size_t n = strlen(word);

	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
		return fail(p, "unexpected character");
	p->pos += n;
	return 0;
}

static int is_digit(struct parser *p)
{
	return p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9';
}

static int number(struct parser *p)
{
	if (p->pos < p->len && p->s[p->pos] == '-')
		p->pos++;
	if (!is_digit(p))
		return fail(p, "digit expected");
	if (p->s[p->pos] == '0')
		p->pos++;
	else
		while (is_digit(p))
			p->pos++;
	if (p->pos < p->len && p->s[p->pos] == '.') {
		p->pos++;
		if (!is_digit(p))
			return fail(p, "digit expected after '.'");
		while (is_digit(p))
			p->pos++;
	}
	if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
		p->pos++;
		if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
			p->pos++;
		if (!is_digit(p))
			return fail(p, "digit expected in exponent");
		while (is_digit(p))
			p->pos++;
	}
	return 0;
}

/* One UTF-8 sequence, strictly (no overlongs, surrogates or values above U+10FFFF). */
static int utf8(struct parser *p)
{
	unsigned c = p->s[p->pos], n, i, cp, min;

	if (c >= 0xC2 && c <= 0xDF) {
		n = 1;
		cp = c & 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 2;
		cp = c & 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 3;
		cp = c & 0x07;
		min = 0x10000;
	} else {
		return fail(p, "invalid UTF-8 lead byte");
	}
	for (i = 1; i <= n; i++) {
		if (p->pos + i >= p->len || (p->s[p->pos + i] & 0xC0) != 0x80)
			return fail(p, "truncated UTF-8 sequence");
		cp = (cp << 6) | (p->s[p->pos + i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return fail(p, "invalid UTF-8 code point");
	p->pos += n + 1;
	return 0;
}

static int string(struct parser *p)
{
	int i;

	if (p->pos >= p->len || p->s[p->pos] != '"')
		return fail(p, "string expected");
	p->pos++;
	while (p->pos < p->len) {
		unsigned char c = p->s[p->pos];

		if (c == '"') {
			p->pos++;
			return 0;
		}
		if (c < 0x20)
			return fail(p, "raw control character in string");
		if (c == '\\') {
			p->pos++;
			if (p->pos >= p->len)
				break;
			c = p->s[p->pos];
			if (c == 'u') {
				for (i = 1; i <= 4; i++) {
					if (p->pos + i >= p->len ||
					    !strchr("0123456789abcdefABCDEF", p->s[p->pos + i]) ||
					    !p->s[p->pos + i])
						return fail(p, "bad \\u escape");
				}
				p->pos += 5;
			} else if (strchr("\"\\/bfnrt", c) && c) {
				p->pos++;
			} else {
				return fail(p, "bad escape");
			}
			continue;
		}
		if (c >= 0x80) {
			if (utf8(p) < 0)
				return -1;
			continue;
		}
		p->pos++;
	}
	return fail(p, "unterminated string");
}

static int value(struct parser *p);

static int container(struct parser *p, char close)
{
	int first = 1;

	if (++p->depth > MAX_DEPTH)
		return fail(p, "nested too deeply");
	p->pos++;
	ws(p);
	if (p->pos < p->len && p->s[p->pos] == (unsigned char)close) {
		p->pos++;
		p->depth--;
		return 0;
	}
	for (;;) {
		if (!first) {
			ws(p);
			if (p->pos < p->len && p->s[p->pos] == (unsigned char)close) {
				p->pos++;
				p->depth--;
				return 0;
			}
			if (p->pos >= p->len || p->s[p->pos] != ',')
				return fail(p, "',' or end of container expected");
			p->pos++;
		}
		first = 0;
		ws(p);
		if (close == '}') {
			if (string(p) < 0)
				return -1;
			ws(p);
			if (p->pos >= p->len || p->s[p->pos] != ':')
				return fail(p, "':' expected");
			p->pos++;
			ws(p);
		}
		if (value(p) < 0)
			return -1;
	}
}

static int value(struct parser *p)
{
	if (p->pos >= p->len)
		return fail(p, "value expected");
	switch (p->s[p->pos]) {
	case '{':
		return container(p, '}');
	case '[':
		return container(p, ']');
	case '"':
		return string(p);
	case 't':
		return literal(p, "true");
	case 'f':
		return literal(p, "false");
	case 'n':
		return literal(p, "null");
	default:
		return number(p);
	}
}

int json_check(const char *s, size_t len, char *err, size_t errlen)
{
	struct parser p = {(const unsigned char *)s, len, 0, 0, NULL};

	ws(&p);
	if (value(&p) == 0) {
		ws(&p);
		if (p.pos == p.len)
			return 0;
		fail(&p, "trailing characters");
	}
	snprintf(err, errlen, "%s at byte %zu", p.error, p.pos);
	return -1;
}
