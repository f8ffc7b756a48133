/*
 * Unit tests of lib/shortest.c through ndjson_fmt_double(): it must write
 * exactly what the plain method writes (printf %.15g..%.17g, the first
 * that strtod reads back, ".0" on a whole number: ndjson_fmt_double_plain), on
 * the values nc-features prints (window means and deviations of counts)
 * and on doubles of every kind: random bit patterns, neighbours of powers
 * of ten and of two, exact binary fractions whose decimals end in a tie.
 * shortest_fmt_exact() alone must agree wherever it answers, and answer
 * for most of them.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ndjson.h"
#include "shortest.h"
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

static long checked, differ, exact;

static void
check(double d)
{
	char want[64], got[64], ex[64];
	int nw = ndjson_fmt_double_plain(want, d), ng = ndjson_fmt_double(got, d);
	int ne = shortest_fmt_exact(ex, d);

	checked++;
	if (ne > 0)
		exact++;
	if (nw != ng || strcmp(want, got) != 0 ||
	    (ne > 0 && (ne != nw || strcmp(want, ex) != 0))) {
		if (differ++ < 10)
			printf("# %.17g: printf '%s', ndjson_fmt_double '%s', exact '%s'\n",
			    d, want, got, ne > 0 ? ex : "-");
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
	checked = differ = exact = 0;
	for (long i = 0; i < n; i++)
		gen();
	ok(differ == 0, "%s: %ld values, %ld differ (%ld by the exact path)",
	    what, checked, differ, exact);
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
	char buf[32];

	test_family("window means and deviations", gen_windows, 50000);
	ok(exact > 40000, "most window values take the exact path (%ld)", exact);
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

	is_str((ndjson_fmt_double(buf, 1.0 / 3), buf), "0.3333333333333333", "1/3");
	is_str((ndjson_fmt_double(buf, 100.0 / 7), buf), "14.285714285714286", "100/7");
	is_str((ndjson_fmt_double(buf, 0.1 + 0.2), buf), "0.30000000000000004", "0.1 + 0.2");
	is_str((ndjson_fmt_double(buf, 2.5), buf), "2.5", "2.5");
	is_str((ndjson_fmt_double(buf, 7.0), buf), "7.0", "a whole number keeps .0");
	ok(ndjson_fmt_double(buf, NAN) == 0 && ndjson_fmt_double(buf, INFINITY) == 0,
	    "NaN and infinity: 0");
	ok(shortest_fmt_exact(buf, 0.5) == 0 && shortest_fmt_exact(buf, 1e15) == 0 &&
	    shortest_fmt_exact(buf, 1e-5) == 0, "the exact path declines powers of two and "
	    "values out of its range");
	return tap_done();
}
