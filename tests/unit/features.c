/*
 * Unit tests of lib/holidays.c (Easter computus, calendars) and
 * lib/features_window.c (lags and windows with SQL's nulls).
 *
 * Easter dates are facts from published tables (e.g. the US Naval
 * Observatory's list of Easter dates): the earliest possible, 22 March
 * (1818, 2285), the latest, 25 April (1943, 2038), and recent years.
 */
#include <math.h>

#include "date.h"
#include "features_window.h"
#include "holidays.h"
#include "keyprefix.h"
#include "tap.h"

static void
test_easter(void)
{
	static const int known[][3] = {
		{ 1818, 3, 22 }, { 1943, 4, 25 }, { 2000, 4, 23 }, { 2008, 3, 23 },
		{ 2011, 4, 24 }, { 2019, 4, 21 }, { 2024, 3, 31 }, { 2025, 4, 20 },
		{ 2026, 4, 5 }, { 2027, 3, 28 }, { 2038, 4, 25 }, { 2285, 3, 22 },
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(*known); i++) {
		long e = holidays_easter(known[i][0]);
		char buf[DATE_BUFSZ];

		date_format(e, buf);
		ok(e == date_from_ymd(known[i][0], known[i][1], known[i][2]),
		    "Easter %d is %s", known[i][0], buf);
	}
	for (int y = 1583; y <= 4099; y++) {
		long e = holidays_easter(y);
		int yy, m, d;

		date_to_ymd(e, &yy, &m, &d);
		if (date_day_of_week(e) != 1 || yy != y ||
		    e < date_from_ymd(y, 3, 22) || e > date_from_ymd(y, 4, 25)) {
			ok(0, "Easter %d is a Sunday between 22 March and 25 April", y);
			return;
		}
	}
	ok(1, "Easter 1583-4099 is always a Sunday between 22 March and 25 April");
}

static void
test_calendars(void)
{
	struct holidays n, s;

	holidays_init(&n, HOL_NATIONAL);
	holidays_init(&s, HOL_SALVADOR);
	ok(holidays_is(&n, date_from_ymd(2025, 3, 4)), "Carnival Tuesday 2025");
	ok(!holidays_is(&n, date_from_ymd(2025, 3, 5)), "Ash Wednesday 2025 is not");
	ok(!holidays_is(&n, date_from_ymd(2023, 11, 20)), "20 November 2023 not national");
	ok(holidays_is(&n, date_from_ymd(2024, 11, 20)), "20 November 2024 national");
	ok(!holidays_is(&n, date_from_ymd(2025, 7, 2)), "2 July not national");
	ok(holidays_is(&s, date_from_ymd(2025, 7, 2)), "2 July in Salvador");
	ok(holidays_is(&s, date_from_ymd(1999, 12, 8)), "8 December in Salvador, 1999");
	ok(holidays_next(&n, date_from_ymd(2025, 12, 26)) == date_from_ymd(2026, 1, 1),
	    "next after Christmas is New Year, across the year");
	ok(holidays_next(&s, date_from_ymd(2025, 6, 24)) == date_from_ymd(2025, 6, 24),
	    "next on a holiday is the day itself");
	/* Far apart years grow the cache both ways. */
	ok(holidays_is(&n, date_from_ymd(1900, 1, 1)) && holidays_is(&n, date_from_ymd(2100, 12, 25)),
	    "years far apart");
	holidays_release(&n);
	holidays_release(&s);
}

static void
test_window(void)
{
	struct fwin w;
	double v = 0;

	fwin_reset(&w);
	ok(!fwin_mean(&w, 7, &v), "empty window: null mean");
	fwin_push(&w, 4, 0);
	ok(!fwin_lag(&w, 1, &v), "lag before the start is null");
	ok(!fwin_std(&w, 7, &v), "std of one value is null");
	fwin_push(&w, 0, 1);
	ok(fwin_mean(&w, 7, &v) && v == 4, "a null is skipped by the mean");
	ok(!fwin_lag(&w, 0, &v) && fwin_lag(&w, 1, &v) && v == 4, "lag of a null is null");
	fwin_push(&w, 8, 0);
	ok(fwin_std(&w, 7, &v) && fabs(v - sqrt(8)) < 1e-15, "sample std of 4, 8");
	for (int i = 0; i < 100; i++)
		fwin_push(&w, i, 0);
	ok(fwin_mean(&w, 30, &v) && v == (70 + 99) / 2.0, "mean of the last 30 of 100");
	ok(fwin_lag(&w, 30, &v) && v == 69, "lag 30 after a wrap of the ring");
}

