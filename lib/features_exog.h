/*
 * features_exog.h: exogenous daily values (weather, economic series) by
 * date, for nc-features --exog (nc-features(1), EXOGENOUS DATA).
 *
 * Weather records (they have "station") give one column per field other
 * than station and date; economic records (they have "series" and
 * "value") give one column econ_<series> each.  A monthly series (every
 * date on the 1st) applies to every day of its month; a daily one is
 * carried forward EXOG_CARRY_DAYS days (weekends, holidays).
 *
 * Ownership: the struct owns its names and values; exog_release() frees
 * them.  After exog_finish() it is only read, so threads may share it.
 *
 *	exog_init(&x, station);
 *	exog_load(&x, fp, path, &rejects);   // for each --exog file
 *	exog_finish(&x);
 *	exog_period(&x, col, day, day + 1, &v);
 */
#ifndef NC_FEATURES_EXOG_H
#define NC_FEATURES_EXOG_H

#include <stdio.h>

#include "reject.h"

#define EXOG_CARRY_DAYS 4

struct exog_obs;

struct exog {
	const char *station;    /* --station, or NULL */
	char *seen_station;     /* the first station read */
	char **names;           /* columns, sorted by name after finish */
	int *summed;            /* 1: precip_*: summed over a period */
	int *monthly;           /* economic series on the 1st of months */
	int *daily_econ;        /* economic series carried forward */
	int ncol, capcol;
	struct exog_obs *obs;   /* (column, day, value) as read */
	size_t nobs, capobs;
	long base, ndays;       /* day range of the table */
	double *v;              /* ncol rows of ndays; NaN = null */
	unsigned long records;  /* records read */
};

void exog_init(struct exog *x, const char *station);
void exog_release(struct exog *x);

/*
 * Read the records of fp (named name in messages); bad records go to rej.
 * Returns 0, or -1 with a message in why when the file cannot be used
 * (several stations without --station).
 */
int exog_load(struct exog *x, FILE *fp, const char *name, struct rejects *rej,
    char *why, size_t size);

/* Build the table: sort the columns, pivot, spread monthly values, carry
 * daily ones forward. */
void exog_finish(struct exog *x);

/*
 * The column's value over days [from, to): summed for precipitation,
 * averaged otherwise, over the days that have a value.  Returns 1 and
 * sets *v, or 0 when no day has one (null).
 */
int exog_period(const struct exog *x, int col, long from, long to, double *v);

/* Is name one of the columns? */
int exog_has_column(const struct exog *x, const char *name, size_t len);

#endif
