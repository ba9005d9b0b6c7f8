/* tds_login: the PRELOGIN exchange and the LOGIN7 record: decoding what the client sends and
   the token sequences that accept or refuse it. */
#ifndef TDS_LOGIN_H
#define TDS_LOGIN_H

#include <stddef.h>
#include <stdint.h>

#include "tds_wire.h"

/* What a LOGIN7 record carries that the server uses. Strings are malloc'd UTF-8. */
struct tds_login {
	uint32_t version;     /* as the client asks, e.g. TDS_VERSION_74 */
	uint32_t packet_size; /* 0: server default */
	char *host, *user, *password, *app, *server, *language, *database;
};

/* Answers the PRELOGIN request: version, no encryption (ENCRYPT_NOT_SUP), instance OK,
   thread id and MARS off (FreeTDS takes a reply without MARS for a pre-2005 server and
   falls back to TDS 7.1). Sends a whole message. Returns 0 or -1. */
int tds_login_prelogin_reply(struct tds_wire *w, uint32_t thread_id);
/* The same with the ENCRYPTION answer given (tds_tls.h TDS_ENCRYPT_*). */
int tds_login_prelogin_reply_encryption(struct tds_wire *w, uint32_t thread_id, int encryption);

/* Decodes a LOGIN7 record (the password is de-obfuscated). Returns 0, or -1 if the record is
   malformed; on success release out with tds_login_release. */
int tds_login_parse(const unsigned char *rec, size_t n, struct tds_login *out);

void tds_login_release(struct tds_login *l);

/* The TDS version the server speaks to a client asking for version: at most 7.4. */
uint32_t tds_login_negotiate(uint32_t version);

/* Sends the successful login reply for database: ENVCHANGEs (database, collation, language,
   packet size), INFO 5701/5703, LOGINACK, DONE. Returns 0 or -1. */
int tds_login_accept(struct tds_wire *w, uint32_t version, const char *database,
		     size_t old_packet_size, size_t new_packet_size);

/* Sends a refused login: the ERROR token(s) then DONE with the error flag. number is 18456
   (bad credentials), 4060 (database not available, followed by 18456) or 18452 (an
   integrated login this server cannot authenticate). Returns 0 or -1. */
int tds_login_refuse(struct tds_wire *w, uint32_t version, int number, const char *user,
		     const char *database);

#endif
