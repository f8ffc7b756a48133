/*
 * Unit tests of lib/extsort.c: the records come out in the order of a
 * reference sort (qsort by key, memcmp shorter first, then the order they
 * were added) whether they fit in memory or spill to runs merged in one or
 * many passes; keys with NUL bytes, equal keys, prefixes of each other,
 * empty keys and payloads, a record larger than the buffer; the same
 * again after extsort_rewind(); the sizes -S accepts; extsort_key_escape()
 * keeps (key, then suffix) order; the reorder window.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extsort.h"
#include "nc.h"
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

struct item {
	char key[40];
	size_t klen;
	char pay[300];
	size_t plen;
	size_t seq;
};

static int
item_cmp(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;
	int c = memcmp(a->key, b->key, a->klen < b->klen ? a->klen : b->klen);

	if (c != 0)
		return c;
	if (a->klen != b->klen)
		return a->klen < b->klen ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Keys from a small alphabet with NUL and 01 bytes, short and long, many
 * equal, many prefixes of others. */
static void
make_items(struct item *v, size_t n)
{
	static const char alpha[] = { 0, 1, 'A', 'B', 'z', (char)0xff };

	for (size_t i = 0; i < n; i++) {
		v[i].klen = rnd() % 4 == 0 ? rnd() % 40 : rnd() % 4 == 0 ? 0 : 26 + rnd() % 3;
		for (size_t k = 0; k < v[i].klen; k++)
			v[i].key[k] = k < 20 && rnd() % 8 != 0 ? 'K' : alpha[rnd() % 6];
		v[i].plen = rnd() % 300;
		for (size_t k = 0; k < v[i].plen; k++)
			v[i].pay[k] = (char)rnd();
		v[i].seq = i;
	}
}

/* Sort v through extsort with mem and fanin; 1 when the order matches. */
static int
check(struct item *v, size_t n, size_t mem, int fanin, size_t *runs, size_t *merges)
{
	struct extsort_opts o = { .mem = mem, .fanin = fanin };
	struct item *want = malloc(n * sizeof(*want));
	struct extsort es;
	struct extsort_rec r;
	size_t i = 0;
	int good = 1;

	memcpy(want, v, n * sizeof(*want));
	qsort(want, n, sizeof(*want), item_cmp);
	extsort_init(&es, &o);
	for (size_t k = 0; k < n; k++)
		extsort_add(&es, v[k].key, v[k].klen, v[k].pay, v[k].plen);
	extsort_finish(&es);
	while (extsort_next(&es, &r) == 1) {
		if (i >= n || r.seq != want[i].seq || r.klen != want[i].klen ||
		    r.plen != want[i].plen || memcmp(r.key, want[i].key, r.klen) != 0 ||
		    memcmp(r.payload, want[i].pay, r.plen) != 0)
			good = 0;
		i++;
	}
	good = good && i == n && extsort_next(&es, &r) == 0;
	/* Rewound: the same records again, in the same order. */
	extsort_rewind(&es);
	for (i = 0; extsort_next(&es, &r) == 1; i++)
		if (i >= n || r.seq != want[i].seq || r.plen != want[i].plen ||
		    memcmp(r.payload, want[i].pay, r.plen) != 0)
			good = 0;
	good = good && i == n;
	*runs = es.runs_written;
	*merges = es.merge_passes;
	extsort_release(&es);
	free(want);
	return good;
}

static void
test_orders(void)
{
	enum { N = 20000 };
	static struct item v[N];
	size_t runs, merges;

	make_items(v, N);
	ok(check(v, N, (size_t)64 << 20, 0, &runs, &merges) && runs == 0,
	    "in memory: %d records in order, no run written", N);
	ok(check(v, N, (size_t)2 << 20, 0, &runs, &merges) && runs > 1 && merges == 0,
	    "2M buffer: %zu runs merged in one pass", runs);
	ok(check(v, N, (size_t)64 << 10, 2, &runs, &merges) && merges > 10,
	    "64K buffer, fan-in 2: %zu runs, %zu merges before the last", runs, merges);
	ok(check(v, N, (size_t)64 << 10, 5, &runs, &merges) && merges > 1,
	    "64K buffer, fan-in 5: %zu runs, %zu merges before the last", runs, merges);
	ok(check(v, 0, (size_t)64 << 10, 2, &runs, &merges), "no records");
	ok(check(v, 1, (size_t)64 << 10, 2, &runs, &merges), "one record");
}

static void
test_big_record(void)
{
	struct extsort_opts o = { .mem = 16 << 10 };
	struct extsort es;
	struct extsort_rec r;
	char *big = malloc(100000);
	int good;

	memset(big, 'x', 100000);
	extsort_init(&es, &o);
	extsort_add(&es, "b", 1, "small", 5);
	extsort_add(&es, "a", 1, big, 100000);
	extsort_add(&es, "c", 1, "small", 5);
	extsort_finish(&es);
	good = extsort_next(&es, &r) == 1 && r.plen == 100000 && *r.key == 'a' &&
	    memcmp(r.payload, big, 100000) == 0;
	good = good && extsort_next(&es, &r) == 1 && *r.key == 'b';
	good = good && extsort_next(&es, &r) == 1 && *r.key == 'c';
	good = good && extsort_next(&es, &r) == 0;
	ok(good && es.runs_written >= 2, "a record larger than -S 16K sorts (%zu runs)",
	    es.runs_written);
	extsort_release(&es);
	free(big);
}

