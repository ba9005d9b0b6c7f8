/* tds_login: PRELOGIN and LOGIN7 handling for the test server. */
#include "tds_login.h"
#include "tds_encode.h"
#include "tds_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SERVER_NAME "SUSDBTEST"

enum {
	PRELOGIN_VERSION = 0,
	PRELOGIN_ENCRYPTION = 1,
	PRELOGIN_INSTOPT = 2,
	PRELOGIN_THREADID = 3,
	PRELOGIN_MARS = 4,
	PRELOGIN_TERMINATOR = 0xFF,
	ENCRYPT_NOT_SUP = 2,
};

/* Offsets of the offset/length pairs in a LOGIN7 record (MS-TDS 2.2.6.4). */
enum {
	LOGIN_FIXED = 36,
	LOGIN_HOST = 36,
	LOGIN_USER = 40,
	LOGIN_PASSWORD = 44,
	LOGIN_APP = 48,
	LOGIN_SERVER = 52,
	LOGIN_LANGUAGE = 64,
	LOGIN_DATABASE = 68,
	LOGIN_MIN_LEN = 72,
};

int tds_login_prelogin_reply(struct tds_wire *w, uint32_t thread_id)
{
	return tds_login_prelogin_reply_encryption(w, thread_id, ENCRYPT_NOT_SUP);
}

int tds_login_prelogin_reply_encryption(struct tds_wire *w, uint32_t thread_id, int encryption)
{
	/* 10.50.1600, as the LOGINACK says */
	static const unsigned char version[6] = {10, 50, 0x06, 0x40, 0, 0};
	unsigned char data[6 + 1 + 1 + 4 + 1];
	unsigned char hdr[5 * 5 + 1];
	const struct {
		unsigned char token;
		size_t len;
	} opts[] = {{PRELOGIN_VERSION, 6},
		    {PRELOGIN_ENCRYPTION, 1},
		    {PRELOGIN_INSTOPT, 1},
		    {PRELOGIN_THREADID, 4},
		    {PRELOGIN_MARS, 1}};
	size_t i, off = sizeof(hdr), d = 0;

	memcpy(data, version, 6);
	data[6] = (unsigned char)encryption;
	data[7] = 0; /* instance name accepted */
	data[8] = (unsigned char)(thread_id >> 24);
	data[9] = (unsigned char)(thread_id >> 16);
	data[10] = (unsigned char)(thread_id >> 8);
	data[11] = (unsigned char)thread_id;
	data[12] = 0; /* MARS off */
	for (i = 0; i < 5; i++) {
		/* option offsets and lengths are big-endian */
		hdr[5 * i] = opts[i].token;
		hdr[5 * i + 1] = (unsigned char)(off >> 8);
		hdr[5 * i + 2] = (unsigned char)off;
		hdr[5 * i + 3] = 0;
		hdr[5 * i + 4] = (unsigned char)opts[i].len;
		off += opts[i].len;
		d += opts[i].len;
	}
	hdr[25] = PRELOGIN_TERMINATOR;
	tds_wire_begin(w, TDS_PKT_REPLY);
	tds_wire_put(w, hdr, sizeof(hdr));
	tds_wire_put(w, data, d);
	return tds_wire_end(w);
}

static uint16_t get16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The string whose offset/length pair is at rec[at]; NULL if it lies outside the record. */
static char *login_string(const unsigned char *rec, size_t n, size_t at, int obfuscated)
{
	size_t off = get16(rec + at), len = 2 * (size_t)get16(rec + at + 2);
	unsigned char *tmp;
	char *s;
	size_t i;

	if (off + len > n)
		return NULL;
	tmp = malloc(len + 1);
	if (!tmp)
		return NULL;
	memcpy(tmp, rec + off, len);
	if (obfuscated) {
		/* the client swapped the nibbles of each byte and XORed 0xA5 */
		for (i = 0; i < len; i++) {
			unsigned char b = tmp[i] ^ 0xA5;

			tmp[i] = (unsigned char)(b << 4 | b >> 4);
		}
	}
	s = tds_text_from_utf16le(tmp, len);
	free(tmp);
	return s;
}

