/*
 * features_fmt.h: number formatting for nc-features' hot path.
 *
 * ffmt_double() writes exactly what ndjson_fmt_double() writes (the
 * shortest of %.15g, %.16g, %.17g that reads back, with ".0" on a whole
 * number) but, for 1e-4 <= |d| < 1e14, without printf and strtod: the
 * digits and the read-back test come from exact 128-bit integer
 * arithmetic on the double's mantissa.  Other values, and the rare ones
 * at a power of two (whose rounding interval is lopsided), go to
 * ndjson_fmt_double().
 *
 * A struct ffmt_cache remembers the text of recent values (a direct-mapped
 * table by the double's bits): window means of counts repeat a lot.
 *
 * Ownership: nc-features' (lib/features_*).  The functions keep no state;
 * a cache belongs to its caller (one per thread), ffmt_cache_release()
 * frees it; a string it returns lives until the next call on it.
 *
 *	char buf[FFMT_BUFSZ];
 *	int n = ffmt_double(buf, 1.0 / 3);   // "0.3333333333333333", 18
 *	n = ffmt_long(buf, -42);             // "-42", 3
 *	struct ffmt_cache c = { 0 };
 *	const char *s = ffmt_cached(&c, 2.5, &n);   // "2.5", 3
 *	ffmt_cache_release(&c);
 */
#ifndef NC_FEATURES_FMT_H
#define NC_FEATURES_FMT_H

#define FFMT_BUFSZ 32

/* Returns the length written (NUL-terminated), or 0 for NaN or infinity. */
int ffmt_double(char *buf, double d);
/* v in decimal; returns the length (NUL-terminated). */
int ffmt_long(char *buf, long long v);

struct ffmt_slot;
struct ffmt_cache {
	struct ffmt_slot *slot;
};

/* ffmt_double(d) from the cache: the text and its length in *len (0 and
 * "" for NaN or infinity). */
const char *ffmt_cached(struct ffmt_cache *c, double d, int *len);
void ffmt_cache_release(struct ffmt_cache *c);

#endif
