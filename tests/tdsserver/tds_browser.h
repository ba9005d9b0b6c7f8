/* tds_browser: a SQL Server Browser responder for the test server (SSRP, MS-SQLR): answers
   CLNT_UCAST_INST for its one instance with the server's TCP port, and CLNT_BCAST_EX /
   CLNT_UCAST_EX with the list; stays silent for an unknown instance, as SQL Browser does.
   UDP 1434 is a fixed port: tests run it inside their own network namespace. */
#ifndef TDS_BROWSER_H
#define TDS_BROWSER_H

struct tds_browser;

/* Starts a thread answering on 127.0.0.1:udp_port for instance, naming tcp_port. silent:
   bind but never answer (a firewall that drops UDP 1434). Returns NULL after a message on
   stderr. */
struct tds_browser *tds_browser_start(int udp_port, const char *instance, int tcp_port,
				      int silent);

/* Stops the thread and frees b (NULL is fine). */
void tds_browser_stop(struct tds_browser *b);

#endif
