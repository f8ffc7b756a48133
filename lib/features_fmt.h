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
 * Ownership: nc-features' (lib/features_*); plain functions, no state.
 *
 *	char buf[FFMT_BUFSZ];
 *	int n = ffmt_double(buf, 1.0 / 3);   // "0.3333333333333333", 18
 *	n = ffmt_long(buf, -42);             // "-42", 3
 */
#ifndef NC_FEATURES_FMT_H
#define NC_FEATURES_FMT_H

#define FFMT_BUFSZ 32

/* Returns the length written (NUL-terminated), or 0 for NaN or infinity. */
int ffmt_double(char *buf, double d);
/* v in decimal; returns the length (NUL-terminated). */
int ffmt_long(char *buf, long long v);

#endif
