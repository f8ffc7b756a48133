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
