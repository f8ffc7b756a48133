/*
 * features_fmt.c: integers without printf, and a cache of formatted
 * doubles (features_fmt.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "features_fmt.h"
#include "nc.h"
#include "ndjson.h"

#define CACHE_BITS 12

struct ffmt_slot {
	uint64_t bits;
	int len;                /* -1: empty */
	char s[FFMT_BUFSZ];
};

const char *
ffmt_cached(struct ffmt_cache *c, double d, int *len)
{
	struct ffmt_slot *e;
	uint64_t bits;

	if (c->slot == NULL) {
		c->slot = xcalloc((size_t)1 << CACHE_BITS, sizeof(*c->slot));
		for (size_t i = 0; i < (size_t)1 << CACHE_BITS; i++)
			c->slot[i].len = -1;
	}
	memcpy(&bits, &d, sizeof(bits));
	e = &c->slot[(bits * 0x9e3779b97f4a7c15ULL) >> (64 - CACHE_BITS)];
	if (e->len < 0 || e->bits != bits) {
		e->bits = bits;
		e->len = ndjson_fmt_double(e->s, d);
		if (e->len == 0)
			e->s[0] = '\0';
	}
	*len = e->len;
	return e->s;
}

void
ffmt_cache_release(struct ffmt_cache *c)
{
	free(c->slot);
	c->slot = NULL;
}
