/*
 * forecast_class.c: the demand class of a series, from the average
 * inter-demand interval (ADI) and the squared coefficient of variation of
 * the non-zero demand sizes (CV²), with the cut-offs 1.32 and 0.49 of
 * Syntetos, Boylan and Croston (2005), "On the categorization of demand
 * patterns", JORS 56(5).  Owner: nc-forecast.
 */
#include <math.h>

#include "forecast.h"

#define FC_MIN_CLASSIFY 8      /* periods needed to classify */

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
	if (n < FC_MIN_CLASSIFY)
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