static void
test_sizes(void)
{
	size_t s = 0;

	ok(extsort_parse_size("64K", &s) == 0 && s == 65536, "64K");
	ok(extsort_parse_size("32M", &s) == 0 && s == 33554432, "32M");
	ok(extsort_parse_size("1G", &s) == 0 && s == 1073741824, "1G");
	ok(extsort_parse_size("100", &s) == 0 && s == 102400, "100 is KiB, as in sort(1)");
	ok(extsort_parse_size("20000b", &s) == 0 && s == 20000, "20000b");
	ok(extsort_parse_size("1000b", &s) == -1, "1000b: under the minimum");
	ok(extsort_parse_size("12X", &s) == -1, "12X: no such suffix");
	ok(extsort_parse_size("M", &s) == -1, "M: no number");
	ok(extsort_parse_size("-5M", &s) == -1, "-5M: negative");
	ok(extsort_parse_size("5MB", &s) == -1, "5MB: trailing text");
}

/* escape(a) 00 x sorts as (a, x) for keys with NUL and 01 bytes. */
static void
test_escape(void)
{
	static const char *const keys[] = { "", "\0", "\0\0", "\1", "\1\0", "\2", "A",
	    "A\0", "A\1", "AB" };
	static const size_t lens[] = { 0, 1, 2, 1, 2, 1, 1, 2, 2, 2 };
	int good = 1;

	for (size_t i = 0; i < 10; i++)
		for (size_t j = 0; j < 10; j++)
			for (int x = 0; x < 2; x++)
				for (int y = 0; y < 2; y++) {
					struct strbuf a = { 0 }, b = { 0 };
					int want, got;

					extsort_key_escape(&a, keys[i], lens[i]);
					strbuf_addc(&a, '\0');
					strbuf_addc(&a, (char)('0' + x));
					extsort_key_escape(&b, keys[j], lens[j]);
					strbuf_addc(&b, '\0');
					strbuf_addc(&b, (char)('0' + y));
					want = memcmp(keys[i], keys[j], lens[i] < lens[j] ? lens[i] : lens[j]);
					if (want == 0)
						want = lens[i] != lens[j] ? (lens[i] < lens[j] ? -1 : 1) : x - y;
					got = memcmp(a.s, b.s, a.len < b.len ? a.len : b.len);
					if (got == 0)
						got = a.len < b.len ? -1 : a.len > b.len;
					if ((want < 0) != (got < 0) || (want > 0) != (got > 0))
						good = 0;
					strbuf_release(&a);
					strbuf_release(&b);
				}
	ok(good, "escaped keys then a suffix sort as (key, suffix)");
}

/* The window on nearly sorted items: the reference order, or -1 when a
 * record is later than the window. */
static void
test_window(void)
{
	enum { N = 5000 };
	static struct item v[N], want[N];
	struct rwin w;
	struct extsort_rec r;
	size_t got = 0;
	int good = 1, c;

	for (size_t i = 0; i < N; i++) {
		v[i].klen = (size_t)snprintf(v[i].key, sizeof(v[i].key), "K%06zu", i / 3);
		v[i].plen = 0;
		v[i].seq = i;
	}
	/* Every 50th record 5 places late. */
	for (size_t i = 50; i + 5 < N; i += 50) {
		struct item t = v[i];

		memmove(&v[i], &v[i + 1], 5 * sizeof(*v));
		v[i + 5] = t;
	}
	for (size_t i = 0; i < N; i++)
		v[i].seq = i;
	memcpy(want, v, sizeof(v));
	qsort(want, N, sizeof(*want), item_cmp);
	rwin_init(&w, 8);
	for (size_t i = 0; i < N; i++) {
		if ((c = rwin_add(&w, v[i].key, v[i].klen, "", 0, &r)) < 0)
			good = 0;
		if (c == 1 && (r.seq != want[got++].seq))
			good = 0;
	}
	while (rwin_next(&w, &r) == 1)
		if (r.seq != want[got++].seq)
			good = 0;
	ok(good && got == N && w.late == 5, "window of 8: in order, 5 places late at most");
	rwin_release(&w);
	rwin_init(&w, 3);
	c = 0;
	for (size_t i = 0; i < N && c >= 0; i++)
		c = rwin_add(&w, v[i].key, v[i].klen, "", 0, &r);
	ok(c == -1, "window of 3: a record 5 places late is refused");
	rwin_release(&w);
}

int
main(void)
{
	test_orders();
	test_big_record();
	test_sizes();
	test_escape();
	test_window();
	return tap_done();
}
