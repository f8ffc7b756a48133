/*
 * forecast_engine.c: from a series to its forecast in nc-forecast:
 * candidate models for its demand class, rolling-origin cross-validation
 * (Tashman 2000, "Out-of-sample tests of forecasting accuracy", IJF 16),
 * the best model or an ensemble weighted by inverse validation error
 * (Bates and Granger 1969), and prediction intervals: analytic from the
 * model's standard deviation when it has one, otherwise the empirical
 * quantiles of the cross-validation errors at each horizon (Williams and
 * Goodman 1971).  Owner: nc-forecast.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "forecast.h"
#include "nc.h"

#define MAX_CAND 16
#define CV_MAXR 1000          /* --cv's largest */
#define FC_DM_ALPHA 0.05      /* level of keep_default's test */

static const char *const cand_zero[] = { "zero", NULL };
static const char *const cand_short[] = { "mean", "naive", NULL };
static const char *const cand_smooth[] = {
	"naive", "snaive", "mean", "ma", "sba", "tsb", "regression", "ets", "arima", NULL
};
/* Not naive nor short moving averages: in a validation window without a
 * demand they forecast zero and win by luck. */
static const char *const cand_intermittent[] = {
	"mean", "croston", "sba", "tsb", "adida", "ses", NULL
};

const char *const *
fc_candidates(const char *cls)
{
	if (strcmp(cls, "zero") == 0 || strcmp(cls, "stopped") == 0)
		return cand_zero;
	if (strcmp(cls, "short") == 0)
		return cand_short;
	if (strcmp(cls, "smooth") == 0 || strcmp(cls, "erratic") == 0)
		return cand_smooth;
	return cand_intermittent;
}

double
fc_quantile_sorted(const double *x, size_t n, double p)
{
	double pos, fr;
	size_t i;

	if (n == 0)
		return NAN;
	pos = p * (double)(n - 1);
	i = (size_t)floor(pos);
	if (i >= n - 1)
		return x[n - 1];
	fr = pos - (double)i;
	return x[i] + fr * (x[i + 1] - x[i]);
}

void
fc_level_name(char *buf, size_t size, double v)
{
	char tmp[32], *dot;

	snprintf(tmp, sizeof(tmp), "%.6g", v);
	if ((dot = strchr(tmp, '.')) != NULL)
		*dot = '_';
	snprintf(buf, size, "%s", tmp);
}

/* The checks of every fit: st is what the model returned; 0 with finite
 * forecasts, or -1 and res->why. */
static int
fit_checked(int st, const double *y, size_t n, size_t h, struct fc_result *res)
{
	double cap;

	if (st != 0)
		return -1;
	cap = fc_absurd_cap(y, n);
	for (size_t i = 0; i < h; i++)
		if (!isfinite(res->mean[i])) {
			snprintf(res->why, sizeof(res->why), "non-finite forecast");
			return -1;
		} else if (fabs(res->mean[i]) > cap) {
			snprintf(res->why, sizeof(res->why), "forecast %.3g absurd "
			    "(over %d times the largest demand)", res->mean[i], FC_ABSURD);
			return -1;
		}
	return 0;
}

/* Too short for md: -1 and res->why, else 0. */
static int
fit_short(const struct fc_model *md, size_t n, struct fc_result *res)
{
	if (n >= md->min_n)
		return 0;
	snprintf(res->why, sizeof(res->why), "too short (%zu < %zu periods)",
	    n, md->min_n);
	return -1;
}

/* Fit model name; 0 with finite forecasts, or -1 and res->why. */
static int
fit(const char *name, const double *y, size_t n, int m,
    const struct fc_ctx *cx, size_t h, struct fc_result *res)
{
	const struct fc_model *md = fc_model_find(name);

	fc_result_init(res, n, h);
	if (md == NULL) {
		snprintf(res->why, sizeof(res->why), "no model %s", name);
		return -1;
	}
	if (fit_short(md, n, res) != 0)
		return -1;
	return fit_checked(md->fn(y, n, m, cx, h, res), y, n, h, res);
}

/* Cross-validation of the candidates: forecasts f[c][r * hc + j] made at
 * origin n - hc - r * step for horizon j + 1, and the actuals a[]. */
