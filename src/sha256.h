/* sha256: the content hash of snapshot packs (FIPS 180-4), so equal data is stored once. */
#ifndef SUSAUDIT_SHA256_H
#define SUSAUDIT_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	unsigned char block[64];
	size_t fill;
	uint64_t bytes;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
/* Writes the 32-byte digest; the context is spent. */
void sha256_final(struct sha256 *c, unsigned char out[32]);
/* The digest of one buffer. */
void sha256(const void *data, size_t len, unsigned char out[32]);

#endif
