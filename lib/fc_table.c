/*
 * fc_table.c: the models nc-forecast knows by name (fc_models.h).
 * Owner: nc-forecast.
 */
#include <string.h>

#include "fc_models.h"

/* ETS and ARIMA (lib/fc_ets.c, lib/fc_arima.c, by their own owner) with
 * automatic choice; seasonal periods over 24 (weekly data's 52) are left
 * to the regression model's Fourier terms, as R's ets refuses them. */
const struct fc_result *
fc_fixed(const struct fc_ctx *cx)
{
	return cx != NULL && cx->fixed != NULL && cx->fixed->npar > 0 ?
	    cx->fixed : NULL;
}

static int
ets_auto(const double *y, size_t n, int m, const struct fc_ctx *cx, size_t h,
    struct fc_result *res)
{
	const struct fc_result *fx = fc_fixed(cx);

	if (fx != NULL)
		return fc_ets_refilter(y, n, fx->par, fx->npar, h, res);
	return fc_ets(y, n, m > 24 ? 1 : m, "auto", h, res);
}

static int
arima_auto(const double *y, size_t n, int m, const struct fc_ctx *cx, size_t h,
    struct fc_result *res)
{
	const struct fc_result *fx = fc_fixed(cx);

	if (fx != NULL)
		return fc_arima_refilter(y, n, fx->par, fx->npar, h, res);
	return fc_arima(y, n, m > 24 ? 1 : m, "auto", h, res);
}

const struct fc_model fc_models[] = {
	{ "zero", fc_zero, 0, 0, NULL },
	{ "naive", fc_naive, 1, 0, NULL },
	{ "snaive", fc_snaive, 2, 0, NULL },
	{ "mean", fc_mean, 1, 0, NULL },
	{ "ma", fc_movavg, 2, 0, NULL },
	{ "ses", fc_ses, 2, 0, fc_ses_multi },
	{ "croston", fc_croston, 2, 0, fc_croston_multi },
	{ "sba", fc_sba, 2, 0, fc_sba_multi },
	{ "tsb", fc_tsb, 2, 0, NULL },
	{ "adida", fc_adida, 6, 0, fc_adida_multi },
	{ "regression", fc_regression, 8, 0, NULL },
	{ "prophet", fc_prophet, 8, 0, NULL },
	{ "ets", ets_auto, 6, 1, NULL },
	{ "arima", arima_auto, 10, 1, NULL },
	{ NULL, NULL, 0, 0, NULL }
};

const struct fc_model *
fc_model_find(const char *name)
{
	for (const struct fc_model *m = fc_models; m->name != NULL; m++)
		if (strcmp(m->name, name) == 0)
			return m;
	return NULL;
}
