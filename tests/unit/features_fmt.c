/*
 * Unit tests of lib/features_fmt.c: ffmt_double() must write exactly what
 * ndjson_fmt_double() (printf %.15g..%.17g and strtod) writes, on the
 * values nc-features prints (window means and deviations of counts) and
 * on doubles of every kind: random bit patterns, neighbours of powers of
 * ten and of two, exact binary fractions whose decimals end in a tie.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "features_fmt.h"
#include "ndjson.h"
#include "tap.h"

static uint64_t state = 88172645463325252ULL;

static uint64_t
rnd(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

static long checked, differ;

static void
check(double d)
{
	char want[64], got[64];
	int nw = ndjson_fmt_double(want, d), ng = ffmt_double(got, d);

	checked++;
	if (nw != ng || strcmp(want, got) != 0) {
		if (differ++ < 10)
			printf("# %.17g: ndjson_fmt_double '%s', ffmt_double '%s'\n", d, want, got);
	}
}

static double
from_bits(uint64_t b)
{
	double d;

	memcpy(&d, &b, sizeof(d));
	return d;
}

static uint64_t
to_bits(double d)
{
	uint64_t b;

	memcpy(&b, &d, sizeof(b));
	return b;
}

static void
test_family(const char *what, void (*gen)(void), long n)
{
	checked = differ = 0;
	for (long i = 0; i < n; i++)
		gen();
	ok(differ == 0, "%s: %ld values, %ld differ", what, checked, differ);
}

static void
gen_windows(void)
{
	/* A mean or sample deviation over up to 30 counts. */
	double s = (double)(rnd() % 5000), m = (double)(1 + rnd() % 30);

	check(s / m);
	check(-s / m);
	check(sqrt(s / m));
	check(sqrt((double)(rnd() % 100000) / 6.0));
}

static void
gen_bits(void)
{
	check(from_bits(rnd()));
}

static void
gen_decades(void)
{
	/* Log-uniform over 1e-6 .. 1e16 (both sides of the fast range),
	 * and the doubles next to the value. */
	double d = pow(10, -6 + (double)(rnd() % 22000000) / 1e6);
	uint64_t b = to_bits(d);

	check(d);
	check(-d);
	check(from_bits(b + 1));
	check(from_bits(b - 1));
}

static void
gen_ties(void)
{
	/* k / 2^sh with 16 to 20 significant digits: decimals ending in 5. */
	int sh = 1 + (int)(rnd() % 20);
	uint64_t ip = rnd() % (1ULL << (44 - sh + (int)(rnd() % 4)));

	check(ldexp((double)((ip << sh) | (rnd() & ((1ULL << sh) - 1)) | 1), -sh));
}

int
main(void)
{
	char buf[FFMT_BUFSZ];

	test_family("window means and deviations", gen_windows, 50000);
	test_family("random bit patterns", gen_bits, 50000);
	test_family("log-uniform 1e-6..1e16 and neighbours", gen_decades, 50000);
	test_family("binary fractions with ties", gen_ties, 50000);
	checked = differ = 0;
	for (int e = -6; e <= 16; e++)
		for (int k = -40; k <= 40; k++)
			check(from_bits(to_bits(pow(10, e)) + (uint64_t)k));
	for (int e = -80; e < 60; e++) {
		check(ldexp(1, e));
		check(ldexp(3, e));
		check(nextafter(ldexp(1, e), 0));
	}
	check(0.0);
	check(-0.0);
	check(123456789012.0625);
	check(1e14);
	check(1e-4);
	ok(differ == 0, "powers of ten and two and their neighbours: %ld values, %ld differ",
	    checked, differ);

	is_str((ffmt_double(buf, 1.0 / 3), buf), "0.3333333333333333", "1/3");
	is_str((ffmt_double(buf, 100.0 / 7), buf), "14.285714285714286", "100/7");
	is_str((ffmt_double(buf, 0.1 + 0.2), buf), "0.30000000000000004", "0.1 + 0.2");
	is_str((ffmt_double(buf, 2.5), buf), "2.5", "2.5");
	is_str((ffmt_double(buf, 7.0), buf), "7.0", "a whole number keeps .0");
	ok(ffmt_double(buf, NAN) == 0 && ffmt_double(buf, INFINITY) == 0, "NaN and infinity: 0");
	{
		struct ffmt_cache c = { 0 };
		int n, same = 1;

		/* More values than slots, each twice: hits, misses, collisions. */
		for (int round = 0; round < 2; round++)
			for (int i = 0; i < 20000; i++) {
				double d = (double)(i % 5000) / (1 + i % 7);
				const char *s = ffmt_cached(&c, d, &n);

				ffmt_double(buf, d);
				same &= n == (int)strlen(buf) && strcmp(s, buf) == 0;
			}
		ok(same, "ffmt_cached gives what ffmt_double gives");
		ok(ffmt_cached(&c, NAN, &n) != NULL && n == 0, "ffmt_cached NaN: length 0");
		ffmt_cache_release(&c);
	}
	is_str((ffmt_long(buf, 0), buf), "0", "ffmt_long 0");
	is_str((ffmt_long(buf, -42), buf), "-42", "ffmt_long -42");
	is_str((ffmt_long(buf, INT64_MIN), buf), "-9223372036854775808", "ffmt_long INT64_MIN");
	return tap_done();
}
