/*
 * forecast_class.c: the demand class of a series, from the average
 * inter-demand interval (ADI) and the squared coefficient of variation of
 * the non-zero demand sizes (CV²), with the cut-offs 1.32 and 0.49 of
 * Syntetos, Boylan and Croston (2005), "On the categorization of demand
 * patterns", JORS 56(5); and whether demand has stopped.  Owner:
 * nc-forecast.
 */
#include <math.h>
#include <string.h>

#include "forecast.h"

const char *
fc_classify(const double *y, size_t n, double *adi, double *cv2)
{
	double s = 0, s2 = 0, mu;
	size_t k = 0;

	*adi = *cv2 = NAN;
	for (size_t i = 0; i < n; i++)
		if (y[i] > 0) {
			s += y[i];
			k++;
		}
	if (k == 0)
		return "zero";
	if (n < FC_SHORT)
		return "short";
	*adi = (double)n / (double)k;
	mu = s / (double)k;
	for (size_t i = 0; i < n; i++)
		if (y[i] > 0)
			s2 += (y[i] - mu) * (y[i] - mu);
	*cv2 = k > 1 ? s2 / (double)(k - 1) / (mu * mu) : 0;
	if (*adi < FC_ADI_CUT)
		return *cv2 < FC_CV2_CUT ? "smooth" : "erratic";
	return *cv2 < FC_CV2_CUT ? "intermittent" : "lumpy";
}

/*
 * Whether the series' demand has stopped: the run of g zeros at its end is
 * longer than every gap between its earlier demands, and so long a run is
 * unlikely were demand going on as before.  Going on as before: a demand
 * each period with the same probability, independently.  Given the k
 * demands of the n periods, every placement of them is then equally
 * likely, whatever that probability, and the chance that none falls in
 * the last g periods is C(n - g, k) / C(n, k) = prod_{i<g} (n - k - i) /
 * (n - i): an exact test (conditional on k, as Fisher's), stopped when
 * that chance is below alpha.  On series without a stop, it finds one in
 * fewer than alpha of them (tests/unit/forecast.c simulates them); the
 * mean of (1 - p)^g under p's Beta posterior from the periods before the
 * run alone, which are selected to end in a demand, found more than twice
 * alpha for some demand probabilities and lengths.
 * st gets the figures.
 */
int
fc_stopped(const double *y, size_t n, double alpha, struct fc_stop *st)
{
	size_t before, k = 0, run = 0, longest = 0;

	memset(st, 0, sizeof(*st));
	while (st->gap < n && y[n - 1 - st->gap] <= 0)
		st->gap++;
	before = n - st->gap;
	for (size_t i = 0; i < before; i++)
		if (y[i] > 0) {
			if (k++ > 0 && run > longest)
				longest = run;
			run = 0;
		} else
			run++;
	st->demands = k;
	st->before = before;
	if (k < 2 || st->gap <= longest)
		return 0;
	st->share = (double)k / (double)before;
	st->prob = 1;
	for (size_t i = 0; i < st->gap; i++)
		st->prob *= (double)(n - k - i) / (double)(n - i);
	return st->prob < alpha;
}
