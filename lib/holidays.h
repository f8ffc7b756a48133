/*
 * holidays.h: the holiday calendar of Brazil, Bahia and Salvador, with
 * the Easter-based dates, plus company dates from a file (nc-features(1)).
 *
 * Ownership: a struct holidays owns its year cache and extra dates;
 * holidays_release() frees them.  Lookups fill the cache, so one struct
 * is not shared between threads.
 *
 *	struct holidays h;
 *	holidays_init(&h, HOL_SALVADOR);
 *	holidays_is(&h, date_from_ymd(2025, 6, 24));     // 1: Sao Joao
 *	holidays_next(&h, date_from_ymd(2025, 6, 25));   // 2025-07-02
 */
#ifndef NC_HOLIDAYS_H
#define NC_HOLIDAYS_H

#include <stddef.h>
#include <stdio.h>

enum hol_scope { HOL_NATIONAL, HOL_BAHIA, HOL_SALVADOR };

struct holidays {
	enum hol_scope scope;
	long *extra;            /* --holidays-file dates, day numbers */
	size_t nextra, capextra;
	int y0;                 /* first cached year */
	int ny;                 /* cached years y0 .. y0 + ny - 1 */
	unsigned char (*bits)[46];  /* per year: bit per day of year (0-based) */
	unsigned char *have;    /* per cached year: computed yet */
};

void holidays_init(struct holidays *h, enum hol_scope scope);
void holidays_release(struct holidays *h);

/* "national", "bahia" or "salvador": 0 and *scope, or -1. */
int holidays_scope_parse(const char *s, enum hol_scope *scope);

/* Easter Sunday of a Gregorian year, as a day number (anonymous
 * Gregorian computus, "Meeus/Jones/Butcher"). */
long holidays_easter(int year);

/*
 * Add the dates of a file: one "YYYY-MM-DD" per line, optionally followed
 * by white space and a name; blank lines and lines starting with '#' are
 * skipped.  Returns 0, or -1 with "line N: not a date" in why.
 */
int holidays_add_file(struct holidays *h, FILE *fp, char *why, size_t size);

/* Is day a holiday in the calendar? */
int holidays_is(struct holidays *h, long day);

/* The first holiday on or after day. */
long holidays_next(struct holidays *h, long day);

#endif
