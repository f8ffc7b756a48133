/*
 * forecast_series.h: records into regular series per key for
 * nc-forecast.  Owner: nc-forecast.
 *
 * fc_read() keeps, per key (in order of first appearance), the attributes
 * of the latest observed row, and sends every dated observation of the
 * target and the exogenous fields to an external sort (extsort.h) by
 * series, then arrival, so that memory does not grow with the rows:
 * fc_set_load() brings back the observations of a range of series (in
 * their order of arrival, as they came), fc_set_unload() frees them, and
 * fc_set_rewind() starts the series over for another pass.  fc_regularise() turns a series into y[0..n-1]
 * over whole periods (gaps are zero demand: ERP extracts only have days
 * with movements) and x[(n + H) x k] (period means, carried forward).
 * Ownership: the set owns its series; fc_set_release() frees them.
 */
#ifndef NC_FORECAST_SERIES_H
#define NC_FORECAST_SERIES_H

#include <stddef.h>

#include "extsort.h"
#include "fc_models.h"
#include "input.h"
#include "reject.h"

#define FC_NATTR 10
extern const char *const fc_attr_names[FC_NATTR];

struct fc_obs {
	long date;
	double qty;                /* NAN: a row of future exogenous values */
	double lt;                 /* its lead_time_days, NAN: none */
};

struct fc_series {
	size_t idx;                /* its place in the set */
	size_t count;              /* observations read (loaded or not) */
	char *id;                  /* key values joined by '|' */
	char *hid;                 /* joined by '\037', for the hash */
	char *keyjson;             /* "item_id":"A","site_id":"B" */
	struct fc_obs *obs;
	double *xv;                /* k values per observation */
	size_t nobs, cap;
	char *attr[FC_NATTR];      /* JSON text, or NULL */
	long attr_date;
	long introduced;           /* "introduced" date, LONG_MIN: none */
	/* Set by fc_regularise(): */
	double *y;
	size_t n;
	long start;                /* first period's start day */
	double *x;                 /* (n + H) rows of k, or NULL */
};

struct fc_set {
	struct fc_series **s;
	size_t n, cap;
	size_t *tab, tabcap;       /* open hash of index + 1 */
	long min_date, max_date;   /* earliest, latest date with a target value */
	int have_date;
	int all_month_start;       /* every observed date is a 1st */
	int wday;                  /* common ISO weekday, 0 none, -1 mixed */
	size_t ndates;             /* distinct-ish: rows with a target */
	struct extsort es;         /* the observations, by series */
	size_t k;                  /* exogenous values per observation */
};

struct fc_read_opts {
	char **keys;
	size_t nkeys;
	const char *target;
	char **exog;
	size_t k;
	struct extsort_opts sort;  /* -S, -T */
};

void fc_set_init(struct fc_set *set);
void fc_set_release(struct fc_set *set);
/* Read every record of in; bad ones go to rej. */
void fc_read(struct fc_set *set, struct input *in, const struct fc_read_opts *o,
    struct rejects *rej);
/*
 * Load the observations of the series from lo on, as many series as hold
 * at most maxobs observations (one at least); returns the end of the
 * range.  Ranges go up from 0 (lo is the last call's end); after
 * fc_set_rewind(), from 0 again.
 */
size_t fc_set_load(struct fc_set *set, size_t lo, size_t maxobs);
/* Free the observations and regular series of set->s[lo .. hi - 1]. */
void fc_set_unload(struct fc_set *set, size_t lo, size_t hi);
void fc_set_rewind(struct fc_set *set);
/* Mean, sd (NAN below 2) and count of the lead times of the requests
 * (quantity > 0) dated before end. */
size_t fc_lead_times(const struct fc_series *s, long end, double *mean, double *sd);
/* The period the dates suggest: month, week, or day. */
enum fc_period fc_infer_period(const struct fc_set *set);
/* The start of the last whole period of data that ends on day as_of. */
long fc_last_period(const struct fc_set *set, enum fc_period p, long as_of);
/* Regular series from the period of day from (the data's first day, or
 * the series' "introduced" date when later; LONG_MIN: its own first
 * observation) up to the period starting at last, with H future rows of
 * x.  Observations before from are not history.  An empty series (no
 * observation from from up to last) has n = 0. */
void fc_regularise(struct fc_series *s, enum fc_period p, long from, long last,
    size_t H, size_t k);

#endif
