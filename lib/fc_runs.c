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

/* Over a run of len periods: 1 + q^2 + ... + q^(2 len - 2), and q^len
 * in *qlen. */
static double
geo_sum(double q, size_t len, double *qlen)
{
	double s = 0, w = 1;

	if (len <= 8) {
		for (size_t i = 0; i < len; i++) {
			s += w;
			w *= q * q;
		}
		w = 1;
		for (size_t i = 0; i < len; i++)
			w *= q;
		*qlen = w;
		return s;
	}
	w = pow(q, (double)len);
	*qlen = w;
	return q * q < 1 ? (1 - w * w) / (1 - q * q) : (double)len;
}

/*
 * A run of len zeros met by a value f that decays by q each period: adds
 * f^2 (1 + q^2 + ... + q^(2 len - 2)) to *sse and returns f q^len.
 */
static double
geo_run(double f, double q, size_t len, double *sse)
{
	double w, s;

	if (len == 0)
		return f;
	s = geo_sum(q, len, &w);
	*sse += f * f * s;
	return f * w;
}

/*
 * The grids below run the recursions of all their constants side by side,
 * event by event: the run structure is shared, and the independent chains
 * interleave instead of waiting on each other's divisions.  Each constant
 * gets the same arithmetic, in the same order, as on its own.
 */
#define CHUNK 128              /* constants side by side */

/*
 * ends[0..ne-1] (ascending, at most r->n): the history lengths whose
 * errors are wanted, out[p * stride + j] for the p-th and constant j.  A
 * length's errors are those of the events before it and of the zeros from
 * the last of them up to it: emitted when the pass reaches it, from
 * copies of the state, they are what a pass over that length alone gives.
 */
static void
ses_chunk(const struct fc_runs *r, const double *ga, size_t na, double l0,
    const size_t *ends, size_t ne, double *out, size_t stride)
{
	double l[CHUNK], sse[CHUNK];
	size_t t = 0, p = 0;

	for (size_t j = 0; j < na; j++) {
		l[j] = l0;
		sse[j] = 0;
	}
	for (size_t i = 0; i <= r->k && p < ne; i++) {
		size_t ti = i < r->k ? r->t[i] : r->n;

		for (; p < ne && ends[p] <= ti; p++)
			for (size_t j = 0; j < na; j++) {
				double sj = sse[j];

				geo_run(l[j], 1 - ga[j], ends[p] - t, &sj);
				out[p * stride + j] = sj;
			}
		if (i == r->k)
			break;
		for (size_t j = 0; j < na; j++)
			l[j] = geo_run(l[j], 1 - ga[j], ti - t, &sse[j]);
		for (size_t j = 0; j < na; j++) {
			double e = r->v[i] - l[j];

			sse[j] += e * e;
			l[j] += ga[j] * e;
		}
		t = ti + 1;
	}
}

void
fc_runs_ses_grid(const struct fc_runs *r, const double *ga, size_t na,
    double l0, const size_t *ends, size_t ne, double *sse)
{
	if (ends == NULL) {
		ends = &r->n;
		ne = 1;
	}
	for (size_t c = 0; c < na; c += CHUNK)
		ses_chunk(r, ga + c, na - c < CHUNK ? na - c : CHUNK, l0, ends,
		    ne, sse + c, na);
}

double
fc_runs_ses_sse(const struct fc_runs *r, double a, double l0)
{
	double sse;

	fc_runs_ses_grid(r, &a, 1, l0, NULL, 0, &sse);
	return sse;
}

double
fc_runs_tsb_mse(const struct fc_runs *r, double a, double b)
{
	double mse;

	fc_runs_tsb_grid(r, &a, 1, &b, 1, &mse);
	return mse;
}

/*
 * TSB's probability path depends on b only and its size path on a only,
 * so that the sum of squared errors separates: with p_i the probability
 * after the update before demand i, S_i the geometric sum over the zeros
 * that precede it, P_i the probability at it and z_i the size before it,
 *   sse(a, b) = sum_i z_i^2 p_i^2 S_i + (y_i - P_i z_i)^2 (+ the tail run).
 * The b paths and the a paths are each computed once: a grid costs
 * O(k (na + nb)) for the recursions and O(k na nb) multiply-adds.
 */
void
fc_runs_tsb_grid(const struct fc_runs *r, const double *ga, size_t na,
    const double *gb, size_t nb, double *mse)
{
	const size_t k = r->k, w = k + 1;
	double *B1 = xcalloc(nb * w, sizeof(double));
	double *B2 = xcalloc(nb * w, sizeof(double));
	double *Z = xcalloc(na * w, sizeof(double));
	double z0 = 0, p0;
	size_t kpos = 0;

	for (size_t i = 0; i < k; i++)
		if (r->v[i] > 0) {
			z0 += r->v[i];
			kpos++;
		}
	if (kpos == 0 || r->n == 0) {
		for (size_t i = 0; i < na * nb; i++)
			mse[i] = INFINITY;
		goto done;
	}
	z0 /= (double)kpos;
	p0 = (double)kpos / (double)r->n;
	for (size_t j = 0; j < nb; j++) {
		const double b = gb[j], q = 1 - b;
		double p = p0, qlen = 1;
		size_t t = 0;

		for (size_t i = 0; i <= k; i++) {
			size_t ti = i < k ? r->t[i] : r->n;
			double s = ti > t ? geo_sum(q, ti - t, &qlen) : 0;

			if (ti == t)
				qlen = 1;
			B1[j * w + i] = p * p * s;
			p *= qlen;
			B2[j * w + i] = p;
			if (i == k)
				break;
			if (r->v[i] > 0)
				p += b * (1 - p);
			else
				p -= b * p;
			t = ti + 1;
		}
	}
	for (size_t a = 0; a < na; a++) {
		double z = z0;

		for (size_t i = 0; i <= k; i++) {
			Z[a * w + i] = z;
			if (i < k && r->v[i] > 0)
				z += ga[a] * (r->v[i] - z);
		}
	}
	for (size_t a = 0; a < na; a++)
		for (size_t j = 0; j < nb; j++) {
			const double *b1 = B1 + j * w, *b2 = B2 + j * w, *z = Z + a * w;
			double sse = z[k] * z[k] * b1[k];

			for (size_t i = 0; i < k; i++) {
				double e = r->v[i] - b2[i] * z[i];

				sse += z[i] * z[i] * b1[i] + e * e;
			}
			mse[a * nb + j] = sse / (double)r->n;
		}
done:
	free(B1);
	free(B2);
	free(Z);
}