struct cv {
	size_t nc, R, hc, step;
	const char *name[MAX_CAND];
	double *f[MAX_CAND];
	double mse[MAX_CAND];
	double *a;
};

static void
cv_plan(struct cv *cv, size_t n, size_t h, int origins)
{
	size_t mintrain = n / 2 > 4 ? n / 2 : 4;

	cv->hc = n / 4 < h ? n / 4 : h;
	if (cv->hc < 1)
		cv->hc = 1;
	cv->step = cv->hc / 4 > 1 ? cv->hc / 4 : 1;
	cv->R = 0;
	if (n < cv->hc + mintrain)
		return;
	/* The origins spread over the second half of the history. */
	if (origins > 1 && (n - cv->hc - mintrain) / (size_t)(origins - 1) > cv->step)
		cv->step = (n - cv->hc - mintrain) / (size_t)(origins - 1);
	cv->R = (n - cv->hc - mintrain) / cv->step + 1;
	if (cv->R > (size_t)origins)
		cv->R = (size_t)origins;
}

/* The fits of md at every origin by its multi-fit, into all[i] and st[i]
 * for origin r = R - 1 - i (ascending lengths). */
static void
cv_multi(const struct cv *cv, const struct fc_model *md, const double *y,
    size_t n, int m, const struct fc_ctx *cx, struct fc_result *all, int *st)
{
	size_t ns[CV_MAXR], i0 = 0;

	for (size_t i = 0; i < cv->R; i++) {
		ns[i] = n - cv->hc - (cv->R - 1 - i) * cv->step;
		fc_result_init(&all[i], ns[i], cv->hc);
		st[i] = fit_short(md, ns[i], &all[i]);
	}
	/* the lengths too short for the model are the first ones */
	while (i0 < cv->R && st[i0] != 0)
		i0++;
	if (i0 < cv->R)
		md->multi(y, ns + i0, cv->R - i0, m, cx, cv->hc, all + i0, st + i0);
}

/*
 * Candidate c's forecasts and squared errors at every origin.  A model
 * that can (fc_model.refit) is fitted once, at the earliest origin, and
 * its parameters only filter the longer histories of the later origins:
 * the nightly cost of a series is then two fits, not one per origin.  A
 * model with a multi-fit (fc_model.multi) fits every origin in one pass.
 */
static void
cv_candidate(struct cv *cv, size_t c, const double *y, size_t n, int m,
    const struct fc_ctx *cx, struct fc_ctx *fx, double *s, size_t *k)
{
	const struct fc_model *md = fc_model_find(cv->name[c]);
	int refit = md != NULL && md->refit, have = 0, multi;
	struct fc_result res, first, *all = NULL;
	int st[CV_MAXR];

	multi = md != NULL && md->multi != NULL && !refit && cv->R <= CV_MAXR &&
	    cv->R > 0;
	if (multi) {
		all = xcalloc(cv->R, sizeof(*all));
		cv_multi(cv, md, y, n, m, cx, all, st);
	}
	for (size_t r = cv->R; r-- > 0;) {
		size_t o = n - cv->hc - r * cv->step;
		int ok;

		if (multi) {
			size_t i = cv->R - 1 - r;

			res = all[i];
			ok = fit_checked(st[i], y, o, cv->hc, &res) == 0;
		} else {
			fx->fixed = have ? &first : NULL;
			ok = fit(cv->name[c], y, o, m, have ? fx : cx, cv->hc,
			    &res) == 0;
		}
		for (size_t j = 0; j < cv->hc; j++) {
			double f = ok ? fmax(res.mean[j], 0) : NAN;

			cv->f[c][r * cv->hc + j] = f;
			if (ok) {
				double e = f - cv->a[r * cv->hc + j];
				*s += e * e;
				(*k)++;
			}
		}
		if (refit && !have && ok && res.npar > 0) {
			first = res;
			have = 1;
		} else
			fc_result_release(&res);
	}
	if (have)
		fc_result_release(&first);
	free(all);
}

