/* signals: SIGINT, SIGTERM, SIGHUP and SIGPIPE end a run cleanly — the temporary files it made
 * removed, the progress block cleared, one "interrupted" line, exit 128 + the signal. */
#ifndef SUSAUDIT_SIGNALS_H
#define SUSAUDIT_SIGNALS_H

/* Installs the handler (audit and collect do). From then on the four signals
 * remove every registered path (files first, then folders), erase the progress block, write
 * "susaudit: interrupted by SIGTERM while collecting; nothing was stored" to stderr and
 * _exit(128 + signal). The handler does all of it itself, with async-signal-safe calls only:
 * a worker blocked in a server's read for up to its query timeout cannot be waited for (a
 * systemd stop turns into SIGKILL after 90 s, and SIGKILL leaves everything behind). */
void signals_install(void);

/* What the run is doing and what an interruption now leaves: static strings, e.g.
 * ("collecting", "nothing was stored"). */
void signals_set_phase(const char *doing, const char *outcome);

/* mkstemp()/mkdtemp() with the result registered before any signal can be taken on this
 * thread (they are blocked around the two steps): call them before threads start. */
int signals_mkstemp(char *template_path);
char *signals_mkdtemp(char *template_path);

/* Registers a path to remove on a signal (a file SQLite or FreeTDS creates later: a -wal, a
 * freetds.conf); `is_dir` paths are removed after the files, with rmdir. Paths longer than
 * PATH_MAX, or past the registry's 32 entries, are not registered: returns -1 (not logged). */
int signals_register(const char *path, int is_dir);
/* Registers `path` followed by `suffix` ("-wal", "-shm", ".tmp"), a file. Returns 0 or -1. */
int signals_register_suffixed(const char *path, const char *suffix);
/* Forgets a path (it was removed or renamed into place); a path not registered is ignored. */
void signals_forget(const char *path);
/* Forgets every registered path that starts with `prefix` (a folder and what is in it). */
void signals_forget_prefix(const char *prefix);

/* How many lines the progress block holds on the terminal now (progress.c). */
void signals_set_progress_lines(int lines);

#endif