/* fwin_seed() gives exactly what the single functions give, on random
 * series with nulls, across the ring's wrap. */
static void
test_seed(void)
{
	unsigned long state = 12345;
	long differ = 0, rows = 0;

	for (int series = 0; series < 50; series++) {
		struct fwin w;

		fwin_reset(&w);
		for (int i = 0; i < 200; i++) {
			struct fwin_seed f;
			double v1 = 0, v7 = 0, v30 = 0, m7 = 0, s7 = 0, m30 = 0;
			int h1, h7, h30, hm7, hs7, hm30;

			state = state * 6364136223846793005UL + 1442695040888963407UL;
			fwin_push(&w, (double)(state >> 40 & 1023) / ((state >> 20 & 3) + 1),
			    (state >> 33 & 7) == 0);
			fwin_seed(&w, &f);
			h1 = fwin_lag(&w, 1, &v1);
			h7 = fwin_lag(&w, 7, &v7);
			h30 = fwin_lag(&w, 30, &v30);
			hm7 = fwin_mean(&w, 7, &m7);
			hs7 = fwin_std(&w, 7, &s7);
			hm30 = fwin_mean(&w, 30, &m30);
			rows++;
			if (h1 != f.have_lag_1 || h7 != f.have_lag_7 || h30 != f.have_lag_30 ||
			    hm7 != f.have_mean_7 || hs7 != f.have_std_7 || hm30 != f.have_mean_30 ||
			    (h1 && v1 != f.lag_1) || (h7 && v7 != f.lag_7) ||
			    (h30 && v30 != f.lag_30) || (hm7 && m7 != f.mean_7) ||
			    (hs7 && s7 != f.std_7) || (hm30 && m30 != f.mean_30))
				differ++;
		}
	}
	ok(differ == 0, "fwin_seed equals the single functions: %ld rows, %ld differ",
	    rows, differ);
}

/* memcmp() over the shorter, then shorter first: the sort's key order. */
static int
key_order(const char *a, size_t al, const char *b, size_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);

	return c != 0 ? (c > 0) - (c < 0) : (al > bl) - (al < bl);
}

/* Where key_prefix8() of two keys differ, they order the keys as
 * key_order() does: short keys, NUL and high bytes included. */
static void
test_key_prefix(void)
{
	static const char bytes[] = { 0, 1, 'a', 'b', (char)0x7f, (char)0x80, (char)0xff };
	unsigned long state = 99;
	long differ = 0, decided = 0;

	for (int i = 0; i < 200000; i++) {
		char a[12], b[12];
		size_t al, bl;
		uint64_t pa, pb;

		state = state * 6364136223846793005UL + 1442695040888963407UL;
		al = state >> 60 & 7;
		bl = (state >> 56 & 15) % 11;
		for (size_t k = 0; k < 12; k++) {
			a[k] = bytes[(state >> (k * 3 % 48)) % sizeof(bytes)];
			b[k] = (state >> (k + 20) & 3) ? a[k] : bytes[(state >> k) % sizeof(bytes)];
		}
		pa = key_prefix8(a, al);
		pb = key_prefix8(b, bl);
		if (pa == pb)
			continue;
		decided++;
		if (((pa > pb) - (pa < pb)) != key_order(a, al, b, bl))
			differ++;
	}
	ok(decided > 1000 && differ == 0,
	    "key_prefix8 orders as memcmp then length: %ld pairs decided, %ld wrong",
	    decided, differ);
}

int
main(void)
{
	test_easter();
	test_calendars();
	test_window();
	test_seed();
	test_key_prefix();
	return tap_done();
}
