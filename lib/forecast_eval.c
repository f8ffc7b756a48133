/*
 * forecast_eval.c: backtest accuracy measures (forecast_eval.h).
 * Owner: nc-forecast.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forecast_eval.h"
#include "forecast_shape.h"
#include "ltd.h"
#include "nc.h"

void
fc_put_num(struct strbuf *sb, const char *name, double v)
{
	char buf[32];
	int n;

	strbuf_addc(sb, ',');
	ndjson_dump_string(sb, name, strlen(name));
	strbuf_addc(sb, ':');
	if (isfinite(v) && (n = ndjson_fmt_double(buf, v)) > 0)
		strbuf_add(sb, buf, (size_t)n);
	else
		strbuf_add(sb, "null", 4);
}

void
fc_put_int(struct strbuf *sb, const char *name, double v)
{
	char buf[48];
	int n;

	if (!(fabs(v) < 1e15 && v == floor(v))) {
		snprintf(buf, sizeof(buf), ",\"%s\":%.15g", name, v);
		strbuf_add(sb, buf, strlen(buf));
		return;
	}
	strbuf_addc(sb, ',');
	ndjson_dump_string(sb, name, strlen(name));
	strbuf_addc(sb, ':');
	n = ndjson_fmt_long(buf, (long long)v);
	strbuf_add(sb, buf, (size_t)n);
}

void
fc_put_str(struct strbuf *sb, const char *name, const char *v)
{
	strbuf_addc(sb, ',');
	ndjson_dump_string(sb, name, strlen(name));
	strbuf_addc(sb, ':');
	ndjson_dump_string(sb, v, strlen(v));
}

void
fc_acc_scale(struct fc_acc *a, const double *y, size_t n)
{
	double s1 = 0, s2 = 0;

	a->scale1 = a->scale2 = NAN;
	if (n < 2)
		return;
	for (size_t i = 1; i < n; i++) {
		s1 += fabs(y[i] - y[i - 1]);
		s2 += (y[i] - y[i - 1]) * (y[i] - y[i - 1]);
	}
	a->scale1 = s1 / (double)(n - 1);
	a->scale2 = s2 / (double)(n - 1);
}

static double
pinball(double q, double actual, double p)
{
	return actual >= q ? p * (actual - q) : (1 - p) * (q - actual);
}

void
fc_acc_add(struct fc_acc *a, const struct fc_fc *f, size_t i, double actual,
    const struct fc_plan *p)
{
	double e = f->mean[i] - actual;

	a->n++;
	a->sae += fabs(e);
	a->sse += e * e;
	a->serr += e;
	a->sact += fabs(actual);
	for (size_t j = 0; j < p->nq; j++)
		a->spin[j] += pinball(f->q[j * f->h + i], actual, p->q[j]);
	for (size_t l = 0; l < p->nlevels; l++)
		a->cover[l] += actual >= f->lo[l * f->h + i] && actual <= f->hi[l * f->h + i];
	a->sfc += f->mean[i];
	if (actual > 0) {
		a->ndem++;
		a->sape += fabs(e) / actual;
		for (size_t l = 0; l < p->nlevels; l++)
			a->cover_dem[l] += actual >= f->lo[l * f->h + i] &&
			    actual <= f->hi[l * f->h + i];
	}
}

double
fc_ltd_quantile(const struct fc_fc *f, size_t L, const struct fc_shape *sh,
    int intermittent, double u, int given_demand)
{
	struct ltd d = { 0, 0, 0, 0 };
	double v = 0;

	for (size_t i = 0; i < L && i < f->h; i++) {
		d.mean += f->mean[i];
		v += f->sd[i] * f->sd[i];
	}
	d.sd = sqrt(v);
	if (intermittent && sh->p_demand < 1) {
		d.rate = (double)L * ltd_rate_of(sh->p_demand);
		d.size_cv = isnan(sh->size_cv) ? 0 : sh->size_cv;
	}
	return given_demand ? ltd_quantile_positive(&d, u) : ltd_quantile(&d, u);
}

void
fc_acc_add_ltd(struct fc_acc *a, const struct fc_fc *f, size_t L, double actual,
    const struct fc_shape *sh, int intermittent, const struct fc_plan *p)
{
	int seen = actual > 0 && sh->demand_periods > 0;

	a->ltd_n++;
	a->ltd_ndem += actual > 0;
	a->ltd_nseen += seen;
	for (size_t l = 0; l < p->nlevels; l++) {
		double u = p->levels[l] / 100;
		a->ltd_cover[l] += actual <= fc_ltd_quantile(f, L, sh, intermittent, u, 0) + 1e-9;
		if (actual > 0) {
			int in = actual <= fc_ltd_quantile(f, L, sh, intermittent, u, 1) + 1e-9;
			a->ltd_cover_dem[l] += in;
			a->ltd_cover_seen[l] += in && seen;
		}
	}
}

static double
spl(const struct fc_acc *a, const struct fc_plan *p)
{
	double s = 0;

	if (p->nq == 0 || a->n == 0)
		return NAN;
	for (size_t j = 0; j < p->nq; j++)
		s += a->spin[j] / (double)a->n;
	return s / (double)p->nq / a->scale1;
}

static int
scaled(const struct fc_acc *a)
{
	return a->n > 0 && isfinite(a->scale1) && a->scale1 > 0 && a->scale2 > 0;
}

static void
push(double **v, size_t i, size_t *cap, double x)
{
	if (i >= *cap) {
		*cap = *cap ? *cap * 2 : 64;
		v[0] = xrealloc(v[0], *cap * sizeof(double));
	}
	v[0][i] = x;
}

void
fc_total_add(struct fc_total *t, const struct fc_acc *a, const struct fc_plan *p)
{
	t->nseries++;
	t->all.n += a->n;
	t->all.sae += a->sae;
	t->all.sse += a->sse;
	t->all.serr += a->serr;
	t->all.sact += a->sact;
	for (size_t j = 0; j < p->nq; j++)
		t->all.spin[j] += a->spin[j];
	for (size_t l = 0; l < p->nlevels; l++) {
		t->all.cover[l] += a->cover[l];
		t->all.cover_dem[l] += a->cover_dem[l];
		t->all.ltd_cover[l] += a->ltd_cover[l];
		t->all.ltd_cover_dem[l] += a->ltd_cover_dem[l];
		t->all.ltd_cover_seen[l] += a->ltd_cover_seen[l];
	}
	t->all.sfc += a->sfc;
	t->all.ndem += a->ndem;
	t->all.sape += a->sape;
	t->all.ltd_n += a->ltd_n;
	t->all.ltd_ndem += a->ltd_ndem;
	t->all.ltd_nseen += a->ltd_nseen;
	if (!scaled(a))
		return;
	size_t cap = t->cap, cap2 = t->cap, cap3 = t->cap;
	push(&t->mase, t->nscaled, &cap, a->sae / (double)a->n / a->scale1);
	push(&t->rmsse, t->nscaled, &cap2, sqrt(a->sse / (double)a->n / a->scale2));
	push(&t->spl, t->nscaled, &cap3, spl(a, p));
	t->cap = cap;
	t->nscaled++;
}

void
fc_total_release(struct fc_total *t)
{
	free(t->mase);
	free(t->rmsse);
	free(t->spl);
}

/* The measures every summary has, from sums. */
static void
put_common(struct strbuf *sb, const struct fc_acc *a, const struct fc_plan *p)
{
	double n = (double)a->n;
	char name[48], lv[24];

	fc_put_int(sb, "forecasts", n);
	fc_put_num(sb, "mae", a->n ? a->sae / n : NAN);
	fc_put_num(sb, "rmse", a->n ? sqrt(a->sse / n) : NAN);
	fc_put_num(sb, "wape", a->sact > 0 ? a->sae / a->sact : NAN);
	fc_put_num(sb, "bias", a->n ? a->serr / n : NAN);
	for (size_t j = 0; j < p->nq; j++) {
		fc_level_name(lv, sizeof(lv), p->q[j] * 100);
		snprintf(name, sizeof(name), "pinball_q%s", lv);
		fc_put_num(sb, name, a->n ? a->spin[j] / n : NAN);
	}
	for (size_t l = 0; l < p->nlevels; l++) {
		fc_level_name(lv, sizeof(lv), p->levels[l]);
		snprintf(name, sizeof(name), "coverage_%s", lv);
		fc_put_num(sb, name, a->n ? (double)a->cover[l] / n : NAN);
	}
	fc_put_num(sb, "bias_ratio", a->sact > 0 ? a->sfc / a->sact : NAN);
	fc_put_num(sb, "forecast_total", a->sfc);
	fc_put_num(sb, "actual_total", a->sact);
	fc_put_int(sb, "demand_forecasts", (double)a->ndem);
	fc_put_num(sb, "mape", a->ndem ? a->sape / (double)a->ndem * 100 : NAN);
	for (size_t l = 0; l < p->nlevels; l++) {
		fc_level_name(lv, sizeof(lv), p->levels[l]);
		snprintf(name, sizeof(name), "coverage_%s_demand", lv);
		fc_put_num(sb, name, a->ndem ? (double)a->cover_dem[l] / (double)a->ndem : NAN);
	}
	fc_put_int(sb, "ltd_origins", (double)a->ltd_n);
	fc_put_int(sb, "ltd_origins_demand", (double)a->ltd_ndem);
	fc_put_int(sb, "ltd_origins_seen", (double)a->ltd_nseen);
	for (size_t l = 0; l < p->nlevels; l++) {
		fc_level_name(lv, sizeof(lv), p->levels[l]);
		snprintf(name, sizeof(name), "ltd_coverage_%s", lv);
		fc_put_num(sb, name, a->ltd_n ? (double)a->ltd_cover[l] / (double)a->ltd_n : NAN);
		snprintf(name, sizeof(name), "ltd_coverage_%s_demand", lv);
		fc_put_num(sb, name, a->ltd_ndem ? (double)a->ltd_cover_dem[l] /
		    (double)a->ltd_ndem : NAN);
		snprintf(name, sizeof(name), "ltd_coverage_%s_seen", lv);
		fc_put_num(sb, name, a->ltd_nseen ? (double)a->ltd_cover_seen[l] /
		    (double)a->ltd_nseen : NAN);
	}
}

