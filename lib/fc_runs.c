/* fc_runs.c: run-length in-sample errors (see fc_runs.h). */
#include <math.h>
#include <stdlib.h>

#include "fc_runs.h"
#include "nc.h"

void
fc_runs_init(struct fc_runs *r, const double *y, size_t n)
{
	size_t k = 0;

	for (size_t t = 0; t < n; t++)
		k += y[t] != 0;
	r->n = n;
	r->k = 0;
	r->t = xcalloc(k ? k : 1, sizeof(size_t));
	r->v = xcalloc(k ? k : 1, sizeof(double));
	for (size_t t = 0; t < n; t++)
		if (y[t] != 0) {
			r->t[r->k] = t;
			r->v[r->k++] = y[t];
		}
}

void
fc_runs_free(struct fc_runs *r)
{
	free(r->t);
	free(r->v);
}

/*
 * A run of len zeros met by a value f that decays by q each period: adds
 * f^2 (1 + q^2 + ... + q^(2 len - 2)) to *sse and returns f q^len.
 */
static double
geo_run(double f, double q, size_t len, double *sse)
{
	double s = 0, w = 1;

	if (len == 0)
		return f;
	if (len <= 8) {
		for (size_t i = 0; i < len; i++) {
			s += w;
			w *= q * q;
		}
		*sse += f * f * s;
		for (size_t i = 0; i < len; i++)
			f *= q;
		return f;
	}
	w = pow(q, (double)len);
	s = q * q < 1 ? (1 - w * w) / (1 - q * q) : (double)len;
	*sse += f * f * s;
	return f * w;
}

double
fc_runs_ses_sse(const struct fc_runs *r, double a, double l0)
{
	double l = l0, sse = 0;
	size_t t = 0;

	for (size_t i = 0; i < r->k; i++) {
		double e;

		l = geo_run(l, 1 - a, r->t[i] - t, &sse);
		e = r->v[i] - l;
		sse += e * e;
		l += a * e;
		t = r->t[i] + 1;
	}
	geo_run(l, 1 - a, r->n - t, &sse);
	return sse;
}

double
fc_runs_croston_mse(const struct fc_runs *r, double a,
    enum fc_croston_kind kind)
{
	const double adj = kind == FC_SBA ? 1 - a / 2 : 1;
	double lz = 0, lp = 0, f = NAN, sse = 0;
	size_t last = 0, k = 0, t = 0, first = r->n;

	for (size_t i = 0; i < r->k; i++) {
		double y = r->v[i];

		if (k > 0) {
			/* the zeros since the last period seen, then this one */
			sse += (double)(r->t[i] - t) * f * f;
			sse += (y - f) * (y - f);
		}
		t = r->t[i] + 1;
		if (y <= 0)
			continue;
		double interval = (double)(r->t[i] + 1 - last);
		if (k == 0) {
			lz = y;
			lp = interval;
			first = r->t[i];
		} else {
			lz += a * (y - lz);
			lp += a * (interval - lp);
		}
		k++;
		last = r->t[i] + 1;
		f = adj * lz / lp;
	}
	if (k == 0 || first + 1 >= r->n)
		return INFINITY;
	sse += (double)(r->n - t) * f * f;
	return sse / (double)(r->n - 1 - first);
}

double
fc_runs_tsb_mse(const struct fc_runs *r, double a, double b)
{
	double z = 0, p, s = 0, sse = 0;
	size_t k = 0, t = 0;

	for (size_t i = 0; i < r->k; i++)
		if (r->v[i] > 0) {
			s += r->v[i];
			k++;
		}
	if (k == 0 || r->n == 0)
		return INFINITY;
	z = s / (double)k;
	p = (double)k / (double)r->n;
	for (size_t i = 0; i < r->k; i++) {
		double y = r->v[i], f;

		/* over zeros the forecast p z decays with p */
		p = geo_run(p * z, 1 - b, r->t[i] - t, &sse) / z;
		f = p * z;
		sse += (y - f) * (y - f);
		if (y > 0) {
			z += a * (y - z);
			p += b * (1 - p);
		} else
			p -= b * p;
		t = r->t[i] + 1;
	}
	geo_run(p * z, 1 - b, r->n - t, &sse);
	return sse / (double)r->n;
}
