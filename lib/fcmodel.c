/* fcmodel.c: the result of a forecasting model (see fcmodel.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcmodel.h"
#include "nc.h"

void
fc_result_init(struct fc_result *res, size_t n, size_t h)
{
	memset(res, 0, sizeof(*res));
	res->n = n;
	res->h = h;
	/* one block: the mean, the sd, the fitted values */
	res->mean = xcalloc(2 * h + n + 1, sizeof(double));
	res->sd = res->mean + h;
	res->fitted = res->sd + h;
	for (size_t i = 0; i < h; i++)
		res->sd[i] = NAN;
	for (size_t i = 0; i < n; i++)
		res->fitted[i] = NAN;
	res->aicc = NAN;
	res->sigma2 = NAN;
}

void
fc_result_release(struct fc_result *res)
{
	free(res->mean);
	res->mean = res->sd = res->fitted = NULL;
}

int
fc_result_check(struct fc_result *res, size_t h)
{
	for (size_t i = 0; i < h; i++)
		if (!isfinite(res->mean[i]) || !isfinite(res->sd[i])) {
			snprintf(res->why, sizeof(res->why),
			    "non-finite forecast");
			return -1;
		}
	return 0;
}
