/*
 * fcexpect.h: expected fits and forecasts from R's forecast package
 * (tests/fixtures/forecast-models/expected.txt, made by gen-expected.R),
 * read by the unit tests of lib/fc_ets.c and lib/fc_arima.c.
 */
#ifndef FCEXPECT_H
#define FCEXPECT_H
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FCX_MAXN 400
#define FCX_MAXH 40

struct fcx_case {
	char series[32], kind[16], spec[32], name[64];
	int m;
	size_t h;
	double aicc, mean[FCX_MAXH], sd[FCX_MAXH];
};

static const char *
fcx_dir(void)
{
	const char *d = getenv("NC_FC_FIXTURES");

	return d != NULL ? d : "tests/fixtures/forecast-models";
}

/* Read a series (one number a line); its length, or 0. */
static size_t
fcx_series(const char *name, double *y)
{
	char path[512];
	size_t n = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s.txt", fcx_dir(), name);
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	while (n < FCX_MAXN && fscanf(fp, "%lf", &y[n]) == 1)
		n++;
	fclose(fp);
	return n;
}

static size_t
fcx_list(const char *s, double *v)
{
	size_t k = 0;

	while (k < FCX_MAXH && *s != '\0') {
		char *end;

		while (*s == ' ')
			s++;
		v[k++] = strncmp(s, "NA", 2) == 0 ? NAN : strtod(s, &end);
		if (strncmp(s, "NA", 2) == 0)
			end = (char *)s + 2;
		s = *end == ',' ? end + 1 : end;
		if (*end != ',')
			break;
	}
	return k;
}

/* Read the cases of one kind ("ets", "arima"); their number. */
static size_t
fcx_cases(const char *kind, struct fcx_case *c, size_t max)
{
	char path[512], line[8192];
	size_t k = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/expected.txt", fcx_dir());
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	while (k < max && fgets(line, sizeof(line), fp) != NULL) {
		char *f[9], *save = NULL, *p = line;
		int nf = 0;

		line[strcspn(line, "\n")] = '\0';
		while (nf < 9 && (f[nf] = strtok_r(p, "\t", &save)) != NULL) {
			nf++;
			p = NULL;
		}
		if (nf != 9 || strcmp(f[2], kind) != 0)
			continue;
		snprintf(c[k].series, sizeof(c[k].series), "%s", f[0]);
		c[k].m = atoi(f[1]);
		snprintf(c[k].kind, sizeof(c[k].kind), "%s", f[2]);
		snprintf(c[k].spec, sizeof(c[k].spec), "%s", f[3]);
		snprintf(c[k].name, sizeof(c[k].name), "%s", f[4]);
		for (char *u = c[k].name; *u; u++)
			if (*u == '_')
				*u = ' ';
		c[k].aicc = strncmp(f[5], "NA", 2) == 0 ? NAN : strtod(f[5], NULL);
		c[k].h = (size_t)atoi(f[6]);
		if (fcx_list(f[7], c[k].mean) != c[k].h ||
		    fcx_list(f[8], c[k].sd) != c[k].h)
			continue;
		k++;
	}
	fclose(fp);
	return k;
}

/* Largest |got - want| / scale over the horizon. */
static double
fcx_maxrel(const double *got, const double *want, size_t h, double scale)
{
	double worst = 0;

	for (size_t i = 0; i < h; i++) {
		double d = fabs(got[i] - want[i]) / scale;

		if (!(d <= worst))
			worst = d;
	}
	return worst;
}

/* Mean absolute value of want: the scale of relative comparisons. */
static double
fcx_scale(const double *want, size_t h)
{
	double s = 0;

	for (size_t i = 0; i < h; i++)
		s += fabs(want[i]);
	return h ? s / (double)h : 1;
}
#endif
