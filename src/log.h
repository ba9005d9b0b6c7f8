/* log: the one channel for diagnostics (stderr); reports never go through here. */
#ifndef SUSAUDIT_LOG_H
#define SUSAUDIT_LOG_H

#include <stdarg.h>

enum log_level { LOG_LEVEL_ERROR, LOG_LEVEL_WARNING, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };

#if defined(__GNUC__)
#define LOG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define LOG_PRINTF(f, a)
#endif

/* Messages above this level are dropped. Default: LOG_LEVEL_WARNING. */
void log_set_level(enum log_level level);
enum log_level log_get_level(void);

/* Sends messages to a callback instead of stderr (tests use it); NULL restores stderr. */
typedef void (*log_sink_fn)(enum log_level level, const char *message, void *data);
void log_set_sink(log_sink_fn sink, void *data);

/* While set, `before` runs ahead of every line written to stderr and `after` behind it, under
 * the log's lock: progress lines use it to move out of the way. NULLs remove it. */
void log_set_stderr_guard(void (*before)(void *), void (*after)(void *), void *data);

/* The text of the first error logged by the process (even below the level shown), or NULL;
 * valid until the next call. For the one line a monitoring plugin prints (--format nagios). */
const char *log_first_error(void);

/* Logs "error: ..." and returns -1, so callers can `return log_error(...)`. */
int log_error(const char *fmt, ...) LOG_PRINTF(1, 2);
/* Logs "warning: ..." and returns -1 as well. */
int log_warning(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_info(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_debug(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_message(enum log_level level, const char *fmt, va_list ap) LOG_PRINTF(2, 0);

#endif
