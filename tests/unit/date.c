/* Unit tests of lib/date.c against known calendar facts. */
#include "date.h"
#include "tap.h"

static const char *
fmt(long d)
{
	static char buf[DATE_BUFSZ];

	date_format(d, buf);
	return buf;
}

int
main(void)
{
	long d, e;
	long long t;
	char ts[TS_BUFSZ];
	int y;

	ok(date_from_ymd(1970, 1, 1) == 0, "epoch is day 0");
	ok(date_from_ymd(2000, 3, 1) == 11017, "2000-03-01 is day 11017");
	ok(date_from_ymd(1969, 12, 31) == -1, "the day before the epoch is -1");
	ok(date_parse("2024-02-29", &d) == 0 && d == date_from_ymd(2024, 2, 29), "leap day parses");
	ok(date_parse("2023-02-29", &d) == -1, "2023-02-29 is refused");
	ok(date_parse("1900-02-29", &d) == -1, "1900 was not a leap year");
	ok(date_parse("27/11/2026", &d) == 0 && d == date_from_ymd(2026, 11, 27), "dd/mm/yyyy parses");
	ok(date_parse("31/04/2026", &d) == -1, "31 April is refused");
	ok(date_parse("2026-1-05", &d) == -1, "short month is refused");
	ok(date_parse("2026-11-27x", &d) == -1, "trailing text is refused");
	date_parse("2024-12-31", &d);
	is_str(fmt(d + 1), "2025-01-01", "day arithmetic crosses the year");
	date_parse("2024-02-28", &d);
	is_str(fmt(d + 1), "2024-02-29", "day arithmetic knows leap years");
	is_str(fmt(-719162), "0001-01-01", "year 1 formats");
	/* 2026-11-27 is a Friday. */
	date_parse("2026-11-27", &d);
	ok(date_iso_weekday(d) == 5, "2026-11-27 is ISO weekday 5 (Friday)");
	ok(date_day_of_week(d) == 6, "and Spark DAYOFWEEK 6");
	date_parse("2026-11-29", &e);
	ok(date_day_of_week(e) == 1, "Sunday is DAYOFWEEK 1");
	ok(date_day_of_week(e - 1) == 7, "Saturday is DAYOFWEEK 7");
	ok(date_day_of_week(-1) == 4, "1969-12-31 (Wednesday) before the epoch");
	ok(date_day_of_year(d) == 331, "2026-11-27 is day 331");
	date_parse("2024-12-31", &d);
	ok(date_day_of_year(d) == 366, "2024-12-31 is day 366");
	/* ISO weeks: 2021-01-03 is in 2020-W53; 2024-12-30 is in 2025-W01. */
	date_parse("2021-01-03", &d);
	ok(date_iso_week(d, &y) == 53 && y == 2020, "2021-01-03 is 2020-W53");
	date_parse("2024-12-30", &d);
	ok(date_iso_week(d, &y) == 1 && y == 2025, "2024-12-30 is 2025-W01");
	date_parse("2026-11-27", &d);
	ok(date_iso_week(d, &y) == 48 && y == 2026, "2026-11-27 is 2026-W48");

	ok(ts_parse("2026-11-27T05:00:00Z", 0, &t) == 0 && t == 1795755600LL, "RFC 3339 Z");
	ok(ts_parse("2026-11-27T02:00:00-03:00", 0, &t) == 0 && t == 1795755600LL, "offset -03:00");
	ok(ts_parse("2026-11-27T05:00:00.123456Z", 0, &t) == 0 && t == 1795755600LL, "fraction dropped");
	ok(ts_parse("2026-11-27 05:00:00", 0, &t) == -1, "naive refused when not asked");
	ok(ts_parse("2026-11-27 05:00:00", 1, &t) == 0 && t == 1795755600LL, "naive taken as UTC");
	ok(ts_parse("2026-11-27", 1, &t) == 0 && t == 1795737600LL, "a date is midnight UTC");
	ok(ts_parse("2026-11-27T25:00:00Z", 1, &t) == -1, "hour 25 refused");
	ok(ts_parse("2026-11-27T05:00:00+0300", 1, &t) == -1, "offset without colon refused");
	ts_format(1795755600LL, ts);
	is_str(ts, "2026-11-27T05:00:00Z", "timestamp formats");
	ts_format(-1, ts);
	is_str(ts, "1969-12-31T23:59:59Z", "negative timestamp formats");
	return tap_done();
}
