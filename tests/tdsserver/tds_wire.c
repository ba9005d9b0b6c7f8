/* tds_wire: TDS packet framing for the test server. */
#include "tds_wire.h"
#include "tds_text.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { TDS_STATUS_EOM = 0x01 };

int tds_wire_init(struct tds_wire *w, int fd, uint16_t spid)
{
	memset(w, 0, sizeof(*w));
	w->fd = fd;
	w->spid = spid;
	w->packet_size = TDS_DEFAULT_PACKET_SIZE;
	w->out = malloc(TDS_MAX_PACKET_SIZE);
	if (!w->out)
		return -1;
	w->out_len = TDS_HEADER_SIZE;
	w->packet_id = 1;
	return 0;
}

void tds_wire_release(struct tds_wire *w)
{
	free(w->out);
	free(w->in);
	w->out = NULL;
	w->in = NULL;
}

size_t tds_wire_set_packet_size(struct tds_wire *w, size_t size)
{
	if (size < TDS_MIN_PACKET_SIZE)
		size = TDS_MIN_PACKET_SIZE;
	if (size > TDS_MAX_PACKET_SIZE)
		size = TDS_MAX_PACKET_SIZE;
	w->packet_size = size;
	return size;
}

/* Reads exactly n bytes; returns 0, or -1 on EOF or error. */
static int read_full(const struct tds_wire *w, unsigned char *buf, size_t n)
{
	while (n > 0) {
		ssize_t r = w->io ? (ssize_t)w->io->recv(w->io->ctx, buf, n) : recv(w->fd, buf, n, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		buf += r;
		n -= (size_t)r;
	}
	return 0;
}

static int write_full(struct tds_wire *w, const unsigned char *buf, size_t n)
{
	if (w->failed)
		return -1;
	while (n > 0) {
		ssize_t r = w->io ? (ssize_t)w->io->send(w->io->ctx, buf, n)
				  : send(w->fd, buf, n, MSG_NOSIGNAL);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			w->failed = 1;
			return -1;
		}
		buf += r;
		n -= (size_t)r;
	}
	return 0;
}

int tds_wire_read_message(struct tds_wire *w)
{
	unsigned char hdr[TDS_HEADER_SIZE];
	int type = -1;

	w->in_len = 0;
	for (;;) {
		size_t len;

		if (read_full(w, hdr, sizeof(hdr)) < 0) {
			w->failed = 1;
			return -1;
		}
		len = (size_t)hdr[2] << 8 | hdr[3];
		if (len < TDS_HEADER_SIZE || (type >= 0 && hdr[0] != type)) {
			w->failed = 1;
			return -1;
		}
		type = hdr[0];
		len -= TDS_HEADER_SIZE;
		if (w->in_len + len > w->in_cap) {
			size_t cap = (w->in_cap ? w->in_cap * 2 : 8192);
			unsigned char *p;

			while (cap < w->in_len + len)
				cap *= 2;
			p = realloc(w->in, cap);
			if (!p) {
				w->failed = 1;
				return -1;
			}
			w->in = p;
			w->in_cap = cap;
		}
		if (len > 0 && read_full(w, w->in + w->in_len, len) < 0) {
			w->failed = 1;
			return -1;
		}
		w->in_len += len;
		if (hdr[1] & TDS_STATUS_EOM) {
			if (w->io && w->io->message)
				w->io->message(w->io->ctx, type, w->in_len);
			return type;
		}
	}
}

void tds_wire_begin(struct tds_wire *w, unsigned char type)
{
	w->out_type = type;
	w->out_len = TDS_HEADER_SIZE;
	w->packet_id = 1;
}

static int send_packet(struct tds_wire *w, int last)
{
	size_t len = w->out_len;

	w->out[0] = w->out_type;
	w->out[1] = last ? TDS_STATUS_EOM : 0;
	w->out[2] = (unsigned char)(len >> 8);
	w->out[3] = (unsigned char)len;
	w->out[4] = (unsigned char)(w->spid >> 8);
	w->out[5] = (unsigned char)w->spid;
	w->out[6] = w->packet_id++;
	w->out[7] = 0;
	w->out_len = TDS_HEADER_SIZE;
	return write_full(w, w->out, len);
}

