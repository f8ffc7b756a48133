/* date.c: proleptic Gregorian day numbers, after the well-known era formula
 * (days_from_civil: 400-year eras of 146097 days, March-based years). */
#include <stdio.h>
#include <string.h>

#include "date.h"

long
date_from_ymd(int y, int m, int d)
{
	long yy = y - (m <= 2);
	long era = (yy >= 0 ? yy : yy - 399) / 400;
	long yoe = yy - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void
date_to_ymd(long days, int *y, int *m, int *d)
{
	long z = days + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
date_valid_ymd(int y, int m, int d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= mdays[m - 1] + (m == 2 && leap(y));
}

/* n decimal digits at s, or -1. */
static int
digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
date_parse_n(const char *s, size_t len, long *days)
{
	int y, m, d;

	if (len == 10 && s[4] == '-' && s[7] == '-') {
		y = digits(s, 4);
		m = digits(s + 5, 2);
		d = digits(s + 8, 2);
	} else if (len == 10 && s[2] == '/' && s[5] == '/') {
		d = digits(s, 2);
		m = digits(s + 3, 2);
		y = digits(s + 6, 4);
	} else
		return -1;
	if (y < 0 || m < 0 || d < 0 || !date_valid_ymd(y, m, d))
		return -1;
	*days = date_from_ymd(y, m, d);
	return 0;
}

int
date_parse(const char *s, long *days)
{
	return date_parse_n(s, strlen(s), days);
}

static void
put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

void
date_format(long days, char buf[DATE_BUFSZ])
{
	int y, m, d;

	date_to_ymd(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		snprintf(buf, DATE_BUFSZ, "%04d-%02d-%02d", y, m, d);
		return;
	}
	/* By hand: this runs once or twice per record. */
	put2(buf, y / 100);
	put2(buf + 2, y % 100);
	buf[4] = '-';
	put2(buf + 5, m);
	buf[7] = '-';
	put2(buf + 8, d);
	buf[10] = '\0';
}

int
date_iso_weekday(long days)
{
	/* 1970-01-01 was a Thursday (4). */
	long w = (days + 3) % 7;

	return (int)(w < 0 ? w + 7 : w) + 1;
}

int
date_day_of_week(long days)
{
	return date_iso_weekday(days) % 7 + 1;
}

int
date_day_of_year(long days)
{
	int y, m, d;

	date_to_ymd(days, &y, &m, &d);
	return (int)(days - date_from_ymd(y, 1, 1)) + 1;
}

int
date_iso_week(long days, int *iso_year)
{
	/* The week belongs to the year of its Thursday. */
	long thursday = days - date_iso_weekday(days) + 4;
	int y, m, d;

	date_to_ymd(thursday, &y, &m, &d);
	if (iso_year != NULL)
		*iso_year = y;
	return (int)((thursday - date_from_ymd(y, 1, 1)) / 7) + 1;
}

int
ts_parse(const char *s, int naive_utc, long long *secs)
{
	size_t len = strlen(s);
	long days;
	int hh = 0, mi = 0, ss = 0, off = 0;
	const char *p;

	if (len < 10 || date_parse_n(s, 10, &days) != 0 || s[4] != '-')
		return -1;
	p = s + 10;
	if (*p == '\0') {
		if (!naive_utc)
			return -1;
		*secs = (long long)days * 86400;
		return 0;
	}
	if ((*p != 'T' && *p != 't' && *p != ' ') || strlen(p) < 9 ||
	    p[3] != ':' || p[6] != ':')
		return -1;
	hh = digits(p + 1, 2);
	mi = digits(p + 4, 2);
	ss = digits(p + 7, 2);
	if (hh < 0 || hh > 23 || mi < 0 || mi > 59 || ss < 0 || ss > 60)
		return -1;
	p += 9;
	if (*p == '.') {
		if (p[1] < '0' || p[1] > '9')
			return -1;
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;

		if (strlen(p) != 6 || p[3] != ':' || (oh = digits(p + 1, 2)) < 0 ||
		    (om = digits(p + 4, 2)) < 0 || oh > 23 || om > 59)
			return -1;
		off = (oh * 60 + om) * 60 * (*p == '-' ? -1 : 1);
		p += 6;
	} else if (*p != '\0' || !naive_utc)
		return -1;
	if (*p != '\0')
		return -1;
	*secs = (long long)days * 86400 + hh * 3600 + mi * 60 + (ss > 59 ? 59 : ss) - off;
	return 0;
}

void
ts_format(long long secs, char buf[TS_BUFSZ])
{
	long long days = secs / 86400, rem = secs % 86400;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	date_format((long)days, buf);
	if (strlen(buf) != 10) {
		buf[0] = '\0';	/* outside years 0..9999: not RFC 3339 */
		return;
	}
	buf[10] = 'T';
	put2(buf + 11, (int)(rem / 3600));
	buf[13] = ':';
	put2(buf + 14, (int)(rem / 60 % 60));
	buf[16] = ':';
	put2(buf + 17, (int)(rem % 60));
	buf[19] = 'Z';
	buf[20] = '\0';
}
