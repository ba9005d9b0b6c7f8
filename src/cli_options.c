/* cli_options: the parser and the help of every command from one table per command. */
#include "cli_options.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xalloc.h"

enum { MAX_OPTIONS = 40 };

/* Levenshtein distance, for short words (option and check names). */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, *row, prev, d;

	row = xcalloc(lb + 1, sizeof(*row));
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1], up = row[j];

			d = prev + cost;
			if (row[j] + 1 < d)
				d = row[j] + 1;
			if (row[j - 1] + 1 < d)
				d = row[j - 1] + 1;
			row[j] = d;
			prev = up;
		}
	}
	d = row[lb];
	free(row);
	return d;
}

const char *cli_suggest(const char *word, const char *const *candidates, size_t n)
{
	size_t i, best = (size_t)-1, d, limit;
	const char *pick = NULL;

	if (!word || !*word)
		return NULL;
	limit = strlen(word) / 3 > 2 ? strlen(word) / 3 : 2;
	for (i = 0; i < n; i++) {
		if (!candidates[i])
			continue;
		d = distance(word, candidates[i]);
		/* a prefix of an option ("--form") is what getopt would have taken whole */
		if (strncmp(candidates[i], word, strlen(word)) == 0)
			d = 1;
		if (d < best) {
			best = d;
			pick = candidates[i];
		}
	}
	return best <= limit ? pick : NULL;
}

static void unknown(const struct cli_spec *spec, const char *arg)
{
	const char *names[MAX_OPTIONS];
	const char *word = arg, *close;
	size_t i, n = 0, len;
	char *name;

	while (*word == '-')
		word++;
	len = strcspn(word, "=");
	name = xstrndup(word, len);
	for (i = 0; i < spec->noptions && n < MAX_OPTIONS; i++)
		names[n++] = spec->options[i].name;
	close = cli_suggest(name, names, n);
	if (close)
		log_error("unknown option '%s' for '%s' (did you mean '--%s'? see 'susaudit %s "
			  "--help')",
			  arg, spec->name, close, spec->name);
	else
		log_error("unknown option '%s' for '%s' (see 'susaudit %s --help')", arg,
			  spec->name, spec->name);
	free(name);
}

int cli_getopt(const struct cli_spec *spec, int argc, char **argv)
{
	struct option longopts[MAX_OPTIONS + 1];
	char shortopts[2 * MAX_OPTIONS + 2];
	size_t i, s = 0;
	int c, at = optind;

	memset(longopts, 0, sizeof(longopts));
	shortopts[s++] = ':'; /* a missing value is ':', not '?', so it can be said as such */
	for (i = 0; i < spec->noptions && i < MAX_OPTIONS; i++) {
		const struct cli_option *o = &spec->options[i];

		longopts[i].name = o->name;
		longopts[i].has_arg = o->arg ? required_argument : no_argument;
		longopts[i].val = o->id;
		if (o->short_name) {
			shortopts[s++] = o->short_name;
			if (o->arg)
				shortopts[s++] = ':';
		}
	}
	shortopts[s] = '\0';
	opterr = 0;
	c = getopt_long(argc, argv, shortopts, longopts, NULL);
	if (c == '?') {
		/* optind has moved past the word that was not understood */
		const char *bad = optind > at && optind - 1 < argc ? argv[optind - 1] : "?";

		if (optopt && !(bad[0] == '-' && bad[1] == '-')) {
			char one[3] = {'-', (char)optopt, '\0'};

			unknown(spec, one);
		} else {
			unknown(spec, bad);
		}
		return '?';
	}
	if (c == ':') {
		log_error("option '%s' of '%s' needs a value", argv[optind - 1], spec->name);
		return '?';
	}
	return c;
}

/* An option's help, the cursor two columns before `col`: wrapped at word boundaries within 80
 * columns, continuation lines starting at `col`. */
static void help_text(FILE *out, const char *help, size_t col)
{
	const char *p = help;
	size_t at = col;

	fputs("  ", out);
	while (*p) {
		size_t n = strcspn(p, " ");

		if (at > col && at + 1 + n > 80) {
			fprintf(out, "\n%*s", (int)col, "");
			at = col;
		} else if (at > col) {
			putc(' ', out);
			at++;
		}
		fprintf(out, "%.*s", (int)n, p);
		at += n;
		p += n;
		while (*p == ' ')
			p++;
	}
	putc('\n', out);
}

void cli_spec_synopsis(const struct cli_spec *spec, const char *first, FILE *out)
{
	const char *p = spec->synopsis;

	while (p && *p) {
		size_t n = strcspn(p, "\n");

		if (*p == ' ')
			fprintf(out, "%*s%.*s\n", (int)strlen(first) + 9, "", (int)n - 1, p + 1);
		else
			fprintf(out, "%ssusaudit %.*s\n", first, (int)n, p);
		p += n + (p[n] == '\n');
	}
}

void cli_spec_help(const struct cli_spec *spec, FILE *out)
{
	size_t i, width = 0;

	cli_spec_synopsis(spec, "usage: ", out);
	fprintf(out, "\n%s.\n", spec->summary);
	if (!spec->noptions)
		return;
	for (i = 0; i < spec->noptions; i++) {
		const struct cli_option *o = &spec->options[i];
		size_t w = 4 + strlen(o->name) + 2 + (o->arg ? strlen(o->arg) + 1 : 0);

		if (w > width)
			width = w;
	}
	fputs("\noptions:\n", out);
	for (i = 0; i < spec->noptions; i++) {
		const struct cli_option *o = &spec->options[i];
		char left[128];

		if (o->short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->short_name, o->name,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->name, o->arg ? " " : "",
				 o->arg ? o->arg : "");
		fprintf(out, "  %-*s", (int)width, left);
		help_text(out, o->help, width + 4);
	}
	fprintf(out, "  %-*s  print this help\n", (int)width, "-h, --help");
}
