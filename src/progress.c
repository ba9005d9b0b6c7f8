/* progress: redraws a header and one line per job in place with ANSI cursor movement. */
#include "progress.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "signals.h"
#include "xalloc.h"
#include <stdlib.h>

struct slot_line {
	char text[160];
};

struct progress {
	int enabled;
	int slots;
	int shown;			/* slot lines that fit on the terminal */
	int width;			/* columns a line may use without wrapping */
	size_t total, done, failed;
	int drawn;			/* lines currently on screen */
	struct timespec last;
	pthread_mutex_t lock;
	struct slot_line *lines;
};

/* Moving the cursor up only works within the screen, and a line that wraps takes two: the
 * block must fit the terminal. */
static void fit_terminal(struct progress *p)
{
	struct winsize ws;

	p->shown = p->slots;
	p->width = (int)sizeof(p->lines[0].text);
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) != 0)
		return;
	if (ws.ws_row > 0 && p->shown > ws.ws_row - 2)
		p->shown = ws.ws_row > 2 ? ws.ws_row - 2 : 0;
	if (ws.ws_col > 1 && p->width > ws.ws_col - 1)
		p->width = ws.ws_col - 1;
}

static void line(const struct progress *p, const char *text)
{
	fprintf(stderr, "\r\033[K%.*s\n", p->width, text);
}

static void redraw(struct progress *p)
{
	char head[160];
	int i;

	if (p->drawn)
		fprintf(stderr, "\033[%dA", p->drawn);
	snprintf(head, sizeof(head), "collecting: %zu of %zu servers done, %zu failed", p->done,
		 p->total, p->failed);
	if (p->shown < p->slots) {
		size_t n = strlen(head);

		snprintf(head + n, sizeof(head) - n, " (%d of %d jobs shown)", p->shown, p->slots);
	}
	line(p, head);
	for (i = 0; i < p->shown; i++) {
		char text[sizeof(p->lines[0].text) + 2];

		snprintf(text, sizeof(text), "  %s", p->lines[i].text);
		line(p, text);
	}
	p->drawn = p->shown + 1;
	signals_set_progress_lines(p->drawn);
	fflush(stderr);
}

/* A diagnostic line is about to be written: the block goes, so the line stays on screen. */
static void guard_before(void *data)
{
	struct progress *p = data;

	pthread_mutex_lock(&p->lock);
	if (p->drawn)
		fprintf(stderr, "\033[%dA\r\033[J", p->drawn);
	p->drawn = 0;
	signals_set_progress_lines(0);
}

/* ... and the block comes back below it. */
static void guard_after(void *data)
{
	struct progress *p = data;

	redraw(p);
	pthread_mutex_unlock(&p->lock);
}

struct progress *progress_start(size_t nservers, int slots, int enabled)
{
	struct progress *p = xcalloc(1, sizeof(*p));

	p->enabled = enabled;
	p->slots = slots > 0 ? slots : 1;
	p->total = nservers;
	p->lines = xcalloc((size_t)p->slots, sizeof(*p->lines));
	pthread_mutex_init(&p->lock, NULL);
	if (enabled) {
		fit_terminal(p);
		log_set_stderr_guard(guard_before, guard_after, p);
	}
	return p;
}

static int due(struct progress *p)
{
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - p->last.tv_sec) * 1000LL + (now.tv_nsec - p->last.tv_nsec) / 1000000;
	if (ms < 100 && p->drawn)
		return 0;
	p->last = now;
	return 1;
}

void progress_update(struct progress *p, int slot, const char *server, const char *phase,
		     long long rows)
{
	if (!p->enabled || slot < 0 || slot >= p->slots)
		return;
	pthread_mutex_lock(&p->lock);
	snprintf(p->lines[slot].text, sizeof(p->lines[slot].text), "%-40.40s %-20s %lld rows",
		 server, phase, rows);
	if (due(p))
		redraw(p);
	pthread_mutex_unlock(&p->lock);
}

void progress_server_done(struct progress *p, int slot, int failed)
{
	pthread_mutex_lock(&p->lock);
	p->done++;
	p->failed += failed != 0;
	if (p->enabled && slot >= 0 && slot < p->slots) {
		p->lines[slot].text[0] = '\0';
		redraw(p);
	}
	pthread_mutex_unlock(&p->lock);
}

void progress_finish(struct progress *p)
{
	if (p->enabled)
		log_set_stderr_guard(NULL, NULL, NULL);
	if (p->enabled && p->drawn) {
		signals_set_progress_lines(0);
		fprintf(stderr, "\033[%dA\r\033[J", p->drawn);
		fflush(stderr);
	}
	pthread_mutex_destroy(&p->lock);
	free(p->lines);
	free(p);
}
