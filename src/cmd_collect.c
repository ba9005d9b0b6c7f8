/* cmd_collect: `susaudit collect HIERARCHY.xml -o SNAPSHOT.db [--jobs N] [--export-dir DIR]`. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cli_options.h"
#include "collect.h"
#include "hierarchy.h"
#include "log.h"
#include "signals.h"

int cmd_collect(int argc, char **argv)
{
	struct collect_options co = {4, 0, 3, 500, 0};
	struct collect_summary sum;
	struct hierarchy *h;
	const char *output = NULL, *export_dir = NULL;
	int c, rc, created;

	optind = 1;
	while ((c = cli_getopt(&cli_spec_collect, argc, argv)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'j':
			if (cli_parse_int("--jobs", optarg, 1, 256, &co.jobs) < 0)
				return EXIT_TOOL_FAILED;
			break;
		case 'v':
			log_set_level(LOG_LEVEL_INFO);
			break;
		case 'T':
			co.require_verified_tls = 1;
			break;
		case 'E':
			export_dir = optarg;
			break;
		default:
			return EXIT_TOOL_FAILED;
		}
	}
	if (optind != argc - 1 || !output) {
		log_error("usage: susaudit collect HIERARCHY.xml -o SNAPSHOT.db [--jobs N] "
			  "[--export-dir DIR]");
		return EXIT_TOOL_FAILED;
	}
	if (strcmp(output, "-") == 0) {
		/* a snapshot is an SQLite file with its WAL beside it: it cannot be a stream */
		log_error("collect writes the snapshot to a file: '-o -' (standard output) is not "
			  "possible, name a file");
		return EXIT_TOOL_FAILED;
	}
	if (export_dir) {
		struct stat st;

		if (stat(export_dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
			log_error("--export-dir '%s' is not an existing folder", export_dir);
			return EXIT_TOOL_FAILED;
		}
	}
	signals_install();
	signals_set_phase("starting", "nothing was stored");
	if (hierarchy_load(argv[optind], &h) < 0)
		return EXIT_TOOL_FAILED;
	/* the run is one transaction, so an interrupted one leaves an existing snapshot as it
	 * was; a snapshot this run creates goes altogether (its -wal and -shm are only ever
	 * removed with it: those of an existing one hold its committed runs) */
	created = access(output, F_OK) != 0;
	if (created) {
		signals_register(output, 0);
		signals_register_suffixed(output, "-wal");
		signals_register_suffixed(output, "-shm");
	}
	signals_set_phase("collecting",
			  created ? "nothing was stored" : "the snapshot was left as it was");
	co.progress = cli_stderr_is_terminal();
	rc = collect_run_export(h, output, &co, export_dir, &sum);
	hierarchy_free(h);
	signals_forget(output);
	signals_forget_prefix(output); /* its -wal and -shm */
	if (rc < 0)
		return EXIT_TOOL_FAILED;
	fprintf(stderr, "susaudit: collected run %lld into '%s': %zu servers, %zu failed, %lld rows\n",
		sum.run_id, output, sum.servers, sum.failed, sum.rows);
	if (export_dir)
		fprintf(stderr, "susaudit: exported %zu servers into '%s'%s\n",
			sum.servers - sum.failed - sum.exports_failed, export_dir,
			sum.exports_failed ? " (some exports failed: see above)" : "");
	return sum.exports_failed ? EXIT_TOOL_FAILED : EXIT_CLEAN;
}
