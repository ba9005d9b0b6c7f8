/* tds_text: UTF-8 <-> UTF-16LE conversions for the TDS test server. */
#include "tds_text.h"

#include <stdlib.h>

uint32_t tds_text_next_utf8(const unsigned char **p, const unsigned char *end)
{
	const unsigned char *s = *p;
	uint32_t cp;
	size_t need, i;

	if (s[0] < 0x80) {
		*p = s + 1;
		return s[0];
	}
	if ((s[0] & 0xE0) == 0xC0) {
		cp = s[0] & 0x1F;
		need = 1;
	} else if ((s[0] & 0xF0) == 0xE0) {
		cp = s[0] & 0x0F;
		need = 2;
	} else if ((s[0] & 0xF8) == 0xF0) {
		cp = s[0] & 0x07;
		need = 3;
	} else {
		*p = s + 1;
		return 0xFFFD;
	}
	if ((size_t)(end - s) <= need) {
		*p = s + 1;
		return 0xFFFD;
	}
	for (i = 1; i <= need; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*p = s + 1;
			return 0xFFFD;
		}
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	/* overlong forms and surrogates are not characters: replace them */
	if ((need == 1 && cp < 0x80) || (need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
		*p = s + 1;
		return 0xFFFD;
	}
	*p = s + need + 1;
	return cp;
}

size_t tds_text_utf16_units(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	size_t units = 0;

	while (p < end) {
		if (*p < 0x80) {
			/* ASCII fast path: most SUSDB text is ASCII */
			p++;
			units++;
			continue;
		}
		units += tds_text_next_utf8(&p, end) > 0xFFFF ? 2 : 1;
	}
	return units;
}

size_t tds_text_utf16_units_max(const char *s, size_t n, size_t max)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	size_t units = 0;

	while (p < end && units < max) {
		size_t k = tds_text_next_utf8(&p, end) > 0xFFFF ? 2 : 1;

		if (units + k > max)
			break;
		units += k;
	}
	return units;
}

size_t tds_text_put_utf16le(uint32_t cp, unsigned char *out)
{
	if (cp > 0xFFFF) {
		uint32_t v = cp - 0x10000;
		uint32_t hi = 0xD800 | (v >> 10), lo = 0xDC00 | (v & 0x3FF);

		out[0] = hi & 0xFF;
		out[1] = hi >> 8;
		out[2] = lo & 0xFF;
		out[3] = lo >> 8;
		return 4;
	}
	out[0] = cp & 0xFF;
	out[1] = cp >> 8;
	return 2;
}

char *tds_text_from_utf16le(const unsigned char *in, size_t nbytes)
{
	size_t n = nbytes / 2, i, o = 0;
	/* at most 3 UTF-8 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units) */
	char *out = malloc(n * 3 + 1);

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		uint32_t cp = in[2 * i] | (uint32_t)in[2 * i + 1] << 8;

		if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < n) {
			uint32_t lo = in[2 * i + 2] | (uint32_t)in[2 * i + 3] << 8;

			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				i++;
			} else {
				cp = 0xFFFD;
			}
		} else if (cp >= 0xD800 && cp <= 0xDFFF) {
			cp = 0xFFFD;
		}
		if (cp < 0x80) {
			out[o++] = (char)cp;
		} else if (cp < 0x800) {
			out[o++] = (char)(0xC0 | (cp >> 6));
			out[o++] = (char)(0x80 | (cp & 0x3F));
		} else if (cp < 0x10000) {
			out[o++] = (char)(0xE0 | (cp >> 12));
			out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (cp & 0x3F));
		} else {
			out[o++] = (char)(0xF0 | (cp >> 18));
			out[o++] = (char)(0x80 | ((cp >> 12) & 0x3F));
			out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (cp & 0x3F));
		}
	}
	out[o] = '\0';
	return out;
}
