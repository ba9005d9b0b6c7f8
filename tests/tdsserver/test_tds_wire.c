/* test_tds_wire: the TDS test server's framing as a client without FreeTDS sees it. FreeTDS
   accepts packets larger than it negotiated, so only a raw client proves that replies are split
   at the negotiated size, numbered, flagged end-of-message on their last packet only, and
   that the login reply reports the packet size change as SQL Server does. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "test_support.h"

#define HEADER 8

static struct tds_server server;

/* A message as received: payload of all its packets, and what the packets looked like. */
struct message {
	unsigned char *data;
	size_t len;
	int type;
	int packets;
	size_t largest; /* largest packet, header included */
};

static int connect_to(int port)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	return fd;
}

static void write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		assert_true(w > 0);
		p += w;
		n -= (size_t)w;
	}
}

static void read_all(int fd, unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t r = read(fd, p, n);

		if (r <= 0)
			fail_msg("the server closed the connection");
		p += r;
		n -= (size_t)r;
	}
}

/* Sends one message of the given type in packets of at most packet_size bytes. */
static void send_message(int fd, unsigned char type, const unsigned char *payload, size_t n,
			 size_t packet_size)
{
	unsigned char id = 1;

	do {
		size_t k = n < packet_size - HEADER ? n : packet_size - HEADER;
		unsigned char pkt[32768];

		pkt[0] = type;
		pkt[1] = k == n ? 1 : 0;
		pkt[2] = (unsigned char)((k + HEADER) >> 8);
		pkt[3] = (unsigned char)(k + HEADER);
		pkt[4] = pkt[5] = 0;
		pkt[6] = id++;
		pkt[7] = 0;
		memcpy(pkt + HEADER, payload, k);
		write_all(fd, pkt, k + HEADER);
		payload += k;
		n -= k;
	} while (n > 0);
}

/* Reads one whole reply and checks every packet header on the way. */
static void read_message(int fd, struct message *m)
{
	unsigned char expected_id = 1;
	int spid = -1;

	memset(m, 0, sizeof(m[0]));
	m->type = -1;
	for (;;) {
		unsigned char h[HEADER];
		size_t len;

		read_all(fd, h, HEADER);
		len = (size_t)h[2] << 8 | h[3];
		assert_true(len >= HEADER);
		if (m->type < 0)
			m->type = h[0];
		assert_int_equal(h[0], m->type);
		/* packet numbers run 1, 2, ... (modulo 256); the SPID is the same in each */
		assert_int_equal(h[6], expected_id);
		expected_id++;
		if (spid < 0)
			spid = h[4] << 8 | h[5];
		assert_int_equal(h[4] << 8 | h[5], spid);
		m->data = realloc(m->data, m->len + len - HEADER + 1);
		assert_non_null(m->data);
		read_all(fd, m->data + m->len, len - HEADER);
		m->len += len - HEADER;
		m->packets++;
		if (len > m->largest)
			m->largest = len;
		assert_int_equal(h[1] & ~1, 0); /* no status bit but end-of-message */
		if (h[1] & 1)
			return;
	}
}

static size_t put_utf16(unsigned char *out, const char *ascii)
{
	size_t i;

	for (i = 0; ascii[i]; i++) {
		out[2 * i] = (unsigned char)ascii[i];
		out[2 * i + 1] = 0;
	}
	return 2 * i;
}

static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, v & 0xFFFF);
	put16(p + 2, v >> 16);
}

/* PRELOGIN, then a TDS 7.4 LOGIN7 asking for packet_size. Returns the login reply. */
static int log_in_to(const struct tds_server *srv, uint32_t packet_size, struct message *reply)
{
	static const unsigned char prelogin[] = {0x00, 0x00, 0x06, 0x00, 0x06, 0xFF,
						 0x0B, 0x00, 0x0C, 0x38, 0x00, 0x00};
	const char *strings[] = {"rawhost", TEST_USER, TEST_PASSWORD, "test_tds_wire",
				 "server",  "",	       "us_english",  "SUSDB"};
	/* offsets of the (offset, length) pairs for the strings above, in LOGIN7 */
	static const size_t at[] = {36, 40, 44, 48, 52, 60, 64, 68};
	unsigned char rec[512];
	size_t off = 94, i;
	struct message m;
	int fd = connect_to(srv->port);

	send_message(fd, 0x12, prelogin, sizeof(prelogin), 4096);
	read_message(fd, &m);
	assert_int_equal(m.type, 0x04);
	free(m.data);

	memset(rec, 0, sizeof(rec));
	put32(rec + 4, 0x74000004u);
	put32(rec + 8, packet_size);
	put32(rec + 12, 7);
	put32(rec + 16, (uint32_t)getpid());
	rec[24] = 0xE0; /* USE_DB, INIT_DB_FATAL, SET_LANG */
	rec[25] = 0x03; /* INIT_LANG_FATAL, ODBC */
	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		size_t n = put_utf16(rec + off, strings[i]);

		if (i == 2) { /* the password: nibbles swapped, XOR 0xA5 */
			size_t k;

			for (k = off; k < off + n; k++) {
				unsigned char b = rec[k];

				rec[k] = (unsigned char)(((b << 4) | (b >> 4)) ^ 0xA5);
			}
		}
		put16(rec + at[i], (unsigned)off);
		put16(rec + at[i] + 2, (unsigned)(n / 2));
		off += n;
	}
	for (i = 78; i < 90; i += 4)
		put16(rec + i, (unsigned)off); /* SSPI, AtchDBFile, ChangePassword: empty */
	put32(rec, (uint32_t)off);
	send_message(fd, 0x10, rec, off, 4096);
	read_message(fd, reply);
	return fd;
}

