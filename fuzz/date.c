/*
 * fuzz/date.c: dates and timestamps (lib/date.c).  date_parse_n against
 * a reference written here from the calendar's rules; a parsed date must
 * format back to the same day; a parsed timestamp must format and parse
 * back to the same second.
 */
#include "fuzz.h"
#include "date.h"

/* The reference: is "YYYY-MM-DD" or "DD/MM/YYYY" a real day of 1..9999? */
static int
ref_valid(const char *s, size_t len)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, iso;

	if (len != 10)
		return 0;
	iso = s[4] == '-' && s[7] == '-';
	if (!iso && !(s[2] == '/' && s[5] == '/'))
		return 0;
	for (size_t i = 0; i < 10; i++) {
		int sep = iso ? (i == 4 || i == 7) : (i == 2 || i == 5);

		if (!sep && (s[i] < '0' || s[i] > '9'))
			return 0;
	}
	if (iso) {
		y = atoi(s);
		m = (s[5] - '0') * 10 + s[6] - '0';
		d = (s[8] - '0') * 10 + s[9] - '0';
	} else {
		d = (s[0] - '0') * 10 + s[1] - '0';
		m = (s[3] - '0') * 10 + s[4] - '0';
		y = atoi(s + 6);
	}
	if (y < 1 || m < 1 || m > 12 || d < 1)
		return 0;
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return d <= 29;
	return d <= mdays[m - 1];
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	char buf[TS_BUFSZ];
	long day, day2;
	long long secs, secs2;

	memcpy(s, data, size);
	s[size] = '\0';
	if (date_parse_n(s, size, &day) == 0) {
		FUZZ_CHECK(ref_valid(s, size), "date_parse_n took an invalid date");
		date_format(day, buf);
		FUZZ_CHECK(date_parse(buf, &day2) == 0 && day2 == day,
		    "a parsed date does not format back to itself");
		if (s[4] == '-')
			FUZZ_CHECK(strcmp(buf, s) == 0, "an ISO date formats differently");
	} else
		FUZZ_CHECK(!ref_valid(s, size), "date_parse_n refused a valid date");
	for (int naive = 0; naive <= 1; naive++)
		if (ts_parse(s, naive, &secs) == 0) {
			ts_format(secs, buf);
			if (buf[0] != '\0')
				FUZZ_CHECK(ts_parse(buf, 0, &secs2) == 0 && secs2 == secs,
				    "a parsed timestamp does not format back to itself");
		}
	free(s);
	return 0;
}
