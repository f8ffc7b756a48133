/*
 * fc_models.h: the models of nc-forecast other than ETS and ARIMA
 * (lib/fc_bench.c, lib/fc_intermittent.c, lib/fc_regression.c,
 * lib/fc_prophet.c), and the table that names every model.  Owner:
 * nc-forecast.
 *
 * Every model has the signature of fc_model_fn: it fits y[0..n-1]
 * (seasonal period m) and fills res (fcmodel.h) with h forecasts.  Models
 * that need calendar or exogenous data read them from cx, which may be
 * NULL for the others.  They return 0, or -1 with res->why set.
 */
#ifndef NC_FC_MODELS_H
#define NC_FC_MODELS_H

#include <stddef.h>

#include "fcmodel.h"

enum fc_period { FC_DAY, FC_WEEK, FC_MONTH };

/* What the regression model needs beyond y. */
struct fc_ctx {
	enum fc_period period;
	long start;          /* day number of the first period's start */
	const double *x;     /* exogenous values, row t = period t, k columns,
	                        at least n + h rows; NULL when k == 0 */
	size_t k;
	/* When not NULL, an earlier fit of the same model on the same series
	 * (a shorter history): models that can (fc_model.refit) take its
	 * parameters (fixed->par) and only filter y, instead of fitting. */
	const struct fc_result *fixed;
};

typedef int (*fc_model_fn)(const double *y, size_t n, int m,
    const struct fc_ctx *cx, size_t h, struct fc_result *res);

/*
 * Fits of the first ns[0] < ns[1] < ... < ns[k-1] periods of y at once
 * (the cross-validation's origins), into res[0..k-1], each initialised by
 * the caller for its length and h, as k calls of the model's fn would
 * fill them; st[i] is what that call would return.  Models whose grids
 * can share one pass over the history have one.
 */
typedef void (*fc_model_multi_fn)(const double *y, const size_t *ns,
    size_t k, int m, const struct fc_ctx *cx, size_t h,
    struct fc_result *res, int *st);

struct fc_model {
	const char *name;    /* --model NAME */
	fc_model_fn fn;
	size_t min_n;        /* shortest series it fits */
	int refit;           /* reads fc_ctx.fixed */
	fc_model_multi_fn multi;   /* or NULL */
};

/* The model called name, or NULL. */
const struct fc_model *fc_model_find(const char *name);
/* All models, ending with a NULL name. */
extern const struct fc_model fc_models[];

/* Benchmarks (lib/fc_bench.c). */
int fc_zero(const double *, size_t, int, const struct fc_ctx *, size_t, struct fc_result *);
int fc_naive(const double *, size_t, int, const struct fc_ctx *, size_t, struct fc_result *);
int fc_snaive(const double *, size_t, int, const struct fc_ctx *, size_t, struct fc_result *);
int fc_mean(const double *, size_t, int, const struct fc_ctx *, size_t, struct fc_result *);
int fc_movavg(const double *, size_t, int, const struct fc_ctx *, size_t, struct fc_result *);
int fc_ses(const double *, size_t, int, const struct fc_ctx *, size_t, struct fc_result *);
void fc_ses_multi(const double *, const size_t *, size_t, int, const struct fc_ctx *, size_t,
    struct fc_result *, int *);

/* Intermittent demand (lib/fc_intermittent.c). */
enum fc_croston_kind { FC_CROSTON, FC_SBA };
/* Croston or SBA with a fixed smoothing constant, initialised as R's
 * forecast::croston does (first demand, first interval). */
int fc_croston_fixed(const double *y, size_t n, double alpha,
    enum fc_croston_kind kind, size_t h, struct fc_result *res);
/* TSB with fixed constants: alpha for the demand size, beta for the
 * probability of a demand. */
int fc_tsb_fixed(const double *y, size_t n, double alpha, double beta,
    size_t h, struct fc_result *res);
/* Simple exponential smoothing with a fixed alpha and level l0. */
double fc_ses_run(const double *y, size_t n, double alpha, double l0,
    double *fitted);
int fc_croston(const double *, size_t, int, const struct fc_ctx *, size_t, struct fc_result *);
int fc_sba(const double *, size_t, int, const struct fc_ctx *, size_t, struct fc_result *);
void fc_croston_multi(const double *, const size_t *, size_t, int, const struct fc_ctx *, size_t,
    struct fc_result *, int *);
void fc_sba_multi(const double *, const size_t *, size_t, int, const struct fc_ctx *, size_t,
    struct fc_result *, int *);
int fc_tsb(const double *, size_t, int, const struct fc_ctx *, size_t, struct fc_result *);
int fc_adida(const double *, size_t, int, const struct fc_ctx *, size_t, struct fc_result *);
void fc_adida_multi(const double *, const size_t *, size_t, int, const struct fc_ctx *, size_t,
    struct fc_result *, int *);

/* The parameters of cx->fixed, or NULL (fc_table.c). */
const struct fc_result *fc_fixed(const struct fc_ctx *cx);

/* Regression (lib/fc_regression.c) and Prophet's model (lib/fc_prophet.c). */
int fc_regression(const double *, size_t, int, const struct fc_ctx *, size_t, struct fc_result *);
int fc_prophet(const double *, size_t, int, const struct fc_ctx *, size_t, struct fc_result *);

/* For the regression models: cx, or a daily calendar when it is NULL;
 * NULL and res->why when y is too short (under 8) or has over 64 -x
 * fields. */
const struct fc_ctx *fc_regression_ctx(const struct fc_ctx *cx, size_t n,
    struct fc_result *res);
/* The Fourier pairs sin, cos (2 pi k d / period), k = 1..order, of day d
 * into r[]; returns their number. */
size_t fc_fourier(double *r, long d, double period, int order);
/* For a fit res of y[0..n-1] (fitted and mean filled) with rdf residual
 * degrees of freedom and additive noise variance sa: the variance per
 * unit of level^2 when multiplicative errors have the higher Gaussian
 * likelihood, else 0; *f2 the mean squared fit. */
double fc_mult_noise(const double *y, size_t n, const struct fc_result *res,
    double rdf, double sa, double *f2);

/* Day number of the start of period t counted from the period holding
 * start (start itself must be a period start). */
long fc_period_add(enum fc_period p, long start, long t);
/* Start of the period holding day d. */
long fc_period_start(enum fc_period p, long d);

#endif
