/*
 * forecast_eval.h: accuracy of backtest forecasts for nc-forecast
 * --summary.  Owner: nc-forecast.
 *
 * MASE (Hyndman and Koehler 2006, IJF 22(4)) and RMSSE (as the M5
 * competition, Makridakis et al. 2022) scale the errors by the in-sample
 * one-step naive errors of the history before the first origin; the
 * scaled pinball loss divides the mean quantile loss by the same mean
 * absolute difference.
 */
#ifndef NC_FORECAST_EVAL_H
#define NC_FORECAST_EVAL_H

#include <stddef.h>

#include "forecast.h"
#include "ndjson.h"

struct fc_acc {
	size_t n;                       /* forecasts scored */
	double sae, sse, serr, sact;    /* sums of |e|, e², e = f - a, a */
	double spin[FC_MAX_QUANT];      /* sums of pinball losses */
	size_t cover[FC_MAX_LEVELS];    /* actuals inside each interval */
	double scale1, scale2;          /* mean |diff| and mean diff² */
	double sfc;                     /* sum of forecasts */
	size_t ndem;                    /* forecasts of periods with demand */
	double sape;                    /* their sum of |e| / a */
	size_t cover_dem[FC_MAX_LEVELS];
	/* Lead-time demand: origins scored, those with demand in the lead
	 * time, and the actual sums at or below the forecast's quantile of
	 * each level (one-sided): over all origins, and over those with
	 * demand against the quantile of the sum given that it is not 0. */
	size_t ltd_n, ltd_ndem, ltd_nseen;       /* seen: demand before too */
	size_t ltd_cover[FC_MAX_LEVELS], ltd_cover_dem[FC_MAX_LEVELS];
	size_t ltd_cover_seen[FC_MAX_LEVELS];
};

/* Over all series: the sums, and the per-series scaled measures. */
struct fc_total {
	struct fc_acc all;
	size_t nseries, nscaled;
	double *mase, *rmsse, *spl;     /* one per scaled series */
	size_t cap;
};

void fc_acc_scale(struct fc_acc *a, const double *y, size_t n);
void fc_acc_add(struct fc_acc *a, const struct fc_fc *f, size_t i, double actual,
    const struct fc_plan *p);
/* Score the demand summed over the lead time, L periods after the
 * origin of f: actual is the actual sum; intermittent says that the
 * compound distribution of ltd.h applies (sh gives its occurrence and
 * sizes), else the normal one from f's sd. */
struct fc_shape;
void fc_acc_add_ltd(struct fc_acc *a, const struct fc_fc *f, size_t L, double actual,
    const struct fc_shape *sh, int intermittent, const struct fc_plan *p);
/* The quantile u of f's demand summed over L periods; with given_demand,
 * of that sum given that it is not 0. */
double fc_ltd_quantile(const struct fc_fc *f, size_t L, const struct fc_shape *sh,
    int intermittent, double u, int given_demand);
/* Add a series' accumulator to the total. */
void fc_total_add(struct fc_total *t, const struct fc_acc *a, const struct fc_plan *p);
void fc_total_release(struct fc_total *t);

/* The summary record of one series ({"summary":"series",keys,...}) or of
 * all ({"summary":"overall",...}). */
void fc_put_series_summary(struct strbuf *sb, const char *keyjson,
    const struct fc_acc *a, const struct fc_plan *p);
void fc_put_overall_summary(struct strbuf *sb, struct fc_total *t,
    const struct fc_plan *p);

/* Field helpers shared with forecast_out.c: ,"name":value (null when not
 * finite). */
void fc_put_num(struct strbuf *sb, const char *name, double v);
/* An integral number without ".0" (names need no escaping). */
void fc_put_int(struct strbuf *sb, const char *name, double v);
void fc_put_str(struct strbuf *sb, const char *name, const char *v);

#endif
