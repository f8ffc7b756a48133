/*
 * forecast_out.h: the forecast records of nc-forecast (nc-records(5)):
 * one row per series and horizon, fields in the order agreed with
 * nc-reorder.  Owner: nc-forecast.
 */
#ifndef NC_FORECAST_OUT_H
#define NC_FORECAST_OUT_H

#include "forecast.h"
#include "forecast_series.h"
#include "forecast_shape.h"
#include "ndjson.h"

struct fc_rowctx {
	enum fc_period period;
	const struct fc_plan *plan;
	const char *created_at;         /* RFC 3339 */
	char **keys;                    /* key fields: not repeated as attributes */
	size_t nkeys;
};

/* What the rows of one series and origin say beside the forecast. */
struct fc_rowinfo {
	const struct fc_shape *sh;
	double lt_mean, lt_sd;          /* observed lead times (days) */
	size_t lt_n;                    /* 0: the attributes' own */
	long as_of;                     /* LONG_MIN: the origin's last day */
	size_t settling;                /* the first rows are not settled */
	const double *recorded;         /* demand recorded in them so far */
};

/*
 * Rows for horizons 1..nrows of f, made at origin o (periods observed
 * before it) of series s; with actual != NULL, backtest rows with
 * actual[i] for horizon i + 1.
 */
void fc_put_rows(struct strbuf *sb, const struct fc_rowctx *rc,
    const struct fc_series *s, size_t o, const struct fc_fc *f, size_t nrows,
    const double *actual, const struct fc_rowinfo *ri);

const char *fc_period_name(enum fc_period p);

#endif
