/* run_binary: runs the built susaudit the way a user does and captures what it printed. */
#ifndef SUSAUDIT_RUN_BINARY_H
#define SUSAUDIT_RUN_BINARY_H

/* Runs `'BINARY' ARGS` through the shell (ARGS printf-formatted, quoted by the caller), stderr
 * joined to stdout when `merge_stderr`, else discarded. Returns what it printed, malloc'd and
 * NUL-terminated (the caller frees it); *status is its exit code. */
char *run_binary(const char *binary, int *status, int merge_stderr, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
