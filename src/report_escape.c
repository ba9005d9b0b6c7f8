/* report_escape: every byte of database text goes through here before it reaches a report. */
#include "report_escape.h"

#include <string.h>

size_t report_utf8_decode(const char *s, unsigned long *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long c, min;
	size_t len, i;

	if (!p || !p[0]) {
		*cp = 0;
		return 0;
	}
	c = p[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		c &= 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		c &= 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		/* stray continuation byte, C0/C1 overlong lead, or F5..FF */
		*cp = REPORT_REPLACEMENT;
		return 1;
	}
	for (i = 1; i < len; i++) {
		/* a NUL terminator fails this test too, so we never read past the string */
		if ((p[i] & 0xC0) != 0x80) {
			*cp = REPORT_REPLACEMENT;
			return 1;
		}
		c = (c << 6) | (p[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
		*cp = REPORT_REPLACEMENT;
		return 1;
	}
	*cp = c;
	return len;
}

void report_put_codepoint(FILE *out, unsigned long cp)
{
	if (cp < 0x80) {
		putc((int)cp, out);
	} else if (cp < 0x800) {
		putc((int)(0xC0 | (cp >> 6)), out);
		putc((int)(0x80 | (cp & 0x3F)), out);
	} else if (cp < 0x10000) {
		putc((int)(0xE0 | (cp >> 12)), out);
		putc((int)(0x80 | ((cp >> 6) & 0x3F)), out);
		putc((int)(0x80 | (cp & 0x3F)), out);
	} else {
		putc((int)(0xF0 | (cp >> 18)), out);
		putc((int)(0x80 | ((cp >> 12) & 0x3F)), out);
		putc((int)(0x80 | ((cp >> 6) & 0x3F)), out);
		putc((int)(0x80 | (cp & 0x3F)), out);
	}
}

size_t report_utf8_prefix(const char *s, size_t max_chars)
{
	size_t off = 0, n;
	unsigned long cp;

	if (!s)
		return 0;
	while (max_chars-- > 0 && (n = report_utf8_decode(s + off, &cp)) > 0)
		off += n;
	return off;
}

size_t report_utf8_length(const char *s)
{
	size_t count = 0, off = 0, n;
	unsigned long cp;

	if (!s)
		return 0;
	while ((n = report_utf8_decode(s + off, &cp)) > 0) {
		off += n;
		count++;
	}
	return count;
}

static int is_control(unsigned long cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

int report_is_bidi_control(unsigned long cp)
{
	/* embeddings and overrides, isolates, and the three invisible marks */
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
	       cp == 0x200F || cp == 0x061C;
}

/* A bidi control in markup and spreadsheets: a visible name instead of the reordering. */
static void put_bidi_name(FILE *out, unsigned long cp)
{
	fprintf(out, "[U+%04lX]", cp);
}

/* East Asian wide and fullwidth ranges, enough to keep Japanese text aligned in tables. */
static int is_wide(unsigned long cp)
{
	return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
	       (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
	       (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
	       (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
	       (cp >= 0x20000 && cp <= 0x3FFFD);
}

size_t report_text_width(const char *s)
{
	size_t width = 0, off = 0, n;
	unsigned long cp;

	if (!s)
		return 0;
	while ((n = report_utf8_decode(s + off, &cp)) > 0) {
		off += n;
		if (cp == '\n')
			width += 2; /* \n */
		else if (is_control(cp))
			width += 4; /* \xNN */
		else if (report_is_bidi_control(cp))
			width += 6; /* \uNNNN */
		else
			width += is_wide(cp) ? 2 : 1;
	}
	return width;
}

void report_json_string(FILE *out, const char *s)
{
	size_t off = 0, n;
	unsigned long cp;

	if (!s) {
		fputs("null", out);
		return;
	}
	putc('"', out);
	while ((n = report_utf8_decode(s + off, &cp)) > 0) {
		off += n;
		switch (cp) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		case '\b':
			fputs("\\b", out);
			break;
		case '\f':
			fputs("\\f", out);
			break;
		default:
			/* U+2028/9 are legal JSON but end a line in older JavaScript */
			if (cp < 0x20 || cp == 0x7F || cp == 0x2028 || cp == 0x2029 ||
			    report_is_bidi_control(cp))
				fprintf(out, "\\u%04lx", cp);
			else
				report_put_codepoint(out, cp);
		}
	}
	putc('"', out);
}

void report_xml_putn(FILE *out, const char *s, size_t max)
{
	size_t off = 0, n;
	unsigned long cp;

	if (!s)
		return;
	while (off < max && (n = report_utf8_decode(s + off, &cp)) > 0) {
		if (off + n > max)
			break; /* never split a sequence at the cap */
		off += n;
		switch (cp) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&#39;", out);
			break;
		default:
			if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F ||
			    (cp >= 0x80 && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF)
				cp = REPORT_REPLACEMENT;
			/* &#x202E; would still reorder the page: shown by name instead */
			if (report_is_bidi_control(cp))
				put_bidi_name(out, cp);
			else
				report_put_codepoint(out, cp);
		}
	}
}

void report_xml_put(FILE *out, const char *s)
{
	if (s)
		report_xml_putn(out, s, strlen(s));
}

void report_csv_field(FILE *out, const char *s)
{
	size_t off = 0, n;
	unsigned long cp;
	int quote, formula;

	if (!s)
		return;
	quote = strpbrk(s, ",\"\r\n") != NULL;
	formula = strchr("=+-@\t\r", s[0]) != NULL && s[0] && strcmp(s, "-") != 0;
	/* a formula guard must sit inside the quotes or spreadsheets drop it */
	if (formula)
		quote = 1;
	if (quote)
		putc('"', out);
	if (formula)
		putc('\'', out);
	while ((n = report_utf8_decode(s + off, &cp)) > 0) {
		off += n;
		if (cp == '"')
			putc('"', out);
		if (is_control(cp) && cp != '\t' && cp != '\r' && cp != '\n')
			cp = REPORT_REPLACEMENT;
		if (report_is_bidi_control(cp))
			put_bidi_name(out, cp);
		else
			report_put_codepoint(out, cp);
	}
	if (quote)
		putc('"', out);
}

void report_text_putn(FILE *out, const char *s, size_t max, int keep_newlines)
{
	size_t off = 0, n;
	unsigned long cp;

	if (!s)
		return;
	while (off < max && (n = report_utf8_decode(s + off, &cp)) > 0) {
		if (off + n > max)
			break;
		off += n;
		if (cp == '\n' && keep_newlines)
			putc('\n', out);
		else if (cp == '\n')
			fputs("\\n", out);
		else if (is_control(cp))
			fprintf(out, "\\x%02lx", cp);
		else if (report_is_bidi_control(cp))
			fprintf(out, "\\u%04lx", cp);
		else
			report_put_codepoint(out, cp);
	}
}

void report_text_put(FILE *out, const char *s)
{
	if (s)
		report_text_putn(out, s, strlen(s), 0);
}
