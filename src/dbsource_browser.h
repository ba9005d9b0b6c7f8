/* dbsource_browser: host\instance resolved through SQL Server Browser (SSRP, MS-SQLR) by
 * susaudit itself, within the login timeout, so that a missing instance or a browser behind a
 * firewall ends in words (FreeTDS 1.3 asks 16 times a second apart, whatever the timeout). */
#ifndef SUSAUDIT_DBSOURCE_BROWSER_H
#define SUSAUDIT_DBSOURCE_BROWSER_H

struct db_target;

/* When t->sql is "host\instance": asks SQL Browser on UDP 1434 of host for the instance's TCP
 * port. Returns 0 with *resolved "host:port" (malloc'd); 1 when t names no instance (*resolved
 * NULL); -1 with *error (malloc'd, naming the server) when the browser is silent within the
 * login timeout or does not know the instance (the instances it knows are listed). */
int db_browser_resolve(const struct db_target *t, char **resolved, char **error);

#endif