static int log_in(uint32_t packet_size, struct message *reply)
{
	return log_in_to(&server, packet_size, reply);
}

/* The value pair of the first ENVCHANGE of the given type in a token stream, as ASCII. */
static int find_envchange(const struct message *m, int type, char *new_value, char *old_value)
{
	size_t i;

	for (i = 0; i + 3 < m->len; i++) {
		size_t len = m->data[i + 1] | (size_t)m->data[i + 2] << 8, k, p;

		if (m->data[i] != 0xE3 || m->data[i + 3] != type || i + 3 + len > m->len)
			continue;
		p = i + 4;
		for (k = 0; k < m->data[p]; k++)
			new_value[k] = (char)m->data[p + 1 + 2 * k];
		new_value[k] = '\0';
		p += 1 + 2 * (size_t)m->data[p];
		for (k = 0; k < m->data[p]; k++)
			old_value[k] = (char)m->data[p + 1 + 2 * k];
		old_value[k] = '\0';
		return 1;
	}
	return 0;
}

/* The login reply announces the change from the default 4096 to the size asked for; a long
   result then arrives in packets of exactly that size but the last. */
static void test_replies_split_at_negotiated_size(void **state)
{
	static const char sql[] = "SELECT ID, Name, Guid FROM dbo.tbMany ORDER BY ID";
	unsigned char batch[22 + 2 * sizeof(sql)];
	char new_value[64], old_value[64];
	struct message m;
	int fd;

	(void)state;
	fd = log_in(512, &m);
	assert_int_equal(m.type, 0x04);
	assert_true(m.len > 0 && m.data[m.len - 13] == 0xFD); /* ends with a DONE */
	assert_true(find_envchange(&m, 4, new_value, old_value));
	assert_string_equal(new_value, "512");
	assert_string_equal(old_value, "4096");
	assert_true(m.largest <= 512);
	free(m.data);

	/* ALL_HEADERS with a transaction descriptor, then the batch text */
	memset(batch, 0, sizeof(batch));
	put32(batch, 22);
	put32(batch + 4, 18);
	put16(batch + 8, 2);
	put32(batch + 18, 1);
	send_message(fd, 0x01, batch, 22 + put_utf16(batch + 22, sql), 512);
	read_message(fd, &m);
	assert_int_equal(m.type, 0x04);
	/* 1500 rows of about 90 bytes: well over a hundred packets, each full but the last */
	assert_true(m.packets > 100);
	assert_int_equal(m.largest, 512);
	assert_true(m.len > (size_t)(m.packets - 1) * (512 - HEADER));
	assert_int_equal(m.data[0], 0x81); /* COLMETADATA first */
	free(m.data);
	close(fd);
}

/* A client asking for less than SQL Server's minimum gets 512, and is told so. */
static void test_packet_size_minimum(void **state)
{
	char new_value[64], old_value[64];
	struct message m;
	int fd;

	(void)state;
	fd = log_in(256, &m);
	assert_true(find_envchange(&m, 4, new_value, old_value));
	assert_string_equal(new_value, "512");
	assert_string_equal(old_value, "4096");
	free(m.data);
	close(fd);
}

/* A server told to speak TDS 7.3 (SQL Server 2008 and 2008 R2) answers a 7.4 LOGIN7 with a
   7.3 LOGINACK, big-endian as SQL Server writes it. */
static void test_loginack_tds73(void **state)
{
	static const unsigned char v73[4] = {0x73, 0x0B, 0x00, 0x03};
	struct tds_server_options o = {.tds_version = "7.3"};
	struct tds_server old;
	struct message m;
	size_t i;
	int fd, found = 0;

	(void)state;
	test_start_server(&old, &o);
	fd = log_in_to(&old, 4096, &m);
	for (i = 0; i + 8 < m.len && !found; i++)
		/* LOGINACK: token, length, interface 1 (T-SQL), then the version */
		if (m.data[i] == 0xAD && m.data[i + 3] == 1 && memcmp(m.data + i + 4, v73, 4) == 0)
			found = 1;
	assert_true(found);
	free(m.data);
	close(fd);
	tds_server_stop(&old);
}

static int setup(void **state)
{
	(void)state;
	test_start_server(&server, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tds_server_stop(&server);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_replies_split_at_negotiated_size),
	    cmocka_unit_test(test_packet_size_minimum),
	    cmocka_unit_test(test_loginack_tds73),
	};

	tds_harness_set_server(SUSDB_TDS_SERVER);
	return cmocka_run_group_tests(tests, setup, teardown);
}
