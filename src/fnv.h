/* fnv: the FNV-1a hash, 64 bits (finding ids, the intern table, category lists). Fast and
 * stable across runs and machines; not for anything an attacker could choose to collide. */
#ifndef SUSAUDIT_FNV_H
#define SUSAUDIT_FNV_H

#include <stddef.h>
#include <stdint.h>

#define FNV1A_INIT UINT64_C(0xcbf29ce484222325)

/* h extended by n bytes at p. */
static inline uint64_t fnv1a_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

/* h extended by the characters of s; NULL adds nothing. */
static inline uint64_t fnv1a_str(uint64_t h, const char *s)
{
	for (; s && *s; s++) {
		h ^= (unsigned char)*s;
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

#endif
