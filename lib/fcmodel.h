/*
 * fcmodel.h: what every forecasting model of nc-forecast returns.
 *
 * A model fits one series y[0..n-1] (equally spaced periods, seasonal
 * period m, 1 for none) and forecasts h periods ahead.  It fills a struct
 * fc_result: point forecasts, the standard deviation of the forecast error
 * at each horizon when the model has a stochastic form (NAN otherwise: the
 * caller then uses empirical errors), with the degrees of freedom of a
 * Student t when the model's errors follow one (tdf, 0 for normal), the in-sample one-step fitted values
 * when it has them, a name ("ETS(A,Ad,N)", "ARIMA(1,1,1)", "Croston"), and
 * its AICc when it is fitted by likelihood (NAN otherwise).
 *
 * Ownership: fc_result_init() allocates the arrays for n and h; the caller
 * releases them with fc_result_release().  Models only read y.
 * A model returns 0, or -1 when it cannot fit this series (too short,
 * did not converge), with a reason in res->why.
 */
#ifndef NC_FCMODEL_H
#define NC_FCMODEL_H

#include <stddef.h>

#define FC_NPAR 48

struct fc_result {
	double *mean;       /* h point forecasts */
	double *sd;         /* h forecast-error standard deviations, or NAN */
	double *fitted;     /* n one-step in-sample fitted values, or NAN */
	size_t n, h;
	double aicc;        /* NAN when not a likelihood model */
	double sigma2;      /* residual variance, NAN if unknown */
	double tdf;         /* sd is that of a Student t with tdf degrees of
	                       freedom (short series); 0: normal */
	char name[64];
	char why[128];
	/* The fitted parameters (npar of them, 0 when none), as the model
	 * reads them back to forecast another length of the same series
	 * without fitting again (fc_ctx.fixed, fc_models.h). */
	double par[FC_NPAR];
	size_t npar;
};

void fc_result_init(struct fc_result *res, size_t n, size_t h);
void fc_result_release(struct fc_result *res);
/* 0 when the h means and sds are finite, else -1 and res->why. */
int fc_result_check(struct fc_result *res, size_t h);

/* ETS (lib/fc_ets.c): spec "auto" (AICc over the family), or a model like
 * "ANN", "AAN", "AAdN", "AAA", "AAdA", "MAM", "MNM", ... (error, trend,
 * season letters as in Hyndman et al.). */
int fc_ets(const double *y, size_t n, int m, const char *spec, size_t h,
    struct fc_result *res);
/* The ETS model of an earlier fc_ets() (its res->par) filtered over
 * y[0..n-1] without fitting again. */
int fc_ets_refilter(const double *y, size_t n, const double *par, size_t npar,
    size_t h, struct fc_result *res);

/* ARIMA (lib/fc_arima.c): spec "auto" (Hyndman-Khandakar stepwise), or
 * "p,d,q" or "p,d,q,P,D,Q" with period m. */
int fc_arima(const double *y, size_t n, int m, const char *spec, size_t h,
    struct fc_result *res);
/* The ARIMA model of an earlier fc_arima() (its res->par) filtered over
 * y[0..n-1] without fitting again. */
int fc_arima_refilter(const double *y, size_t n, const double *par,
    size_t npar, size_t h, struct fc_result *res);

#endif