/* Each candidate at each origin. */
static void
cv_run(struct cv *cv, const double *y, size_t n, int m, const struct fc_ctx *cx)
{
	size_t cells = cv->R * cv->hc;
	struct fc_ctx fx;

	if (cx != NULL)
		fx = *cx;
	else
		memset(&fx, 0, sizeof(fx));
	cv->a = xcalloc(cells ? cells : 1, sizeof(double));
	for (size_t r = 0; r < cv->R; r++)
		for (size_t j = 0; j < cv->hc; j++)
			cv->a[r * cv->hc + j] = y[n - cv->hc - r * cv->step + j];
	for (size_t c = 0; c < cv->nc; c++) {
		double s = 0;
		size_t k = 0;

		cv->f[c] = xcalloc(cells ? cells : 1, sizeof(double));
		cv_candidate(cv, c, y, n, m, cx, &fx, &s, &k);
		/* A model that fails at more than a quarter of the origins is
		 * not compared. */
		cv->mse[c] = k * 4 >= cells * 3 && k > 0 ? s / (double)k : INFINITY;
	}
}

static void
cv_release(struct cv *cv)
{
	for (size_t c = 0; c < cv->nc; c++)
		free(cv->f[c]);
	free(cv->a);
}

static void
out_alloc(struct fc_fc *out, size_t h, const struct fc_plan *p)
{
	memset(out, 0, sizeof(*out));
	out->h = h;
	out->nlevels = p->nlevels;
	out->nq = p->nq;
	out->mean = xcalloc(h ? h : 1, sizeof(double));
	out->sd = xcalloc(h ? h : 1, sizeof(double));
	out->lo = xcalloc(h * p->nlevels + 1, sizeof(double));
	out->hi = xcalloc(h * p->nlevels + 1, sizeof(double));
	out->q = xcalloc(h * p->nq + 1, sizeof(double));
}

void
fc_fc_release(struct fc_fc *f)
{
	free(f->mean);
	free(f->sd);
	free(f->lo);
	free(f->hi);
	free(f->q);
}

/* Normal intervals and quantiles around the mean. */
/* The models to evaluate: plan's weights, plan's model, or the class's. */
static void
choose_candidates(struct cv *cv, const struct fc_plan *p, const char *cls, size_t n)
{
	const char *const *list;

	cv->nc = 0;
	if (p->nweights > 0) {
		for (size_t i = 0; i < p->nweights; i++)
			cv->name[cv->nc++] = p->wname[i];
		return;
	}
	if (strcmp(p->model, "auto") != 0) {
		cv->name[cv->nc++] = p->model;
		return;
	}
	list = fc_candidates(cls);
	for (; *list != NULL && cv->nc < MAX_CAND; list++) {
		const struct fc_model *md = fc_model_find(*list);
		if (md != NULL && n >= md->min_n)
			cv->name[cv->nc++] = *list;
	}
	if (cv->nc == 0)
		cv->name[cv->nc++] = "zero";
}

/* Whether out's own sd gives sane intervals (a trial of fc_intervals on
 * a copy, which then needs no cross-validation errors). */
static int
analytic_sane(const struct fc_fc *out, const struct fc_plan *p, const double *y,
    size_t n)
{
	struct fc_fc t;
	char note[128];
	int ok;

	out_alloc(&t, out->h, p);
	memcpy(t.mean, out->mean, out->h * sizeof(double));
	memcpy(t.sd, out->sd, out->h * sizeof(double));
	t.tdf = out->tdf;
	ok = fc_intervals(&t, p, y, n, NULL, 0, 0, FC_IV_ANALYTIC, note,
	    sizeof(note)) == FC_IV_ANALYTIC;
	fc_fc_release(&t);
	return ok;
}

/*
 * The class's own method def unless the cross-validation's best candidate
 * beats it: a one-sided Diebold-Mariano test (Diebold and Mariano 1995,
 * J. Business & Economic Statistics 13(3)) on the per-origin mean
 * differences of squared errors, with a Newey-West (Bartlett) variance
 * over the lags at which origins' windows overlap, against Student's t
 * with R - 1 degrees of freedom (Harvey, Leybourne and Newbold 1997, IJF
 * 13(2)), at level FC_DM_ALPHA over the number of rivals (Bonferroni: the
 * best is the least of them).  Returns the candidate to use; when that is
 * def over a better CV error, *beaten is that candidate's name and *pv
 * the test's p-value (times the rivals, at most 1; NAN with too few
 * origins to test).
 */