void tds_wire_put(struct tds_wire *w, const void *data, size_t n)
{
	const unsigned char *p = data;

	while (n > 0) {
		size_t room = w->packet_size - w->out_len;
		size_t k = n < room ? n : room;

		memcpy(w->out + w->out_len, p, k);
		w->out_len += k;
		p += k;
		n -= k;
		/* a full packet goes out at once unless it may be the last one of the message */
		if (w->out_len == w->packet_size && n > 0)
			send_packet(w, 0);
	}
}

/* Where k more bytes fit in the current packet, or NULL when they do not (the caller then
   goes through tds_wire_put, which sends the full packet). */
static unsigned char *reserve(struct tds_wire *w, size_t k)
{
	if (w->packet_size - w->out_len < k)
		return NULL;
	return w->out + w->out_len;
}

void tds_wire_u8(struct tds_wire *w, uint8_t v)
{
	tds_wire_put(w, &v, 1);
}

void tds_wire_u16(struct tds_wire *w, uint16_t v)
{
	unsigned char b[2] = {(unsigned char)v, (unsigned char)(v >> 8)};

	tds_wire_put(w, b, 2);
}

void tds_wire_u32(struct tds_wire *w, uint32_t v)
{
	unsigned char b[4];
	int i;

	for (i = 0; i < 4; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	tds_wire_put(w, b, 4);
}

void tds_wire_u64(struct tds_wire *w, uint64_t v)
{
	unsigned char b[8];
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	tds_wire_put(w, b, 8);
}

void tds_wire_utf16(struct tds_wire *w, const char *s, size_t n, size_t max_units)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	size_t units = 0;

	while (p < end && units < max_units) {
		unsigned char b[4], *dst;
		uint32_t cp = tds_text_next_utf8(&p, end);
		size_t k;

		if (cp > 0xFFFF && units + 2 > max_units)
			break;
		/* write straight into the packet when there is room: no call per byte */
		dst = reserve(w, 4);
		k = tds_text_put_utf16le(cp, dst ? dst : b);
		if (dst)
			w->out_len += k;
		else
			tds_wire_put(w, b, k);
		units += k / 2;
	}
}

void tds_wire_bvarchar(struct tds_wire *w, const char *s)
{
	size_t n = strlen(s), units = tds_text_utf16_units_max(s, n, 255);

	tds_wire_u8(w, (uint8_t)units);
	tds_wire_utf16(w, s, n, units);
}

void tds_wire_usvarchar(struct tds_wire *w, const char *s)
{
	size_t n = strlen(s), units = tds_text_utf16_units_max(s, n, 65535);

	tds_wire_u16(w, (uint16_t)units);
	tds_wire_utf16(w, s, n, units);
}

int tds_wire_end(struct tds_wire *w)
{
	return send_packet(w, 1);
}

int tds_wire_flush_partial(struct tds_wire *w)
{
	if (w->out_len == TDS_HEADER_SIZE)
		return w->failed ? -1 : 0;
	return send_packet(w, 0);
}

int tds_wire_poll_attention(struct tds_wire *w, int timeout_ms)
{
	struct pollfd pfd = {.fd = w->fd, .events = POLLIN};
	unsigned char hdr[TDS_HEADER_SIZE], junk[256];
	size_t len;
	int r;

	if (w->attention)
		return 1;
	if (w->failed)
		return -1;
	if (w->io && w->io->pending && w->io->pending(w->io->ctx))
		r = 1; /* decrypted bytes wait where poll cannot see them */
	else
		do
			r = poll(&pfd, 1, timeout_ms);
		while (r < 0 && errno == EINTR);
	if (r <= 0)
		return 0;
	/* the client sends nothing else while it waits for a reply */
	if (read_full(w, hdr, sizeof(hdr)) < 0 || hdr[0] != TDS_PKT_ATTENTION) {
		w->failed = 1;
		return -1;
	}
	len = ((size_t)hdr[2] << 8 | hdr[3]);
	len = len > TDS_HEADER_SIZE ? len - TDS_HEADER_SIZE : 0;
	while (len > 0) {
		size_t k = len < sizeof(junk) ? len : sizeof(junk);

		if (read_full(w, junk, k) < 0) {
			w->failed = 1;
			return -1;
		}
		len -= k;
	}
	w->attention = 1;
	return 1;
}
