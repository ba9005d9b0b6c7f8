/* signals: a signal ends the run from its handler, leaving no temporary file behind. */
#include "signals.h"

#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { SIGNALS_SLOTS = 32 };

/* The registry is fixed-size and static: the handler may not allocate, and reads a slot only
 * once `used` says its path is complete. Writers hold `lock` (collector threads may be up). */
static struct slot {
	atomic_int used;
	int is_dir;
	char path[PATH_MAX];
} slots[SIGNALS_SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static const int handled[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
static const char *const handled_names[] = {"SIGINT", "SIGTERM", "SIGHUP", "SIGPIPE"};

static const char *_Atomic phase_doing = "starting";
static const char *_Atomic phase_outcome = "nothing was stored";
static atomic_int progress_lines;
static atomic_int handling;

/* Appends `s` at *at in buf (bounded); the handler's strcat. */
static void put(char *buf, size_t size, size_t *at, const char *s)
{
	while (*s && *at + 1 < size)
		buf[(*at)++] = *s++;
	buf[*at] = '\0';
}

static void put_int(char *buf, size_t size, size_t *at, int v)
{
	char digits[12];
	int n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0 && n < (int)sizeof(digits));
	while (n > 0 && *at + 1 < size)
		buf[(*at)++] = digits[--n];
	buf[*at] = '\0';
}

static void write_all(const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(STDERR_FILENO, s, n);

		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

static void remove_registered(void)
{
	int pass, i;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < SIGNALS_SLOTS; i++)
			if (atomic_load(&slots[i].used) && slots[i].is_dir == pass) {
				if (pass)
					rmdir(slots[i].path);
				else
					unlink(slots[i].path);
			}
}

static void on_signal(int sig)
{
	char line[512];
	size_t at = 0, i;
	int lines;

	/* a second signal while the first is handled: the first finishes the work */
	if (atomic_exchange(&handling, 1))
		return;
	remove_registered();
	lines = atomic_load(&progress_lines);
	if (lines > 0) {
		put(line, sizeof(line), &at, "\033[");
		put_int(line, sizeof(line), &at, lines);
		put(line, sizeof(line), &at, "A\r\033[J");
	}
	put(line, sizeof(line), &at, "susaudit: interrupted by ");
	for (i = 0; i < sizeof(handled) / sizeof(handled[0]); i++)
		if (handled[i] == sig)
			put(line, sizeof(line), &at, handled_names[i]);
	put(line, sizeof(line), &at, " while ");
	put(line, sizeof(line), &at, atomic_load(&phase_doing));
	put(line, sizeof(line), &at, "; ");
	put(line, sizeof(line), &at, atomic_load(&phase_outcome));
	put(line, sizeof(line), &at, "\n");
	write_all(line, at);
	_exit(128 + sig);
}

void signals_install(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(handled) / sizeof(handled[0]); i++)
		sigaddset(&sa.sa_mask, handled[i]);
	for (i = 0; i < sizeof(handled) / sizeof(handled[0]); i++) {
		struct sigaction old;

		/* a SIGINT or SIGHUP the shell had us ignore (nohup, a background job) stays
		 * ignored: that is what the user asked for */
		if (handled[i] != SIGTERM && handled[i] != SIGPIPE &&
		    sigaction(handled[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaction(handled[i], &sa, NULL);
	}
}

void signals_set_phase(const char *doing, const char *outcome)
{
	atomic_store(&phase_doing, doing);
	atomic_store(&phase_outcome, outcome);
}

static void block(sigset_t *old)
{
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < sizeof(handled) / sizeof(handled[0]); i++)
		sigaddset(&set, handled[i]);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

static void unblock(const sigset_t *old)
{
	pthread_sigmask(SIG_SETMASK, old, NULL);
}

int signals_mkstemp(char *template_path)
{
	sigset_t old;
	int fd;

	block(&old);
	fd = mkstemp(template_path);
	if (fd >= 0)
		signals_register(template_path, 0);
	unblock(&old);
	return fd;
}

char *signals_mkdtemp(char *template_path)
{
	sigset_t old;
	char *dir;

	block(&old);
	dir = mkdtemp(template_path);
	if (dir)
		signals_register(dir, 1);
	unblock(&old);
	return dir;
}

int signals_register(const char *path, int is_dir)
{
	size_t n = strlen(path);
	int i, rc = -1;

	if (n >= PATH_MAX)
		return -1;
	pthread_mutex_lock(&lock);
	for (i = 0; i < SIGNALS_SLOTS; i++)
		if (atomic_load(&slots[i].used) && strcmp(slots[i].path, path) == 0) {
			rc = 0;
			goto out;
		}
	for (i = 0; i < SIGNALS_SLOTS; i++)
		if (!atomic_load(&slots[i].used)) {
			memcpy(slots[i].path, path, n + 1);
			slots[i].is_dir = is_dir != 0;
			atomic_store(&slots[i].used, 1); /* the path is whole before it is seen */
			rc = 0;
			break;
		}
out:
	pthread_mutex_unlock(&lock);
	return rc;
}

int signals_register_suffixed(const char *path, const char *suffix)
{
	char buf[PATH_MAX];
	size_t n = strlen(path), k = strlen(suffix);

	if (n + k >= sizeof(buf))
		return -1;
	memcpy(buf, path, n);
	memcpy(buf + n, suffix, k + 1);
	return signals_register(buf, 0);
}

static void forget_matching(const char *s, int prefix)
{
	size_t n = strlen(s);
	int i;

	pthread_mutex_lock(&lock);
	for (i = 0; i < SIGNALS_SLOTS; i++)
		if (atomic_load(&slots[i].used) &&
		    (prefix ? strncmp(slots[i].path, s, n) == 0 : strcmp(slots[i].path, s) == 0))
			atomic_store(&slots[i].used, 0);
	pthread_mutex_unlock(&lock);
}

void signals_forget(const char *path)
{
	forget_matching(path, 0);
}

void signals_forget_prefix(const char *prefix)
{
	forget_matching(prefix, 1);
}

void signals_set_progress_lines(int lines)
{
	atomic_store(&progress_lines, lines);
}
