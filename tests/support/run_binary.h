/* run_binary: runs the built susaudit the way a user does and captures what it printed. */
#ifndef SUSAUDIT_RUN_BINARY_H
#define SUSAUDIT_RUN_BINARY_H

#include <stdarg.h>
#include <stddef.h>

/* Runs `'BINARY' ARGS` through the shell (ARGS printf-formatted, quoted by the caller), stderr
 * joined to stdout when `merge_stderr`, else discarded. Returns what it printed, malloc'd and
 * NUL-terminated (the caller frees it); *status is its exit code. */
char *run_binary(const char *binary, int *status, int merge_stderr, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The same with a va_list, and the output's length in *len (NULL allowed). */
char *run_binary_v(const char *binary, int *status, size_t *len, int merge_stderr,
		   const char *fmt, va_list ap);

#endif
