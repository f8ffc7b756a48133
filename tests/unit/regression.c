/*
 * Unit tests of the prediction intervals of lib/fc_regression.c and
 * lib/fc_prophet.c: the standard deviation of the forecast error holds the
 * noise, grows with the horizon (parameter and trend uncertainty), comes
 * with Student t degrees of freedom between 1 and n - 1 (a ridge fit's,
 * a lasso's), and follows the level when the noise does (multiplicative)
 * but not when it does not (additive).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "date.h"
#include "fc_models.h"
#include "tap.h"

#define N 48
#define H 12

/* Deterministic normal deviates: Park-Miller, Box-Muller. */
static double
noise(void)
{
	static double x = 12345;
	double a, b;

	x = fmod(16807 * x, 2147483647);
	a = x / 2147483647;
	x = fmod(16807 * x, 2147483647);
	b = x / 2147483647;
	return sqrt(-2 * log(a)) * cos(2 * M_PI * b);
}

static void
check(const char *what, const double *y, int mult, fc_model_fn fn)
{
	struct fc_ctx cx = { FC_MONTH, 0, NULL, 0, NULL };
	struct fc_result r;
	int st, grows = 1;

	cx.start = date_from_ymd(2019, 1, 1);
	fc_result_init(&r, N, H);
	st = fn(y, N, 12, &cx, H, &r);
	ok(st == 0, "%s: fits", what);
	ok(r.sigma2 > 0 && isfinite(r.sigma2), "%s: residual variance %g", what, r.sigma2);
	ok(r.tdf >= 1 && r.tdf < N - 1, "%s: t degrees of freedom %g in [1, n - 1)", what, r.tdf);
	/* not monotone: the Fourier terms' parameter variance follows the season */
	for (int i = 0; i < H; i++)
		grows &= isfinite(r.sd[i]) && r.sd[i] >= sqrt(r.sigma2) * (mult ? 1 : 0.999);
	ok(grows && r.sd[H - 1] > 1.05 * r.sd[0], "%s: sd finite, above sigma, wider at %d than at 1 (%g .. %g)",
	    what, H, r.sd[0], r.sd[H - 1]);
	if (mult)
		ok(r.sd[0] > 1.3 * sqrt(r.sigma2),
		    "%s: multiplicative noise: sd at the forecast's level (%g) above the history's mean (%g)",
		    what, r.sd[0], sqrt(r.sigma2));
	else
		ok(r.sd[0] >= sqrt(r.sigma2) && r.sd[0] < 1.3 * sqrt(r.sigma2),
		    "%s: additive noise: sd %g near sigma %g", what, r.sd[0], sqrt(r.sigma2));
	fc_result_release(&r);
}

int
main(void)
{
	double a[N], m[N];

	for (int t = 0; t < N; t++) {
		a[t] = 60 + 0.5 * t + 2 * noise();
		m[t] = (40 + 1.5 * t) * (1 + 0.1 * noise());
	}
	check("regression, additive", a, 0, fc_regression);
	check("regression, multiplicative", m, 1, fc_regression);
	check("prophet, additive", a, 0, fc_prophet);
	check("prophet, multiplicative", m, 1, fc_prophet);
	return tap_done();
}