static size_t
keep_default(const struct cv *cv, size_t best, const char *def,
    const char **beaten, double *pv)
{
	double d[CV_MAXR], m = 0, v = 0, t;
	size_t R = 0, c0 = cv->nc, lags, rivals = 0;

	for (size_t c = 0; c < cv->nc; c++)
		if (strcmp(cv->name[c], def) == 0 && isfinite(cv->mse[c]))
			c0 = c;
	if (c0 == cv->nc || c0 == best)
		return best;
	*beaten = cv->name[best];
	*pv = NAN;
	for (size_t r = 0; r < cv->R; r++) {
		double s = 0;
		size_t k = 0;

		for (size_t j = 0; j < cv->hc; j++) {
			size_t i = r * cv->hc + j;
			double eb = cv->f[best][i] - cv->a[i], ed = cv->f[c0][i] - cv->a[i];

			if (isfinite(eb) && isfinite(ed)) {
				s += eb * eb - ed * ed;
				k++;
			}
		}
		if (k > 0)
			d[R++] = s / (double)k;
	}
	if (R < 3)
		return c0;
	for (size_t r = 0; r < R; r++)
		m += d[r] / (double)R;
	lags = (cv->hc + cv->step - 1) / cv->step - 1;
	for (size_t l = 0; l <= lags && l < R; l++) {
		double g = 0;

		for (size_t r = l; r < R; r++)
			g += (d[r] - m) * (d[r - l] - m);
		g /= (double)R;
		v += (l == 0 ? 1 : 2 * (1 - (double)l / (double)(lags + 1))) * g;
	}
	for (size_t c = 0; c < cv->nc; c++)
		rivals += c != c0 && isfinite(cv->mse[c]);
	t = v > 0 ? m / sqrt(v / (double)R) : m < 0 ? -INFINITY : INFINITY;
	*pv = fmin(1, (double)rivals * gsl_cdf_tdist_P(t, (double)(R - 1)));
	if (*pv < FC_DM_ALPHA) {
		*beaten = NULL;
		return best;
	}
	return c0;
}

/* Combination weights over the candidates (0 for those left out); on an
 * erratic series whose class's method is kept over a better CV error,
 * *beaten and *pv as keep_default sets them (else *beaten NULL). */
static size_t
weights(const struct cv *cv, const struct fc_plan *p, const char *cls, double *w,
    const char **beaten, double *pv)
{
	size_t best = 0, used = 0;
	double tot = 0;

	for (size_t c = 0; c < cv->nc; c++) {
		w[c] = 0;
		if (cv->mse[c] < cv->mse[best] || !isfinite(cv->mse[best]))
			best = isfinite(cv->mse[c]) ? c : best;
	}
	if (p->nweights > 0) {
		for (size_t c = 0; c < cv->nc; c++)
			w[c] = p->w[c];
	} else if (p->ensemble && cv->R > 0) {
		for (size_t c = 0; c < cv->nc; c++)
			if (isfinite(cv->mse[c]))
				w[c] = 1 / fmax(cv->mse[c], 1e-12);
	} else {
		if (strcmp(cls, "erratic") == 0)
			best = keep_default(cv, best, "sba", beaten, pv);
		w[best] = 1;
	}
	for (size_t c = 0; c < cv->nc; c++)
		tot += w[c];
	if (tot <= 0) {
		w[best] = tot = 1;
	}
	for (size_t c = 0; c < cv->nc; c++) {
		w[c] /= tot;
		used += w[c] > 0;
	}
	return used;
}

/* The demand class of y, "stopped" when the automatic mode's test finds
 * its demand stopped (stop gets the test's figures). */
static const char *
series_class(const double *y, size_t n, const struct fc_plan *p, struct fc_stop *stop)
{
	double adi, cv2;
	const char *cls = fc_classify(y, n, &adi, &cv2);

	memset(stop, 0, sizeof(*stop));
	if (strcmp(p->model, "auto") == 0 && p->nweights == 0 && p->stop_alpha > 0 &&
	    strcmp(cls, "zero") != 0 && strcmp(cls, "short") != 0 &&
	    fc_stopped(y, n, p->stop_alpha, stop))
		return "stopped";
	return cls;
}

