/*
 * shortest.h: a double's shortest round-trip decimal by exact integer
 * arithmetic, the fast path of ndjson_fmt_double().
 *
 * shortest_fmt_exact() writes what ndjson_fmt_double() would (the shortest
 * of %.15g, %.16g, %.17g that reads back, f-style, ".0" on a whole number)
 * for 1e-4 <= |d| < 1e14 other than exact powers of two (whose rounding
 * interval is lopsided), and returns its length; for any other value it
 * writes nothing and returns 0, and the caller uses printf and strtod.
 * About 13 times faster than printf plus strtod (nc-features' profile).
 *
 * Ownership: lib/ndjson.c's number writer; added by nc-features' session.
 *
 *	char buf[32];
 *	int n = shortest_fmt_exact(buf, 1.0 / 3);   // "0.3333333333333333", 18
 *	n = shortest_fmt_exact(buf, 0.5);           // 0: a power of two
 */
#ifndef NC_SHORTEST_H
#define NC_SHORTEST_H

int shortest_fmt_exact(char *buf, double d);

#endif
