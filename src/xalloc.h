/* xalloc: allocation wrappers that never return NULL (they abort on exhaustion). */
#ifndef SUSAUDIT_XALLOC_H
#define SUSAUDIT_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

/* All return memory the caller frees with free(). */
void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Grows an array of `elem` sized items to hold at least `need`; updates *cap. */
void *xgrow(void *ptr, size_t *cap, size_t need, size_t elem);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Tunes the C library's allocator for this program's pattern: the audit loads a server's
 * arrays (tens of MB on a large SUSDB), frees them and loads the next server's of the same
 * size. By default glibc gives such blocks back to the kernel on free and takes fresh zeroed
 * pages on the next load (half the audit's time went to page faults); tuned, the next load
 * reuses them. Peak memory does not change. A no-op on other C libraries. */
void xalloc_tune(void);

/* Overwrites memory that held a secret in a way the compiler may not drop. */
void xwipe(void *ptr, size_t size);

#endif
