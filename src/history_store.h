/* history_store: the store's connection, for the history module's own files only. */
#ifndef SUSAUDIT_HISTORY_STORE_H
#define SUSAUDIT_HISTORY_STORE_H

#include <sqlite3.h>

#include "history.h"

/* The open store's connection (owned by h). */
sqlite3 *history_connection(struct history *h);

#endif
