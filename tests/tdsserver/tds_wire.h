/* tds_wire: TDS packet framing for the test server: reading client messages, buffering the
   reply into packets of the negotiated size, and noticing ATTENTION while a reply runs. */
#ifndef TDS_WIRE_H
#define TDS_WIRE_H

#include <stddef.h>
#include <stdint.h>

/* Packet types (MS-TDS 2.2.3.1.1) the server reads or writes. */
enum {
	TDS_PKT_SQL_BATCH = 0x01,
	TDS_PKT_RPC = 0x03,
	TDS_PKT_REPLY = 0x04,
	TDS_PKT_ATTENTION = 0x06,
	TDS_PKT_LOGIN7 = 0x10,
	TDS_PKT_PRELOGIN = 0x12,
};

#define TDS_HEADER_SIZE 8
#define TDS_DEFAULT_PACKET_SIZE 4096
#define TDS_MIN_PACKET_SIZE 512
#define TDS_MAX_PACKET_SIZE 32767

/* How a wire moves bytes when not straight on its socket (tds_tls: TLS, the capture). recv
   and send return what recv(2)/send(2) would; pending says whether bytes already wait inside
   (decrypted) where poll(2) cannot see them; message hears of every whole message read. */
struct tds_wire_io {
	long (*recv)(void *ctx, void *buf, size_t n);
	long (*send)(void *ctx, const void *buf, size_t n);
	int (*pending)(void *ctx);
	void (*message)(void *ctx, int type, size_t len);
	void *ctx;
};

struct tds_wire {
	int fd;
	uint16_t spid;		 /* put in every packet header we send */
	size_t packet_size;	 /* output packets never exceed it */
	unsigned char *out;	 /* packet_size bytes: header then payload */
	size_t out_len;		 /* bytes used in out, header included */
	unsigned char out_type;	 /* type of the message being written */
	unsigned char packet_id; /* sequence number of the next packet */
	int failed;		 /* a read or write failed: the peer is gone */
	int attention;		 /* an ATTENTION arrived while a reply was in progress */
	unsigned char *in;	 /* payload of the last message read (headers stripped) */
	size_t in_len, in_cap;
	const struct tds_wire_io *io; /* NULL: plain recv/send on fd */
};

/* Sets up w for the connected socket fd with the default packet size. Returns 0 or -1
   (out of memory). */
int tds_wire_init(struct tds_wire *w, int fd, uint16_t spid);

/* Frees the buffers (the socket stays open: the caller owns it). */
void tds_wire_release(struct tds_wire *w);

/* Switches to a new packet size, clamped to 512..32767; call between messages only.
   Returns the size in effect. */
size_t tds_wire_set_packet_size(struct tds_wire *w, size_t size);

/* Reads one whole message (packets up to the one flagged end-of-message) into w->in.
   Returns its packet type, or -1 on end of stream or a malformed packet. */
int tds_wire_read_message(struct tds_wire *w);

/* Starts a reply message of the given packet type. */
void tds_wire_begin(struct tds_wire *w, unsigned char type);

/* Append to the current message; full packets go out as they fill. Writes after a failure
   are dropped (w->failed tells). */
void tds_wire_put(struct tds_wire *w, const void *data, size_t n);
void tds_wire_u8(struct tds_wire *w, uint8_t v);
void tds_wire_u16(struct tds_wire *w, uint16_t v); /* little-endian, as are the others */
void tds_wire_u32(struct tds_wire *w, uint32_t v);
void tds_wire_u64(struct tds_wire *w, uint64_t v);
/* Appends UTF-8 text s[0..n) as UTF-16LE, at most max_units code units. */
void tds_wire_utf16(struct tds_wire *w, const char *s, size_t n, size_t max_units);
/* B_VARCHAR (1-byte length in characters) and US_VARCHAR (2-byte) forms of a string. */
void tds_wire_bvarchar(struct tds_wire *w, const char *s);
void tds_wire_usvarchar(struct tds_wire *w, const char *s);

/* Sends the buffered rest of the message flagged end-of-message. Returns 0 or -1. */
int tds_wire_end(struct tds_wire *w);

/* Sends what is buffered without ending the message (the drop-connection fault uses it to
   leave the client with a truncated reply). Returns 0 or -1. */
int tds_wire_flush_partial(struct tds_wire *w);

/* Waits up to timeout_ms (0: just looks) for input from the client during a reply. An
   ATTENTION packet is consumed and sets w->attention. Returns 1 if w->attention is set,
   0 if not, -1 when the client went away. */
int tds_wire_poll_attention(struct tds_wire *w, int timeout_ms);

#endif
