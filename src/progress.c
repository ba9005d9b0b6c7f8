/* progress: redraws a header and one line per job in place with ANSI cursor movement. */
#include "progress.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "xalloc.h"
#include <stdlib.h>

struct slot_line {
	char text[160];
};

struct progress {
	int enabled;
	int slots;
	size_t total, done, failed;
	int drawn;			/* lines currently on screen */
	struct timespec last;
	pthread_mutex_t lock;
	struct slot_line *lines;
};

struct progress *progress_start(size_t nservers, int slots, int enabled)
{
	struct progress *p = xcalloc(1, sizeof(*p));

	p->enabled = enabled;
	p->slots = slots > 0 ? slots : 1;
	p->total = nservers;
	p->lines = xcalloc((size_t)p->slots, sizeof(*p->lines));
	pthread_mutex_init(&p->lock, NULL);
	return p;
}

static void redraw(struct progress *p)
{
	int i;

	if (p->drawn)
		fprintf(stderr, "\033[%dA", p->drawn);
	fprintf(stderr, "\r\033[Kcollecting: %zu of %zu servers done, %zu failed\n", p->done,
		p->total, p->failed);
	for (i = 0; i < p->slots; i++)
		fprintf(stderr, "\r\033[K  %s\n", p->lines[i].text);
	p->drawn = p->slots + 1;
	fflush(stderr);
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
	int i;

	if (p->enabled && p->drawn) {
		fprintf(stderr, "\033[%dA", p->drawn);
		for (i = 0; i < p->drawn; i++)
			fprintf(stderr, "\r\033[K\n");
		fprintf(stderr, "\033[%dA", p->drawn);
		fflush(stderr);
	}
	pthread_mutex_destroy(&p->lock);
	free(p->lines);
	free(p);
}
