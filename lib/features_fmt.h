/*
 * features_fmt.h: number formatting for nc-features' hot path.
 *
 * Doubles are written by ndjson_fmt_double() (whose fast path is
 * lib/shortest.c); a struct ffmt_cache remembers the text of recent values
 * (a direct-mapped table by the double's bits): window means of counts
 * repeat a lot.  (Integers: ndjson_fmt_long().)
 *
 * Ownership: nc-features' (lib/features_*).  A cache belongs to its
 * caller (one per thread), ffmt_cache_release() frees it; a string it
 * returns lives until the next call on it.
 *
 *	struct ffmt_cache c = { 0 };
 *	const char *s = ffmt_cached(&c, 2.5, &n);   // "2.5", 3
 *	ffmt_cache_release(&c);
 */
#ifndef NC_FEATURES_FMT_H
#define NC_FEATURES_FMT_H

#define FFMT_BUFSZ 32

struct ffmt_slot;
struct ffmt_cache {
	struct ffmt_slot *slot;
};

/* ndjson_fmt_double(d) from the cache: the text and its length in *len (0 and
 * "" for NaN or infinity). */
const char *ffmt_cached(struct ffmt_cache *c, double d, int *len);
void ffmt_cache_release(struct ffmt_cache *c);

#endif
