/* log: formats diagnostics and hands them to stderr or a test sink, one line each. */
#include "log.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

static enum log_level current_level = LOG_LEVEL_WARNING;
static log_sink_fn current_sink;
static void *current_sink_data;
/* collect runs servers on threads; one lock keeps their lines whole */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const level_prefix[] = {"error", "warning", "info", "debug"};
/* what is drawn on the terminal (progress lines) is taken away and put back around a line */
static void (*guard_before)(void *), (*guard_after)(void *);
static void *guard_data;

void log_set_level(enum log_level level) { current_level = level; }

enum log_level log_get_level(void) { return current_level; }

void log_set_sink(log_sink_fn sink, void *data)
{
	pthread_mutex_lock(&log_lock);
	current_sink = sink;
	current_sink_data = data;
	pthread_mutex_unlock(&log_lock);
}

/* Bytes of the UTF-8 bidirectional control at p (U+202A-202E, U+2066-2069, U+200E/F,
 * U+061C), or 0. */
static size_t bidi_bytes(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	if (u[0] == 0xD8 && u[1] == 0x9C)
		return 2;
	if (u[0] != 0xE2 || !u[1] || !u[2])
		return 0;
	if (u[1] == 0x80 && ((u[2] >= 0xAA && u[2] <= 0xAE) || u[2] == 0x8E || u[2] == 0x8F))
		return 3;
	if (u[1] == 0x81 && u[2] >= 0xA6 && u[2] <= 0xA9)
		return 3;
	return 0;
}

/* Messages carry text from servers and files (SQL Server's own error text among them): a
 * control character could move the cursor or recolour the admin's terminal, and a line break
 * would split the one line a message is. Trailing breaks go; the others become '?'. */
static void sanitize(char *line)
{
	size_t n = strlen(line);
	char *p;

	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	for (p = line; *p; p++)
		if (*p == '\t')
			*p = ' ';
		else if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
		else if (bidi_bytes(p))
			memset(p, '?', bidi_bytes(p)); /* a server's text must not reorder the line */
}

void log_set_stderr_guard(void (*before)(void *), void (*after)(void *), void *data)
{
	pthread_mutex_lock(&log_lock);
	guard_before = before;
	guard_after = after;
	guard_data = data;
	pthread_mutex_unlock(&log_lock);
}

/* The first error of the process, for the one line a monitoring plugin prints. */
static char first_error[512];

const char *log_first_error(void)
{
	static char copy[sizeof(first_error)];

	pthread_mutex_lock(&log_lock);
	memcpy(copy, first_error, sizeof(copy));
	pthread_mutex_unlock(&log_lock);
	return copy[0] ? copy : NULL;
}

void log_message(enum log_level level, const char *fmt, va_list ap)
{
	char line[4096];

	if (level == LOG_LEVEL_ERROR && !first_error[0]) {
		va_list copy;

		va_copy(copy, ap);
		vsnprintf(line, sizeof(line), fmt, copy);
		va_end(copy);
		sanitize(line);
		pthread_mutex_lock(&log_lock);
		if (!first_error[0]) {
			size_t n = strlen(line);

			n = n < sizeof(first_error) ? n : sizeof(first_error) - 1;
			memcpy(first_error, line, n);
			first_error[n] = '\0';
		}
		pthread_mutex_unlock(&log_lock);
	}
	if (level > current_level)
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	sanitize(line);
	pthread_mutex_lock(&log_lock);
	if (current_sink)
		current_sink(level, line, current_sink_data);
	else {
		if (guard_before)
			guard_before(guard_data);
		fprintf(stderr, "susaudit: %s: %s\n", level_prefix[level], line);
		if (guard_after)
			guard_after(guard_data);
	}
	pthread_mutex_unlock(&log_lock);
}

int log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_message(LOG_LEVEL_ERROR, fmt, ap);
	va_end(ap);
	return -1;
}

int log_warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_message(LOG_LEVEL_WARNING, fmt, ap);
	va_end(ap);
	return -1;
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_message(LOG_LEVEL_INFO, fmt, ap);
	va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_message(LOG_LEVEL_DEBUG, fmt, ap);
	va_end(ap);
}
