/* run_binary: the built binary run through the shell, its output captured. */
#define _GNU_SOURCE
#include "run_binary.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "xalloc.h"

char *run_binary_v(const char *binary, int *status, size_t *len_out, int merge_stderr,
		   const char *fmt, va_list ap)
{
	char *args, *cmd, buf[4096], *out = NULL;
	size_t cap = 0, len = 0, n;
	FILE *p;
	int st;

	args = xvasprintf(fmt, ap);
	cmd = xasprintf("'%s' %s %s", binary, args, merge_stderr ? "2>&1" : "2>/dev/null");
	p = popen(cmd, "r");
	if (p) {
		while ((n = fread(buf, 1, sizeof(buf), p)) > 0) {
			out = xgrow(out, &cap, len + n + 1, 1);
			memcpy(out + len, buf, n);
			len += n;
		}
	}
	if (!out)
		out = xcalloc(1, 1);
	out[len] = '\0';
	if (!p) {
		*status = -1;
	} else {
		st = pclose(p);
		*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	}
	if (len_out)
		*len_out = len;
	free(cmd);
	free(args);
	return out;
}

char *run_binary(const char *binary, int *status, int merge_stderr, const char *fmt, ...)
{
	va_list ap;
	char *out;

	va_start(ap, fmt);
	out = run_binary_v(binary, status, NULL, merge_stderr, fmt, ap);
	va_end(ap);
	return out;
}
