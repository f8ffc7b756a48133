/*
 * forecast_sizepool.h: what nc-forecast pools across series, kept in a
 * small JSON file, so that a run on some of the series (one shard of
 * nc-daily's sharded mode) forecasts them as a run on all of them does.
 * Owner: nc-forecast (--pool-only writes the file, --pool reads it).
 *
 * Ownership: the struct holds no pointers; nothing here keeps what it is
 * given.
 *
 * Pooled across series are the spread of request sizes (forecast_shape.h)
 * and the dates of the whole input, which set the history window (its
 * first and last day) and whether the input is already one row per week
 * or month (the period inferred, the last period whole).  The file is one
 * JSON object on one line:
 *
 *	{"size_cv":0.81230000000000002,"pairs":1204,"series":310,
 *	 "period":"week","cutoff":"2025-06-30","min_date":"2024-01-01",
 *	 "max_date":"2025-06-30","dates":9120,"month_starts":false,"weekday":-1}
 *
 * size_cv is the pooled cv of sizes, null when no series had two
 * requests, with 17 significant digits so that it reads back to the same
 * double; pairs and series say what it was pooled from, period and
 * cutoff (the first day not pooled) how.  min_date and max_date (null
 * without dates), dates (rows with a target), month_starts (every date a
 * 1st) and weekday (the ISO weekday of every date; 0 none, -1 mixed) are
 * struct fc_set's.
 */
#ifndef NC_FORECAST_SIZEPOOL_H
#define NC_FORECAST_SIZEPOOL_H

#include <stddef.h>
#include <stdio.h>

#include "fc_models.h"

struct fc_set;
struct fc_cvsum;

struct fc_sizepool {
	double size_cv;            /* NAN: none */
	size_t pairs, series;
	enum fc_period period;
	long cutoff;               /* days (date.h) */
	int have_date;             /* the input's dates, as in struct fc_set */
	long min_date, max_date;
	size_t ndates;
	int all_month_start, wday;
	size_t nparts;             /* parts merged (fc_sizepool_read_parts) */
};

/* Take the input's dates from set. */
void fc_sizepool_dates(struct fc_sizepool *sp, const struct fc_set *set);
/* Give set the pool's dates instead of its own. */
void fc_sizepool_apply(const struct fc_sizepool *sp, struct fc_set *set);

/*
 * 0 when sp was pooled by period p from the days before cutoff, as a run
 * that uses it would pool; -1 with why saying how it differs otherwise.
 */
int fc_sizepool_check(const struct fc_sizepool *sp, enum fc_period p, long cutoff,
    char *why, size_t whylen);

/* Write sp to fp as the one line above; 0, or -1 on a write error. */
int fc_sizepool_write(FILE *fp, const struct fc_sizepool *sp);

/*
 * Read the file at path into sp.  0, or -1 with why (of whylen bytes)
 * saying what is wrong: it cannot be opened or read, is not one JSON
 * object, or a field is missing or of the wrong type.  For example
 *
 *	if (fc_sizepool_read("pool.json", &sp, why, sizeof(why)) != 0)
 *		errx(NC_FAIL, "--pool: pool.json: %s", why);
 */
int fc_sizepool_read(const char *path, struct fc_sizepool *sp, char *why, size_t whylen);

/*
 * A part of the pool: what one run on some of the series (a shard) adds to
 * it, so that the parts of every shard give the pool of a run on all of
 * them, exactly, in any order.  One JSON line:
 *
 *	{"pool_part":1,"period":"week","series":103,"min_date":"2024-01-01",
 *	 "max_date":"2025-06-30","dates":3040,"month_starts":false,
 *	 "weekday":-1,"sums":[["2024-01-08",17,"-5920355131","98230412..."],...]}
 *
 * the input's dates as in a pool, and cs's sums by period
 * (forecast_shape.h, by_period): the period's first day, the count of
 * terms, their sum and sum of squares as decimal strings (integers on the
 * grid: they may be past 2^64).  The cutoff is applied by the merge, whose
 * run knows every series' dates.
 */
int fc_sizepool_write_part(FILE *fp, const struct fc_sizepool *sp, const struct fc_cvsum *cs);

/*
 * Add the parts in the file at path ("-": standard input), one a line,
 * into sp (its dates, series and period, sp->nparts counting them; sp
 * zeroed before the first file) and cs (its sums by period; by_period).
 * 0, or -1 with why saying what is wrong (the line, the field).
 */
int fc_sizepool_read_parts(const char *path, struct fc_sizepool *sp, struct fc_cvsum *cs,
    char *why, size_t whylen);

#endif
