/*
 * Unit tests of nc-forecast's models and engine: point forecasts against
 * R's forecast package (tests/fixtures/forecast/r-expected.tsv, made by
 * scripts/gen-forecast-expected.R), hand-computed cases, classes,
 * intervals and the accuracy measures.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "date.h"
#include "fc_models.h"
#include "fc_runs.h"
#include "fcmodel.h"
#include "forecast.h"
#include "forecast_eval.h"
#include "holidays.h"
#include "tap.h"

#define TOL 1e-9       /* R and we compute the same recursions */

static char dir[512];

static size_t
load_series(const char *name, double *y, size_t max)
{
	char path[600];
	FILE *fp;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/series-%s.txt", dir, name);
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	while (n < max && fscanf(fp, "%lf", &y[n]) == 1)
		n++;
	fclose(fp);
	return n;
}

static int
close_to(double a, double b, double tol)
{
	return fabs(a - b) <= tol * (1 + fabs(b));
}

/* Compare one method of R's with ours over every row of the fixture. */
static void
against_r(void)
{
	char path[600], s[32], m[32], val[64];
	FILE *fp;
	int hz, checked = 0;
	double y[64];

	snprintf(path, sizeof(path), "%s/r-expected.tsv", dir);
	fp = fopen(path, "r");
	ok(fp != NULL, "R's expected values are there (%s)", path);
	if (fp == NULL)
		return;
	fscanf(fp, "%*[^\n]\n");
	while (fscanf(fp, "%31s %31s %d %63s", s, m, &hz, val) == 4) {
		struct fc_result res;
		size_t n = load_series(s, y, 64);
		double want = strtod(val, NULL), got = NAN;
		int st = -1;

		fc_result_init(&res, n, 10);
		if (strcmp(m, "naive") == 0)
			st = fc_naive(y, n, 1, NULL, 10, &res);
		else if (strcmp(m, "meanf") == 0)
			st = fc_mean(y, n, 1, NULL, 10, &res);
		else if (strcmp(m, "snaive") == 0)
			st = fc_snaive(y, n, 7, NULL, 10, &res);
		else if (strcmp(m, "croston_0.1") == 0)
			st = fc_croston_fixed(y, n, 0.1, FC_CROSTON, 10, &res);
		else if (strcmp(m, "croston_0.2") == 0)
			st = fc_croston_fixed(y, n, 0.2, FC_CROSTON, 10, &res);
		else if (strcmp(m, "ses_simple_0.3") == 0) {
			res.mean[hz - 1] = fc_ses_run(y, n, 0.3, y[0], NULL);
			st = 0;
		}
		if (st == 0)
			got = res.mean[hz - 1];
		if (hz == 1 || !close_to(got, want, TOL))
			ok(st == 0 && close_to(got, want, TOL),
			    "%s on %s, h=%d: %.10g (R: %.10g, tolerance %g)", m, s, hz,
			    got, want, TOL);
		checked++;
		fc_result_release(&res);
	}
	fclose(fp);
	ok(checked >= 80, "%d values of R compared", checked);
}

