/* tds_buf: a growable byte/string buffer for the test server; allocation failure aborts,
   as a test server has nothing better to do. */
#ifndef TDS_BUF_H
#define TDS_BUF_H

#include <stddef.h>

struct tds_buf {
	char *data; /* NUL-terminated once anything was added; NULL before */
	size_t len, cap;
};

void tds_buf_add(struct tds_buf *b, const char *s, size_t n);
void tds_buf_adds(struct tds_buf *b, const char *s);
void tds_buf_addc(struct tds_buf *b, char c);

/* Hands the string over to the caller (free() it; never NULL) and empties b. */
char *tds_buf_take(struct tds_buf *b);

void tds_buf_release(struct tds_buf *b);

/* malloc/realloc/strdup that abort instead of returning NULL. */
void *tds_xrealloc(void *p, size_t n);
char *tds_xstrdup(const char *s);

#endif