void
fc_put_series_summary(struct strbuf *sb, const char *keyjson,
    const struct fc_acc *a, const struct fc_plan *p)
{
	int ok = scaled(a);

	strbuf_add(sb, "{\"summary\":\"series\",", 20);
	strbuf_add(sb, keyjson, strlen(keyjson));
	put_common(sb, a, p);
	fc_put_num(sb, "mase", ok ? a->sae / (double)a->n / a->scale1 : NAN);
	fc_put_num(sb, "rmsse", ok ? sqrt(a->sse / (double)a->n / a->scale2) : NAN);
	fc_put_num(sb, "scaled_pinball", ok ? spl(a, p) : NAN);
	strbuf_add(sb, "}\n", 2);
}

static int
cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

static double
mean_of(const double *v, size_t n)
{
	double s = 0;
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (isfinite(v[i])) {
			s += v[i];
			k++;
		}
	return k ? s / (double)k : NAN;
}

void
fc_put_overall_summary(struct strbuf *sb, struct fc_total *t,
    const struct fc_plan *p)
{
	strbuf_add(sb, "{\"summary\":\"overall\"", 20);
	fc_put_int(sb, "series", (double)t->nseries);
	fc_put_int(sb, "scaled_series", (double)t->nscaled);
	put_common(sb, &t->all, p);
	fc_put_num(sb, "mase", mean_of(t->mase, t->nscaled));
	if (t->nscaled > 0)
		qsort(t->mase, t->nscaled, sizeof(double), cmp_double);
	fc_put_num(sb, "mase_median", fc_quantile_sorted(t->mase, t->nscaled, 0.5));
	fc_put_num(sb, "rmsse", mean_of(t->rmsse, t->nscaled));
	fc_put_num(sb, "scaled_pinball", mean_of(t->spl, t->nscaled));
	strbuf_add(sb, "}\n", 2);
}
