/*
 * forecast.h: the parts of nc-forecast outside its models, split by
 * concern.  Owner: nc-forecast.
 *
 *   forecast_class.c   demand classes (Syntetos and Boylan)
 *   forecast_engine.c  candidates, rolling-origin cross-validation,
 *                      selection or ensemble
 *   forecast_interval.c  intervals and quantiles, and their guard
 *   forecast_series.c  reading records into regular series per key
 *   forecast_eval.c    backtest accuracy measures and their summary
 *   forecast_out.c     forecast, backtest and summary records
 *   forecast_pool.c    an ordered pool of workers over series
 *
 * Ownership: fc_run() fills a struct fc_fc that the caller releases with
 * fc_fc_release(); series belong to their struct fc_set.
 */
#ifndef NC_FORECAST_H
#define NC_FORECAST_H

#include <stddef.h>

#include "fc_models.h"
#include "ndjson.h"

#define FC_MAX_LEVELS 8
#define FC_MAX_QUANT 16
#define FC_MAX_WEIGHTS 16

/* Syntetos-Boylan cut-offs (Syntetos, Boylan and Croston 2005, JORS 56). */
#define FC_ADI_CUT 1.32
#define FC_CV2_CUT 0.49
#define FC_SHORT 8             /* periods needed to classify: fewer is "short" */

/* "zero", "short", "smooth", "erratic", "intermittent" or "lumpy";
 * adi and cv2 are set (NAN when undefined). */
const char *fc_classify(const double *y, size_t n, double *adi, double *cv2);

/* The run of zero periods at the end of a series (gap), the periods
 * before it and their demands; the share of those with demand and the
 * chance of such a run were demand going on as before (an exact test:
 * forecast_class.c). */
struct fc_stop {
	size_t gap, before, demands;
	double share, prob;
};

/* 1 when the series' demand has stopped at level alpha (the run of zeros
 * at its end longer than every earlier gap between demands, and its
 * chance below alpha); st gets the figures either way. */
int fc_stopped(const double *y, size_t n, double alpha, struct fc_stop *st);

struct fc_plan {
	const char *model;              /* "auto" or a model name */
	int ensemble;                   /* --ensemble */
	size_t nweights;                /* --weights name=w,... */
	const char *wname[FC_MAX_WEIGHTS];
	double w[FC_MAX_WEIGHTS];
	int cv;                         /* rolling origins (--cv) */
	double stop_alpha;              /* --stopped (0: no test) */
	size_t nlevels;
	double levels[FC_MAX_LEVELS];   /* e.g. 80, 95 */
	size_t nq;
	double q[FC_MAX_QUANT];         /* e.g. 0.5, 0.9 */
};

/* The forecast of one series. */
struct fc_fc {
	size_t h, nlevels, nq;
	double *mean, *sd;
	double tdf;                     /* sd of a Student t (0: normal) */
	double p0;                      /* share of history without demand */
	double *lo, *hi;                /* level l, horizon i: [l * h + i] */
	double *q;                      /* quantile j, horizon i: [j * h + i] */
	char model[256];
	const char *cls;
	int analytic;                   /* intervals from the model's sd */
};

/* Forecast y[0..n-1] h periods ahead as plan says.  Always succeeds:
 * a series no model fits forecasts zero and says why in model. */
void fc_run(const double *y, size_t n, int m, const struct fc_ctx *cx,
    size_t h, const struct fc_plan *plan, struct fc_fc *out);
void fc_fc_release(struct fc_fc *f);

/* Append " (text)" to f->model, text as printf(fmt, ...) makes it. */
void fc_model_note(struct fc_fc *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Candidate models of a class in automatic mode, NULL-terminated. */
const char *const *fc_candidates(const char *cls);

/* A forecast, bound, quantile or sd above FC_ABSURD times the largest
 * |y| of the history (1 when all zero) never reaches the output. */
#define FC_ABSURD 20
double fc_absurd_cap(const double *y, size_t n);

/* Interval methods, in the order they are tried (forecast_interval.c). */
enum fc_iv { FC_IV_ANALYTIC, FC_IV_COMPOUND, FC_IV_EMPIRICAL, FC_IV_HISTORY };
const char *fc_iv_name(enum fc_iv m);

/*
 * Fill out's sd, intervals and quantiles around out->mean for series
 * y[0..n-1]: method first, or the next ones when it does not apply or
 * gives a figure that is not finite or above fc_absurd_cap() (note then
 * says so).  e[r * hc + j] are the cross-validation errors (actual -
 * forecast) of R origins at horizons 1..hc (NULL when none).  Then bounds
 * are >= 0, hold the mean, and quantiles do not cross.  Returns the
 * method used.
 */
enum fc_iv fc_intervals(struct fc_fc *out, const struct fc_plan *p,
    const double *y, size_t n, const double *e, size_t R, size_t hc,
    enum fc_iv first, char *note, size_t notesize);

/* Sample quantile (type 7, as R's default) of sorted x[0..n-1]. */
double fc_quantile_sorted(const double *x, size_t n, double p);

/* Field-name suffix of a level or percentage: 95 -> "95", 97.5 -> "97_5". */
void fc_level_name(char *buf, size_t size, double v);

#endif