int tds_login_parse(const unsigned char *rec, size_t n, struct tds_login *out)
{
	memset(out, 0, sizeof(*out));
	if (n < LOGIN_MIN_LEN || get32(rec) > n)
		return -1;
	out->version = get32(rec + 4);
	out->packet_size = get32(rec + 8);
	out->host = login_string(rec, n, LOGIN_HOST, 0);
	out->user = login_string(rec, n, LOGIN_USER, 0);
	out->password = login_string(rec, n, LOGIN_PASSWORD, 1);
	out->app = login_string(rec, n, LOGIN_APP, 0);
	out->server = login_string(rec, n, LOGIN_SERVER, 0);
	out->language = login_string(rec, n, LOGIN_LANGUAGE, 0);
	out->database = login_string(rec, n, LOGIN_DATABASE, 0);
	if (!out->host || !out->user || !out->password || !out->app || !out->server ||
	    !out->language || !out->database) {
		tds_login_release(out);
		return -1;
	}
	return 0;
}

void tds_login_release(struct tds_login *l)
{
	free(l->host);
	free(l->user);
	if (l->password) {
		/* do not leave the password lying in freed memory */
		memset(l->password, 0, strlen(l->password));
		free(l->password);
	}
	free(l->app);
	free(l->server);
	free(l->language);
	free(l->database);
	memset(l, 0, sizeof(*l));
}

uint32_t tds_login_negotiate(uint32_t version)
{
	if (version >= TDS_VERSION_74)
		return TDS_VERSION_74;
	if (version >= TDS_VERSION_73)
		return TDS_VERSION_73;
	if (version >= TDS_VERSION_72)
		return TDS_VERSION_72;
	return TDS_VERSION_71;
}

int tds_login_accept(struct tds_wire *w, uint32_t version, const char *database,
		     size_t old_packet_size, size_t new_packet_size)
{
	char msg[300], oldsz[16], newsz[16];

	tds_wire_begin(w, TDS_PKT_REPLY);
	tds_encode_envchange(w, TDS_ENV_DATABASE, database, "master");
	snprintf(msg, sizeof(msg), "Changed database context to '%s'.", database);
	tds_encode_message(w, version, 0, 5701, 2, 0, msg, SERVER_NAME);
	tds_encode_envchange_collation(w);
	tds_encode_envchange(w, TDS_ENV_LANGUAGE, "us_english", "");
	tds_encode_message(w, version, 0, 5703, 1, 0, "Changed language setting to us_english.",
			   SERVER_NAME);
	tds_encode_loginack(w, version);
	snprintf(oldsz, sizeof(oldsz), "%zu", old_packet_size);
	snprintf(newsz, sizeof(newsz), "%zu", new_packet_size);
	tds_encode_envchange(w, TDS_ENV_PACKETSIZE, newsz, oldsz);
	tds_encode_done(w, version, TDS_TOKEN_DONE, TDS_DONE_FINAL, TDS_CMD_NONE, 0);
	return tds_wire_end(w);
}

int tds_login_refuse(struct tds_wire *w, uint32_t version, int number, const char *user,
		     const char *database)
{
	char msg[600];

	tds_wire_begin(w, TDS_PKT_REPLY);
	if (number == 4060) {
		snprintf(msg, sizeof(msg),
			 "Cannot open database \"%s\" requested by the login. The login failed.",
			 database);
		tds_encode_message(w, version, 1, 4060, 1, 11, msg, SERVER_NAME);
	}
	if (number == 18452) {
		tds_encode_message(w, version, 1, 18452, 1, 14,
				   "Login failed. The login is from an untrusted domain and cannot "
				   "be used with Integrated authentication.",
				   SERVER_NAME);
		tds_encode_done(w, version, TDS_TOKEN_DONE, TDS_DONE_ERROR, TDS_CMD_NONE, 0);
		return tds_wire_end(w);
	}
	snprintf(msg, sizeof(msg), "Login failed for user '%s'.", user);
	tds_encode_message(w, version, 1, 18456, 1, 14, msg, SERVER_NAME);
	tds_encode_done(w, version, TDS_TOKEN_DONE, TDS_DONE_ERROR, TDS_CMD_NONE, 0);
	return tds_wire_end(w);
}
