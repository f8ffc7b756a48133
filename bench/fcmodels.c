/*
 * fcmodels.c: the C side of bench/fcmodels: fit fc_ets() and fc_arima()
 * ("auto") to every series of a file ("name m v1 v2 ..." per line) and
 * print "name method model seconds f1,f2,..".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fcmodel.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	static char line[1 << 16];
	static double y[4096];
	size_t h = argc > 2 ? (size_t)atoi(argv[2]) : 8;
	FILE *fp;

	if (argc < 2 || (fp = fopen(argv[1], "r")) == NULL)
		return 2;
	while (fgets(line, sizeof(line), fp) != NULL) {
		char name[128], *p = line, *end;
		int m, used;
		size_t n = 0;

		if (sscanf(p, "%127s %d%n", name, &m, &used) != 2)
			continue;
		p += used;
		for (;;) {
			double v = strtod(p, &end);

			if (end == p || n == 4096)
				break;
			y[n++] = v;
			p = end;
		}
		for (int k = 0; k < 2; k++) {
			struct fc_result r;
			double t0 = now(), t;
			int rc;

			fc_result_init(&r, n, h);
			rc = k == 0 ? fc_ets(y, n, m, "auto", h, &r) :
			    fc_arima(y, n, m, "auto", h, &r);
			t = now() - t0;
			printf("%s\t%s\t%s\t%.6f\t", name, k ? "arima" : "ets",
			    rc == 0 ? r.name : "failed", t);
			for (size_t i = 0; i < h; i++)
				printf("%s%.6g", i ? "," : "", rc == 0 ? r.mean[i] : 0);
			printf("\n");
			fc_result_release(&r);
		}
	}
	fclose(fp);
	return 0;
}
