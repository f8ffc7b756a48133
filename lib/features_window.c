/*
 * features_window.c: lags and rolling windows over a ring of the last
 * FWIN_CAP values (features_window.h).  Each window is summed afresh, in
 * row order, so no error accumulates along a long series.
 */
#include <math.h>
#include <string.h>

#include "features_window.h"

void
fwin_reset(struct fwin *w)
{
	w->n = 0;
}

void
fwin_push(struct fwin *w, double v, int isnull)
{
	w->v[w->n % FWIN_CAP] = v;
	w->null[w->n % FWIN_CAP] = (unsigned char)(isnull != 0);
	w->n++;
}

int
fwin_lag(const struct fwin *w, int k, double *v)
{
	unsigned long i;

	if ((unsigned long)k >= w->n || k >= FWIN_CAP)
		return 0;
	i = (w->n - 1 - (unsigned long)k) % FWIN_CAP;
	if (w->null[i])
		return 0;
	*v = w->v[i];
	return 1;
}

/* The non-null values of the window, oldest first; returns their count. */
static int
window(const struct fwin *w, int n, double *out)
{
	unsigned long first = w->n > (unsigned long)n ? w->n - (unsigned long)n : 0;
	int m = 0;

	for (unsigned long r = first; r < w->n; r++)
		if (!w->null[r % FWIN_CAP])
			out[m++] = w->v[r % FWIN_CAP];
	return m;
}

int
fwin_mean(const struct fwin *w, int n, double *v)
{
	double x[FWIN_CAP], s = 0;
	int m = window(w, n, x);

	if (m == 0)
		return 0;
	for (int i = 0; i < m; i++)
		s += x[i];
	*v = s / m;
	return 1;
}

int
fwin_std(const struct fwin *w, int n, double *v)
{
	double x[FWIN_CAP], s = 0, mean, ss = 0;
	int m = window(w, n, x);

	if (m < 2)
		return 0;
	for (int i = 0; i < m; i++)
		s += x[i];
	mean = s / m;
	for (int i = 0; i < m; i++)
		ss += (x[i] - mean) * (x[i] - mean);
	*v = sqrt(ss / (m - 1));
	return 1;
}

void
fwin_seed(const struct fwin *w, struct fwin_seed *f)
{
	unsigned long first30 = w->n > 30 ? w->n - 30 : 0, first7 = w->n > 7 ? w->n - 7 : 0;
	double x7[7], s7 = 0, s30 = 0, mean, ss = 0;
	int m7 = 0, m30 = 0;

	f->have_lag_1 = fwin_lag(w, 1, &f->lag_1);
	f->have_lag_7 = fwin_lag(w, 7, &f->lag_7);
	f->have_lag_30 = fwin_lag(w, 30, &f->lag_30);
	/* The sums in row order, as fwin_mean() and fwin_std() add. */
	for (unsigned long r = first30; r < w->n; r++) {
		double v = w->v[r % FWIN_CAP];

		if (w->null[r % FWIN_CAP])
			continue;
		s30 += v;
		m30++;
		if (r >= first7) {
			s7 += v;
			x7[m7++] = v;
		}
	}
	f->have_mean_30 = m30 > 0;
	f->mean_30 = m30 > 0 ? s30 / m30 : 0;
	f->have_mean_7 = m7 > 0;
	f->mean_7 = m7 > 0 ? s7 / m7 : 0;
	f->have_std_7 = m7 >= 2;
	f->std_7 = 0;
	if (m7 >= 2) {
		mean = s7 / m7;
		for (int i = 0; i < m7; i++)
			ss += (x7[i] - mean) * (x7[i] - mean);
		f->std_7 = sqrt(ss / (m7 - 1));
	}
}