/* "days", "weeks" or "months", as the series' period. */
static const char *
period_names(const struct fc_ctx *cx)
{
	static const char *const names[] = { "days", "weeks", "months" };

	return cx != NULL && (int)cx->period >= 0 && cx->period <= FC_MONTH ?
	    names[cx->period] : "periods";
}

/* Append " (text)" to the model's name, as far as it fits. */
void
fc_model_note(struct fc_fc *out, const char *fmt, ...)
{
	size_t len = strlen(out->model);
	char text[sizeof(out->model)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	snprintf(out->model + len, sizeof(out->model) - len, " (%s)", text);
}

/* The name of a weighted combination: "ensemble(ses:0.40,sba:0.60)". */
static void
name_ensemble(struct fc_fc *out, const struct cv *cv, const int *ok, const double *w)
{
	size_t len = (size_t)snprintf(out->model, sizeof(out->model), "ensemble(");

	for (size_t c = 0; c < cv->nc && len < sizeof(out->model); c++)
		if (ok[c])
			len += (size_t)snprintf(out->model + len, sizeof(out->model) - len,
			    "%s%s:%.2f", len > 9 ? "," : "", cv->name[c], w[c]);
	if (len < sizeof(out->model) - 1)
		strcat(out->model, ")");
}

/* The one model fitted: its name into out, its sd too when it has a
 * finite one (*single_sd then 1); returns its name in the table. */
static const char *
take_single(struct fc_fc *out, const struct cv *cv, const int *ok,
    const struct fc_result *res, int *single_sd)
{
	const char *chosen = NULL;

	*single_sd = 0;
	for (size_t c = 0; c < cv->nc; c++)
		if (ok[c]) {
			snprintf(out->model, sizeof(out->model), "%s", res[c].name);
			chosen = cv->name[c];
			*single_sd = 1;
			for (size_t i = 0; i < out->h; i++)
				*single_sd &= isfinite(res[c].sd[i]) && res[c].sd[i] >= 0;
			if (*single_sd) {
				memcpy(out->sd, res[c].sd, out->h * sizeof(double));
				out->tdf = res[c].tdf;
			}
		}
	return chosen;
}

/* The cross-validation errors (actual - forecast) of the combination w,
 * or NULL when there was no cross-validation. */
static double *
cv_errors(const struct cv *cv, const double *w)
{
	double *e;

	if (cv->R == 0)
		return NULL;
	e = xcalloc(cv->R * cv->hc, sizeof(double));
	for (size_t k = 0; k < cv->R * cv->hc; k++) {
		double f = 0;
		for (size_t c = 0; c < cv->nc; c++)
			if (w[c] > 0)
				f += w[c] * cv->f[c][k];
		e[k] = cv->a[k] - f;
	}
	return e;
}

/*
 * The interval method to try first.  Demand that is zero in most periods
 * is far from the normal of a model's own sd: there the compound interval
 * goes around the forecast, taken as the demand rate.  Not prophet's: on
 * monthly intermittent demand its forecast follows fitted yearly terms,
 * and its own interval, which carries their uncertainty, covers where the
 * compound one, at a near-zero rate in some months, does not.
 */
static enum fc_iv
interval_method(const char *cls, int single_sd, const char *chosen)
{
	if ((strcmp(cls, "intermittent") == 0 || strcmp(cls, "lumpy") == 0 ||
	    strcmp(cls, "stopped") == 0) &&
	    !(single_sd && chosen != NULL && strcmp(chosen, "prophet") == 0))
		return FC_IV_COMPOUND;
	return single_sd ? FC_IV_ANALYTIC : FC_IV_EMPIRICAL;
}

void
fc_run(const double *y, size_t n, int m, const struct fc_ctx *cx, size_t h,
    const struct fc_plan *p, struct fc_fc *out)
{
	struct cv cv;
	struct fc_result res[MAX_CAND];
	struct fc_stop stop;
	double w[MAX_CAND], *e, tot = 0;
	int ok[MAX_CAND], single_sd = 0, lazy;
	size_t used, nfit = 0;
	char why[160] = "", note[128];
	const char *chosen = NULL, *beaten = NULL;
	double pv = NAN;

	out_alloc(out, h, p);
	out->cls = series_class(y, n, p, &stop);
	memset(&cv, 0, sizeof(cv));
	choose_candidates(&cv, p, out->cls, n);
	cv_plan(&cv, n, h, p->cv);
	/* One model has nothing to choose: its cross-validation only serves
	 * intervals from its errors, run below when the model's own are not
	 * there or not sane. */
	lazy = cv.nc == 1 && p->nweights == 0;
	if (!lazy)
		cv_run(&cv, y, n, m, cx);
	used = weights(&cv, p, out->cls, w, &beaten, &pv);

	/* Final fits of the weighted models; one that fails gives its
	 * weight to the others, or the series falls back to the mean. */
	for (size_t c = 0; c < cv.nc; c++) {
		ok[c] = 0;
		if (w[c] <= 0)
			continue;
		if (fit(cv.name[c], y, n, m, cx, h, &res[c]) == 0) {
			ok[c] = 1;
			tot += w[c];
			nfit++;
		} else {
			if (why[0] == '\0')
				snprintf(why, sizeof(why), "%s: %s", cv.name[c], res[c].why);
			fc_result_release(&res[c]);
		}
	}
	if (nfit == 0) {
		const char *fb = n >= 1 ? "mean" : "zero";

		cv_release(&cv);
		memset(&cv, 0, sizeof(cv));
		cv.name[cv.nc++] = fb;
		cv_plan(&cv, n, h, p->cv);
		cv_run(&cv, y, n, m, cx);
		w[0] = 1;
		used = 1;
		ok[0] = fit(fb, y, n, m, cx, h, &res[0]) == 0;
		if (!ok[0]) {     /* cannot happen: mean and zero always fit */
			fc_result_release(&res[0]);
			fit("zero", y, n, m, cx, h, &res[0]);
			ok[0] = 1;
		}
		tot = 1;
		lazy = 0;
		snprintf(out->model, sizeof(out->model), "%s (fallback: %s)",
		    res[0].name, why);
	}
	for (size_t c = 0; c < cv.nc; c++)
		if (ok[c]) {
			w[c] /= tot;
			for (size_t i = 0; i < h; i++)
				out->mean[i] += w[c] * res[c].mean[i];
		} else
			w[c] = 0;
	if (out->model[0] == '\0') {
		if (used == 1 && p->nweights == 0)
			chosen = take_single(out, &cv, ok, res, &single_sd);
		else
			name_ensemble(out, &cv, ok, w);
	}
	if (beaten != NULL && chosen != NULL && isnan(pv))
		fc_model_note(out, "kept over %s: too few origins to test its lower "
		    "error", beaten);
	else if (beaten != NULL && chosen != NULL)
		fc_model_note(out, "kept over %s: its lower error could be chance, "
		    "p %.2g", beaten, pv);
	if (strcmp(out->cls, "stopped") == 0)
		fc_model_note(out, "stopped: no demand in the last %zu %s, against %zu "
		    "in the %zu before; chance %.2g", stop.gap, period_names(cx),
		    stop.demands, stop.before, stop.prob);
	for (size_t i = 0; i < h; i++)
		out->mean[i] = fmax(out->mean[i], 0);
	if (lazy && single_sd && analytic_sane(out, p, y, n))
		cv.R = 0;
	else if (lazy)
		cv_run(&cv, y, n, m, cx);
	e = cv_errors(&cv, w);
	out->analytic = fc_intervals(out, p, y, n, e, cv.R, cv.hc,
	    interval_method(out->cls, single_sd, chosen), note,
	    sizeof(note)) == FC_IV_ANALYTIC;
	if (note[0] != '\0')
		fc_model_note(out, "%s", note);
	free(e);
	for (size_t c = 0; c < cv.nc; c++)
		if (ok[c])
			fc_result_release(&res[c]);
	cv_release(&cv);
}
