/* tds_buf: a growable byte/string buffer for the test server. */
#include "tds_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *tds_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q) {
		fputs("susdb-tds-server: out of memory\n", stderr);
		abort();
	}
	return q;
}

char *tds_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(tds_xrealloc(NULL, n), s, n);
}

void tds_buf_add(struct tds_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->data = tds_xrealloc(b->data, cap);
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void tds_buf_adds(struct tds_buf *b, const char *s)
{
	tds_buf_add(b, s, strlen(s));
}

void tds_buf_addc(struct tds_buf *b, char c)
{
	tds_buf_add(b, &c, 1);
}

char *tds_buf_take(struct tds_buf *b)
{
	char *s = b->data ? b->data : tds_xstrdup("");

	b->data = NULL;
	b->len = b->cap = 0;
	return s;
}

void tds_buf_release(struct tds_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
