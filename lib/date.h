/*
 * date.h: calendar dates and UTC timestamps, with no dependence on the
 * process time zone.  A date is a day number: days since 1970-01-01
 * (negative before).  A timestamp is seconds since the epoch, UTC.
 *
 *	long d;
 *	date_parse("27/11/2026", &d);      // accepts YYYY-MM-DD and dd/mm/yyyy
 *	date_format(d + 1, buf);           // "2026-11-28"
 */
#ifndef NC_DATE_H
#define NC_DATE_H

#include <time.h>

#define DATE_BUFSZ 11   /* "YYYY-MM-DD" + NUL */
#define TS_BUFSZ 21     /* "YYYY-MM-DDTHH:MM:SSZ" + NUL */

/* Day number of a civil date; no check of the ranges. */
long date_from_ymd(int y, int m, int d);
void date_to_ymd(long days, int *y, int *m, int *d);
int date_valid_ymd(int y, int m, int d);

/* "YYYY-MM-DD" or "dd/mm/yyyy", whole string: 0 and *days, or -1. */
int date_parse(const char *s, long *days);
/* Same, for the first len bytes of s. */
int date_parse_n(const char *s, size_t len, long *days);
void date_format(long days, char buf[DATE_BUFSZ]);

/* 1 = Monday .. 7 = Sunday (ISO 8601). */
int date_iso_weekday(long days);
/* 1 = Sunday .. 7 = Saturday (Spark's DAYOFWEEK). */
int date_day_of_week(long days);
int date_day_of_year(long days);
/* ISO 8601 week number, and the ISO year it belongs to. */
int date_iso_week(long days, int *iso_year);

/*
 * RFC 3339 timestamp: "YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|-hh:mm)";
 * 't' or ' ' may stand for 'T'.  With naive_utc, a timestamp without an
 * offset, or a plain date (midnight), is taken as UTC; otherwise they are
 * refused.  Fractions of a second are dropped.  Returns 0 or -1.
 */
int ts_parse(const char *s, int naive_utc, long long *secs);
void ts_format(long long secs, char buf[TS_BUFSZ]);

#endif