static void
intermittent(void)
{
	double y[] = { 0, 2, 0, 0, 4, 0 };
	struct fc_result r, s;

	/* Croston, alpha 0.5: sizes 2, 4 -> 2, 3; intervals 2, 3 -> 2, 2.5. */
	fc_result_init(&r, 6, 2);
	fc_result_init(&s, 6, 2);
	fc_croston_fixed(y, 6, 0.5, FC_CROSTON, 2, &r);
	ok(close_to(r.mean[0], 3 / 2.5, 1e-12), "Croston by hand: 3 / 2.5");
	ok(isnan(r.fitted[0]) && isnan(r.fitted[1]) && close_to(r.fitted[2], 1, 1e-12),
	    "Croston's fitted values start after the first demand");
	fc_croston_fixed(y, 6, 0.5, FC_SBA, 2, &s);
	ok(close_to(s.mean[0], r.mean[0] * 0.75, 1e-12), "SBA is Croston x (1 - alpha/2)");
	fc_result_release(&r);
	fc_result_release(&s);

	/* TSB alpha 0.5 beta 0.5: z0 = 3, p0 = 2/6. */
	double p = 2.0 / 6, z = 3;
	for (int t = 0; t < 6; t++) {
		if (y[t] > 0) {
			z += 0.5 * (y[t] - z);
			p += 0.5 * (1 - p);
		} else
			p -= 0.5 * p;
	}
	fc_result_init(&r, 6, 1);
	fc_tsb_fixed(y, 6, 0.5, 0.5, 1, &r);
	ok(close_to(r.mean[0], p * z, 1e-12), "TSB by hand: %g", p * z);
	fc_result_release(&r);

	double none[8] = { 0 };
	fc_result_init(&r, 8, 1);
	ok(fc_croston(none, 8, 1, NULL, 1, &r) == -1 && r.why[0] != '\0',
	    "Croston refuses a series without demand, with a reason");
	fc_result_release(&r);

	/* ADIDA: 12 periods, 4 demands -> buckets of 3. */
	double a[12] = { 0, 0, 3, 0, 0, 3, 0, 0, 3, 0, 0, 3 };
	fc_result_init(&r, 12, 2);
	ok(fc_adida(a, 12, 1, NULL, 2, &r) == 0 && close_to(r.mean[0], 1, 1e-12) &&
	    strncmp(r.name, "ADIDA(3,", 8) == 0,
	    "ADIDA: buckets of 3 of a steady 3 give 1 per period (%s)", r.name);
	fc_result_release(&r);
}

static void
classes(void)
{
	double adi, cv2;
	double smooth[10] = { 5, 6, 5, 7, 6, 5, 6, 7, 5, 6 };
	double erratic[10] = { 1, 20, 2, 30, 1, 25, 2, 1, 40, 3 };
	double inter[12] = { 0, 5, 0, 0, 6, 0, 0, 5, 0, 0, 6, 0 };
	double lumpy[12] = { 0, 1, 0, 0, 30, 0, 0, 2, 0, 0, 50, 0 };
	double zero[5] = { 0 }, shrt[3] = { 1, 0, 2 };

	is_str(fc_classify(smooth, 10, &adi, &cv2), "smooth", "smooth: ADI 1, low CV2");
	ok(adi == 1, "ADI of a series without zeros is 1");
	is_str(fc_classify(erratic, 10, &adi, &cv2), "erratic", "erratic");
	is_str(fc_classify(inter, 12, &adi, &cv2), "intermittent", "intermittent");
	ok(adi == 3, "ADI = 12 periods / 4 demands");
	is_str(fc_classify(lumpy, 12, &adi, &cv2), "lumpy", "lumpy");
	is_str(fc_classify(zero, 5, &adi, &cv2), "zero", "all zeros");
	is_str(fc_classify(shrt, 3, &adi, &cv2), "short", "3 periods: short");
}

/* Demand in 3 of the first 4 periods, then g without: the chance that
 * none of the 3 demands of n = 4 + g periods falls in the last g is
 * C(4, 3) / C(n, 3): 4/455 for g = 11, 4/364 = 1/91 for g = 10. */
static void
stops(void)
{
	double y[15] = { 2, 0, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	double gap[12] = { 1, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0 };
	double one[8] = { 0, 0, 5, 0, 0, 0, 0, 0 };
	struct fc_stop st, st2;

	ok(fc_stopped(y, 15, 0.01, &st) == 1, "11 periods without demand after 3 in 4: stopped");
	ok(st.gap == 11 && st.before == 4 && st.demands == 3 && st.share == 0.75,
	    "gap 11, 3 demands in the 4 periods before (%zu, %zu, %zu)", st.gap,
	    st.demands, st.before);
	ok(fabs(st.prob - 4.0 / 455) < 1e-15, "chance 4/455 (%g)", st.prob);
	ok(fc_stopped(y, 15, st.prob, &st2) == 0, "not below a level equal to the chance");
	ok(fc_stopped(y, 14, 0.01, &st) == 0 && fabs(st.prob - 1.0 / 91) < 1e-15,
	    "10 periods: chance 1/91, just above 0.01 (%g): no stop", st.prob);
	ok(fc_stopped(gap, 12, 0.5, &st) == 0 && st.gap == 4,
	    "a run shorter than an earlier gap (6) is no stop");
	ok(fc_stopped(one, 8, 0.5, &st) == 0 && st.demands == 1,
	    "one demand gives no share to test");
	ok(fc_stopped(y, 4, 0.5, &st) == 0 && st.gap == 0, "no run at the end, no stop");
}

/* Series without a stop: a demand each period with probability p,
 * independently (a fixed linear congruential generator).  The test at 1%
 * finds a stop in fewer than 1% of them pooled, and in under 2% for every
 * p and n (2,000 series each: 1.15% at most; the chance E[(1 - p)^g]
 * with p's Beta posterior from the periods before the run alone reached
 * 2.4% for one p and n). */
static void
stop_false_alarms(void)
{
	static const double ps[] = { 0.05, 0.2, 0.5, 0.9 };
	static const size_t ns[] = { 20, 52, 104, 365 };
	enum { reps = 2000 };
	double y[365];
	unsigned long long s = 12345;
	size_t all = 0, worst = 0;
	struct fc_stop st;

	for (size_t a = 0; a < 4; a++)
		for (size_t b = 0; b < 4; b++) {
			size_t hits = 0;

			for (int r = 0; r < reps; r++) {
				for (size_t t = 0; t < ns[b]; t++) {
					s = s * 6364136223846793005ULL + 1442695040888963407ULL;
					y[t] = (double)(s >> 11) / 9007199254740992.0 < ps[a];
				}
				hits += (size_t)fc_stopped(y, ns[b], 0.01, &st);
			}
			all += hits;
			worst = hits > worst ? hits : worst;
		}
	ok(all < 16 * reps / 100, "false stops at 1%%: %zu of %d series", all, 16 * reps);
	ok(worst < 2 * reps / 100, "false stops at 1%%: at most %zu of %d for one p and "
	    "n, under twice the level", worst, reps);
}

/* Demand 10 a day and 40 on the holidays of Salvador's calendar
 * (lib/holidays): the regression's holiday column carries the jump to
 * the next ones (New Year's Day, then Carnival 3 and 4 March 2025). */
static void
holiday_effect(void)
{
	double y[731];
	struct fc_ctx cx = { FC_DAY, 0, NULL, 0, NULL };
	struct fc_result r;
	struct holidays cal;
	long carnival = date_from_ymd(2025, 3, 3);
	int spikes = 0;

	holidays_init(&cal, HOL_SALVADOR);
	cx.start = date_from_ymd(2023, 1, 1);
	for (int t = 0; t < 731; t++)
		y[t] = holidays_is(&cal, cx.start + t) ? 40 : 10;
	ok(holidays_is(&cal, carnival) && holidays_is(&cal, carnival + 1) &&
	    !holidays_is(&cal, carnival + 2), "Carnival 2025 is 3 and 4 March");
	holidays_release(&cal);
	fc_result_init(&r, 731, 70);
	ok(fc_regression(y, 731, 7, &cx, 70, &r) == 0, "regression fits 2 years of days");
	for (int i = 0; i < 70; i++) {
		long d = cx.start + 731 + i;
		int hol = d == date_from_ymd(2025, 1, 1) || d == carnival || d == carnival + 1;

		if (hol ? r.mean[i] > 30 : r.mean[i] < 20)
			spikes++;
		else
			printf("# %ld: %g\n", d, r.mean[i]);
	}
	ok(spikes == 70, "the 3 holidays of the next 70 days forecast over 30, the other days under 20");
	fc_result_release(&r);
}

static void
regression(void)
{
	double y[140];
	struct fc_ctx cx = { FC_DAY, 0, NULL, 0, NULL };
	struct fc_result r;
	int good = 1;

	cx.start = date_from_ymd(2024, 1, 1);
	for (int t = 0; t < 140; t++)
		y[t] = 10 + 0.1 * t + 3 * sin(2 * M_PI * (double)(cx.start + t) / 7);
	fc_result_init(&r, 140, 14);
	ok(fc_regression(y, 140, 7, &cx, 14, &r) == 0, "regression fits");
	for (int i = 0; i < 14; i++) {
		double want = 10 + 0.1 * (140 + i) + 3 * sin(2 * M_PI * (double)(cx.start + 140 + i) / 7);
		if (fabs(r.mean[i] - want) > 0.05 * want) {
			good = 0;
			printf("# h=%d got %g want %g\n", i + 1, r.mean[i], want);
		}
	}
	ok(good, "regression extrapolates a trend and a weekly cycle within 5%%");
	fc_result_release(&r);
	holiday_effect();
	ok(fc_period_start(FC_WEEK, date_from_ymd(2025, 10, 26)) == date_from_ymd(2025, 10, 20),
	    "a Sunday's week starts on the Monday before");
	ok(fc_period_add(FC_MONTH, date_from_ymd(2025, 11, 1), 3) == date_from_ymd(2026, 2, 1),
	    "months add across the year");
}

static void
engine(void)
{
	struct fc_plan p = { .model = "auto", .cv = 20, .nlevels = 2,
	    .levels = { 80, 95 }, .nq = 2, .q = { 0.5, 0.9 } };
	struct fc_fc f;
	double zero[40] = { 0 }, y[60];
	int good = 1;

	fc_run(zero, 40, 7, NULL, 5, &p, &f);
	ok(f.mean[0] == 0 && f.hi[5 + 0] == 0 && strcmp(f.cls, "zero") == 0 &&
	    strcmp(f.model, "zero") == 0, "an all-zero series forecasts zero");
	fc_fc_release(&f);
	for (int t = 0; t < 60; t++)
		y[t] = t % 5 == 0 ? 4 + t % 3 : 0;
	fc_run(y, 60, 7, NULL, 10, &p, &f);
	for (size_t i = 0; i < 10; i++)
		good &= f.mean[i] >= 0 && f.lo[10 + i] <= f.lo[i] && f.hi[i] <= f.hi[10 + i] &&
		    f.q[i] <= f.q[10 + i] && isfinite(f.sd[i]);
	ok(good, "intervals nest (80%% inside 95%%), quantiles ordered, never negative");
	is_str(f.cls, "intermittent", "a demand every 5 periods is intermittent");
	fc_fc_release(&f);
	p.model = "naive";
	fc_run(zero, 0, 7, NULL, 3, &p, &f);
	ok(strstr(f.model, "fallback") != NULL && f.mean[0] == 0,
	    "an empty series falls back and says so (%s)", f.model);
	fc_fc_release(&f);
}

/* A forecast of h = 2 with the plan's levels and quantiles. */
static void
fc_alloc(struct fc_fc *f, const struct fc_plan *p, double mean)
{
	memset(f, 0, sizeof(*f));
	f->h = 2;
	f->nlevels = p->nlevels;
	f->nq = p->nq;
	f->mean = calloc(2, sizeof(double));
	f->sd = calloc(2, sizeof(double));
	f->lo = calloc(2 * p->nlevels, sizeof(double));
	f->hi = calloc(2 * p->nlevels, sizeof(double));
	f->q = calloc(2 * p->nq + 1, sizeof(double));
	f->mean[0] = f->mean[1] = mean;
}

static void
intervals(void)
{
	struct fc_plan p = { .model = "auto", .nlevels = 2, .levels = { 80, 95 },
	    .nq = 3, .q = { 0.5, 0.9, 0.95 } };
	/* 20 periods, demands 2, 4, 6, 8 (zbar 5): 0.5 a period is p = 0.1 */
	double y[20] = { 0, 2, 0, 0, 0, 4, 0, 0, 0, 0, 6, 0, 0, 0, 0, 8, 0, 0, 0, 0 };
	double e[12];
	char note[128];
	struct fc_fc f;
	enum fc_iv m;

	fc_alloc(&f, &p, 0.5);
	m = fc_intervals(&f, &p, y, 20, NULL, 0, 0, FC_IV_COMPOUND, note, sizeof(note));
	ok(m == FC_IV_COMPOUND && note[0] == '\0', "compound interval for intermittent demand");
	/* P(0) = 0.9 >= 0.2: 80%% is [0, Q(0.8)] = [0, 0] -> holds the mean 0.5;
	 * 95%%: [0, Q(0.95)], Q(0.95) = size quantile (0.95 - 0.9) / 0.1 = 0.5 of
	 * 2, 4, 6, 8, the upper conformal one: the ceil(5 x 0.5) = 3rd, 6 (not
	 * 5 interpolated, nor the 2nd from 0.5 rounded below it in floating
	 * point); q90 = 0 (u <= 0.9), q50 = 0. */
	ok(f.lo[0] == 0 && f.hi[0] == 0.5 && f.lo[2] == 0 && f.hi[2] == 6,
	    "compound bounds by hand (80%%: [0, mean], 95%%: [0, 6]): %g %g", f.hi[0], f.hi[2]);
	ok(f.q[0] == 0 && f.q[2] == 0 && f.q[4] == 6, "compound quantiles by hand");
	/* sd^2 = p E[S^2] - mu^2 = 0.1 * 30 - 0.25 */
	ok(close_to(f.sd[0], sqrt(2.75), 1e-12), "compound sd by hand (%g)", f.sd[0]);
	fc_fc_release(&f);

	/* a model sd of 2e30 (TSB at daily, before) never reaches the output */
	fc_alloc(&f, &p, 0.5);
	f.sd[0] = f.sd[1] = 2.09e30;
	for (int i = 0; i < 12; i++)
		e[i] = i % 4 == 0 ? 2 : -0.5;
	m = fc_intervals(&f, &p, y, 20, e, 4, 3, FC_IV_ANALYTIC, note, sizeof(note));
	ok(m == FC_IV_EMPIRICAL && strstr(note, "absurd") != NULL && strstr(note, "instead") != NULL,
	    "an absurd analytic sd falls back to the cross-validation errors: %s", note);
	ok(f.sd[0] < 20 * 8 && f.hi[2] < 20 * 8 && f.lo[0] <= 0.5 && f.hi[0] >= 0.5,
	    "the fallback is bounded by the history and holds the mean");
	fc_fc_release(&f);
	fc_alloc(&f, &p, 0.5);
	f.sd[0] = f.sd[1] = NAN;
	m = fc_intervals(&f, &p, y, 20, NULL, 0, 0, FC_IV_ANALYTIC, note, sizeof(note));
	ok(m == FC_IV_HISTORY && isfinite(f.sd[1]) && f.sd[1] < 8,
	    "no finite sd and no errors: the history's spread (%g)", f.sd[1]);
	fc_fc_release(&f);

	/* errors of a biased method all below the forecast: still [lo, mean] */
	fc_alloc(&f, &p, 3);
	for (int i = 0; i < 12; i++)
		e[i] = -1 - 0.1 * i;
	fc_intervals(&f, &p, y, 20, e, 4, 3, FC_IV_EMPIRICAL, note, sizeof(note));
	ok(f.hi[2] >= 3 && f.lo[2] < 3 && f.hi[0] >= 3 && f.q[1] <= f.q[3] && f.q[3] <= f.q[5],
	    "a biased method's interval still holds its forecast; quantiles in order");
	fc_fc_release(&f);
}

typedef int (*fit_fn)(const double *, size_t, int, const char *, size_t,
    struct fc_result *);
typedef int (*refilter_fn)(const double *, size_t, const double *, size_t,
    size_t, struct fc_result *);

/* The parameters of a fit filter a series again without fitting: the
 * same history gives the same forecasts; a longer one moves them. */
static void
refilter(fit_fn fit, refilter_fn again, const char *spec)
{
	static double y[400];
	struct fc_result a, b, c;
	double d = 0;
	unsigned s = 7;

	for (int t = 0; t < 400; t++) {
		s = s * 1103515245u + 12345u;
		y[t] = 50 + 0.02 * t + 8 * sin(2 * M_PI * t / 7) +
		    (double)(s >> 16 & 1023) / 100;
	}
	fc_result_init(&a, 300, 14);
	fc_result_init(&b, 300, 14);
	fc_result_init(&c, 400, 14);
	ok(fit(y, 300, 7, spec, 14, &a) == 0 && a.npar > 0,
	    "%s fits 300 days with a weekly cycle and saves %zu parameters", a.name, a.npar);
	ok(again(y, 300, a.par, a.npar, 14, &b) == 0 &&
	    strcmp(a.name, b.name) == 0, "its parameters filter the same history");
	for (int i = 0; i < 14; i++)
		d = fmax(d, fabs(a.mean[i] - b.mean[i]) + fabs(a.sd[i] - b.sd[i]));
	ok(d < 1e-9, "to the same forecasts and sds (%g)", d);
	ok(again(y, 400, a.par, a.npar, 14, &c) == 0 &&
	    fabs(c.mean[0] - (50 + 0.02 * 400 + 5.12)) < 10 &&
	    fabs(c.mean[0] - a.mean[0]) > 1e-6,
	    "and a longer one to forecasts from its end (%g)", c.mean[0]);
	ok(again(y, 400, a.par, 3, 14, &c) == -1, "wrong parameters are refused");
	fc_result_release(&a);
	fc_result_release(&b);
	fc_result_release(&c);
}

static void
ses(void)
{
	/* level starts at the mean of the first 10 (5); a step to 9 after
	 * period 10 is followed fastest by alpha = 1: forecast 9 */
	double y[20];
	struct fc_result r;

	for (int t = 0; t < 20; t++)
		y[t] = t < 10 ? 5 : 9;
	fc_result_init(&r, 20, 3);
	ok(fc_ses(y, 20, 1, NULL, 3, &r) == 0 && close_to(r.mean[2], 9, 1e-12) &&
	    strcmp(r.name, "SES(alpha=1.00)") == 0, "SES follows a step (%s, %g)", r.name, r.mean[2]);
	fc_result_release(&r);
	fc_result_init(&r, 1, 3);
	ok(fc_ses(y, 1, 1, NULL, 3, &r) == -1, "SES needs 2 periods");
	fc_result_release(&r);
}

static void
measures(void)
{
	struct fc_plan p = { .model = "auto", .nlevels = 1, .levels = { 95 }, .nq = 1, .q = { 0.9 } };
	struct fc_fc f = { 0 };
	struct fc_acc a;
	double y[] = { 1, 3, 2, 4 }, mean[2] = { 2, 2 }, lo[2] = { 0, 0 }, hi[2] = { 3, 3 };
	double q[2] = { 3, 3 }, sd[2] = { 1, 1 };

	f.h = 2;
	f.mean = mean;
	f.lo = lo;
	f.hi = hi;
	f.q = q;
	f.sd = sd;
	memset(&a, 0, sizeof(a));
	fc_acc_scale(&a, y, 4);              /* |diffs| 2, 1, 2: 5/3; squares 9/3 */
	ok(close_to(a.scale1, 5.0 / 3, 1e-12) && close_to(a.scale2, 3, 1e-12),
	    "scales: mean |diff| 5/3, mean diff^2 3");
	fc_acc_add(&a, &f, 0, 1, &p);        /* e = 1 */
	fc_acc_add(&a, &f, 1, 5, &p);        /* e = -3, outside [0, 3] */
	ok(a.n == 2 && a.sae == 4 && a.sse == 10 && a.serr == -2 && a.sact == 6,
	    "sums of errors");
	ok(a.cover[0] == 1, "one of two actuals inside the interval");
	/* pinball 0.9: q 3, a 1: 0.1 * 2 = 0.2; a 5: 0.9 * 2 = 1.8 */
	ok(close_to(a.spin[0], 2.0, 1e-12), "pinball losses by hand");
}

/* Mean squared error over the finite fitted values (plain loop). */
static double
path_mse(const double *y, const double *f, size_t n, size_t *c)
{
	double s = 0;

	*c = 0;
	for (size_t t = 0; t < n; t++)
		if (!isnan(f[t])) {
			s += (y[t] - f[t]) * (y[t] - f[t]);
			++*c;
		}
	return *c ? s / (double)*c : INFINITY;
}

/* Every model's multi-fit (fc_model.multi) gives, at each length, what
 * its fit of that length alone gives: forecast, fitted values and name. */
static void
multi_fits(void)
{
	double y[80];
	size_t ns[12];
	unsigned s = 777;
	int models = 0, same = 1;

	for (size_t t = 0; t < 80; t++) {
		s = s * 1103515245u + 12345u;
		y[t] = (s >> 16) % 100 < 30 ? 1 + (s >> 8) % 20 : 0;
	}
	for (size_t i = 0; i < 12; i++)
		ns[i] = 3 + 7 * i;       /* 3 .. 80: some too short for a model */
	for (const struct fc_model *md = fc_models; md->name != NULL; md++) {
		struct fc_result many[12], one;
		int st[12];

		if (md->multi == NULL)
			continue;
		models++;
		for (size_t i = 0; i < 12; i++)
			fc_result_init(&many[i], ns[i], 4);
		md->multi(y, ns, 12, 1, NULL, 4, many, st);
		for (size_t i = 0; i < 12; i++) {
			int st1;

			fc_result_init(&one, ns[i], 4);
			st1 = md->fn(y, ns[i], 1, NULL, 4, &one);
			if (st1 != st[i] || (st1 == 0 && (memcmp(one.mean, many[i].mean,
			    4 * sizeof(double)) != 0 || memcmp(one.fitted, many[i].fitted,
			    ns[i] * sizeof(double)) != 0 || strcmp(one.name, many[i].name) != 0))) {
				same = 0;
				printf("# %s at %zu: %d %s %g, multi %d %s %g\n", md->name, ns[i],
				    st1, one.name, one.mean[0], st[i], many[i].name, many[i].mean[0]);
			}
			fc_result_release(&one);
			fc_result_release(&many[i]);
		}
	}
	ok(models >= 4 && same, "the %d multi-fits equal fits one length at a time", models);
}

/* The grids' errors at several history lengths in one pass equal those of
 * a pass over each length alone (bit for bit: the same arithmetic). */
static void
prefix_grids(void)
{
	static const double ga[3] = { 0.05, 0.3, 0.9 };
	static const size_t ends[5] = { 1, 7, 20, 21, 40 };
	double y[40], sse[15];
	struct fc_runs all, r;
	int same = 1;

	for (size_t t = 0; t < 40; t++)
		y[t] = t % 7 == 3 || t == 20 ? (double)(t % 5 + 1) : 0;
	fc_runs_init(&all, y, 40);
	fc_runs_ses_grid(&all, ga, 3, 2.5, ends, 5, sse);
	for (size_t p = 0; p < 5; p++) {
		fc_runs_init(&r, y, ends[p]);
		for (size_t j = 0; j < 3; j++) {
			double a = fc_runs_ses_sse(&r, ga[j], 2.5);

			if (memcmp(&a, &sse[p * 3 + j], sizeof(a)) != 0) {
				same = 0;
				printf("# length %zu alpha %g: %g vs %g\n", ends[p], ga[j],
				    sse[p * 3 + j], a);
			}
		}
		fc_runs_free(&r);
	}
	fc_runs_free(&all);
	ok(same, "the SES grid at 5 history lengths in one pass equals passes "
	    "over each");
}

/*
 * Croston's and SBA's constants minimise the Mean Absolute Rate (Kourentzes
 * 2014): recomputed here from the fitted values of every constant of the
 * grid (0.01 .. 0.50), the one chosen at each of 4 history lengths by the
 * one-pass multi-fit is the least's.
 */
static void
mar_choice(void)
{
	static const size_t ns[4] = { 20, 33, 50, 80 };
	double y[80];
	struct fc_result res[4], r;
	unsigned s = 777;
	int st[4], same = 1;

	for (size_t t = 0; t < 80; t++) {
		s = s * 1103515245u + 12345u;
		y[t] = (s >> 16) % 100 < 35 ? 1 + (s >> 8) % 30 : 0;
	}
	for (int kind = FC_CROSTON; kind <= FC_SBA; kind++) {
		for (size_t p = 0; p < 4; p++)
			fc_result_init(&res[p], ns[p], 1);
		if (kind == FC_SBA)
			fc_sba_multi(y, ns, 4, 1, NULL, 1, res, st);
		else
			fc_croston_multi(y, ns, 4, 1, NULL, 1, res, st);
		for (size_t p = 0; p < 4; p++) {
			size_t n = ns[p], c0 = (size_t)ceil(0.3 * (double)n);
			double best = INFINITY, ba = 0, cm[80], cs = 0;

			for (size_t t = 0; t < n; t++) {
				cs += y[t];
				cm[t] = cs / (double)(t + 1);
			}
			for (size_t t = 0; t < c0; t++)
				cm[t] = cm[c0 - 1];
			for (int g = 1; g <= 50; g++) {
				double a = 0.01 * g, e = 0;

				fc_result_init(&r, n, 1);
				fc_croston_fixed(y, n, a, (enum fc_croston_kind)kind, 1, &r);
				for (size_t t = 0; t < n; t++)
					if (!isnan(r.fitted[t]))
						e += fabs(r.fitted[t] - cm[t]);
				fc_result_release(&r);
				if (e < best * (1 - 1e-12)) {
					best = e;
					ba = a;
				}
			}
			if (st[p] != 0 || fabs(res[p].par[0] - ba) > 1e-9) {
				same = 0;
				printf("# %s length %zu: chose %g, least rate error at %g\n",
				    kind == FC_SBA ? "SBA" : "Croston", n, res[p].par[0], ba);
			}
			fc_result_release(&res[p]);
		}
	}
	ok(same, "Croston's and SBA's constants at 4 lengths minimise the Mean "
	    "Absolute Rate");
}

/* Run-length errors equal those of the models' fitted paths on random intermittent series
 * (long and short zero runs, a negative value, a demand at both ends). */
static void
runs(void)
{
	double y[300], worst = 0, grid[20];
	static const double ga[5] = { 0.01, 0.1, 0.3, 0.5, 0.9 }, gb[4] = { 0.02, 0.1, 0.4, 0.7 };
	unsigned s = 12345;
	int all = 1, gridok = 1;

	for (int rep = 0; rep < 20; rep++) {
		size_t n = 40 + (size_t)rep * 13;
		struct fc_runs r;
		struct fc_result res;

		for (size_t t = 0; t < n; t++) {
			s = s * 1103515245u + 12345u;
			y[t] = (s >> 16) % 100 < (unsigned)(3 + rep * 4) ?
			    1 + (s >> 8) % 50 : 0;
		}
		y[0] = rep % 2 ? 4 : 0;
		y[n - 1] = rep % 3 ? 0 : 2;
		if (rep == 7)
			y[n / 2] = -3;
		fc_runs_init(&r, y, n);
		fc_result_init(&res, n, 1);
		fc_runs_tsb_grid(&r, ga, 5, gb, 4, grid);
		for (size_t i = 0; i < 20; i++) {
			double one = fc_runs_tsb_mse(&r, ga[i / 4], gb[i % 4]);
			double d = fabs(grid[i] - one) / fmax(fabs(one), 1e-12);

			if (!(d <= 1e-9))
				gridok = 0;
		}
		for (double a = 0.01; a < 1; a += 0.07)
			for (double b = 0.02; b < 0.6; b += 0.11) {
				double v[2][2];
				size_t c;

				fc_ses_run(y, n, a, 5, res.fitted);
				v[0][0] = fc_runs_ses_sse(&r, a, 5);
				v[0][1] = path_mse(y, res.fitted, n, &c) * (double)c;
				fc_tsb_fixed(y, n, a, b, 1, &res);
				v[1][0] = fc_runs_tsb_mse(&r, a, b);
				v[1][1] = path_mse(y, res.fitted, n, &c);
				for (int i = 0; i < 2; i++) {
					double d = fabs(v[i][0] - v[i][1]) / fmax(fabs(v[i][1]), 1e-12);
					if (!(d <= 1e-9))
						all = 0;
					else if (d > worst)
						worst = d;
				}
			}
		fc_result_release(&res);
		fc_runs_free(&r);
	}
	ok(all, "run-length SES and TSB errors equal the recursions' "
	    "(worst relative difference %.2g)", worst);
	ok(gridok, "TSB's 5 x 4 grid equals its pairs one by one");
	prefix_grids();
	multi_fits();
	mar_choice();
}

int
main(void)
{
	const char *src = getenv("SRC_DIR");

	gsl_set_error_handler_off();
	snprintf(dir, sizeof(dir), "%s/tests/fixtures/forecast", src ? src : ".");
	against_r();
	intermittent();
	classes();
	stops();
	stop_false_alarms();
	regression();
	engine();
	intervals();
	ses();
	refilter(fc_ets, fc_ets_refilter, "AAdA");
	refilter(fc_arima, fc_arima_refilter, "auto");
	measures();
	runs();
	return tap_done();
}
