/*
 * features_exog.c: weather and economic records pivoted into daily
 * columns (features_exog.h).
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "features_exog.h"
#include "flat.h"
#include "flatget.h"
#include "input.h"
#include "nc.h"
#include "ndjson.h"

struct exog_obs {
	int col;
	long day;
	double value;           /* NaN = null */
};

void
exog_init(struct exog *x, const char *station)
{
	memset(x, 0, sizeof(*x));
	x->station = station;
}

void
exog_release(struct exog *x)
{
	for (int i = 0; i < x->ncol; i++)
		free(x->names[i]);
	free(x->names);
	free(x->summed);
	free(x->monthly);
	free(x->daily_econ);
	free(x->obs);
	free(x->v);
	free(x->seen_station);
	memset(x, 0, sizeof(*x));
}

int
exog_has_column(const struct exog *x, const char *name, size_t len)
{
	for (int i = 0; i < x->ncol; i++)
		if (strlen(x->names[i]) == len && memcmp(x->names[i], name, len) == 0)
			return 1;
	return 0;
}

static int
column(struct exog *x, const char *name, size_t len, int econ)
{
	for (int i = 0; i < x->ncol; i++)
		if (strlen(x->names[i]) == len && memcmp(x->names[i], name, len) == 0)
			return i;
	if (x->ncol == x->capcol) {
		x->capcol = x->capcol ? 2 * x->capcol : 16;
		x->names = xrealloc(x->names, (size_t)x->capcol * sizeof(*x->names));
		x->summed = xrealloc(x->summed, (size_t)x->capcol * sizeof(int));
		x->monthly = xrealloc(x->monthly, (size_t)x->capcol * sizeof(int));
		x->daily_econ = xrealloc(x->daily_econ, (size_t)x->capcol * sizeof(int));
	}
	x->names[x->ncol] = xstrndup(name, len);
	x->summed[x->ncol] = !econ && len >= 6 && memcmp(name, "precip", 6) == 0;
	x->monthly[x->ncol] = econ;     /* until a day other than the 1st */
	x->daily_econ[x->ncol] = 0;
	return x->ncol++;
}

static void
observe(struct exog *x, int col, long day, double v)
{
	if (x->nobs == x->capobs) {
		x->capobs = x->capobs ? 2 * x->capobs : 1024;
		x->obs = xrealloc(x->obs, x->capobs * sizeof(*x->obs));
	}
	x->obs[x->nobs].col = col;
	x->obs[x->nobs].day = day;
	x->obs[x->nobs].value = v;
	x->nobs++;
}

/* One weather record; returns a reason to reject it, or NULL. */
static const char *
weather(struct exog *x, const struct flat *fl, const struct flat_field *st, long day,
    int *fatal)
{
	double v;
	int r;

	if (st->type != FLAT_STRING && st->type != FLAT_NUMBER)
		return "station: not a string";
	if (x->station != NULL) {
		if (strlen(x->station) != st->vlen || memcmp(x->station, st->val, st->vlen) != 0)
			return "";      /* another station: skipped, not rejected */
	} else if (x->seen_station == NULL)
		x->seen_station = xstrndup(st->val, st->vlen);
	else if (strlen(x->seen_station) != st->vlen ||
	    memcmp(x->seen_station, st->val, st->vlen) != 0) {
		*fatal = 1;
		return "several stations; choose one with --station";
	}
	for (size_t i = 0; i < fl->n; i++) {
		const struct flat_field *f = &fl->f[i];

		if (f == st || (f->klen == 4 && memcmp(f->key, "date", 4) == 0) ||
		    (f->klen > 0 && f->key[0] == '_'))
			continue;
		if ((r = flat_get_number(f, &v)) < 0)
			continue;       /* names, codes: not a measurement */
		observe(x, column(x, f->key, f->klen, 0), day, r ? v : NAN);
	}
	return NULL;
}

static const char *
economic(struct exog *x, const struct flat *fl, const struct flat_field *se, long day)
{
	char name[128];
	size_t n = 5;
	double v;
	int r;

	if (se->type != FLAT_STRING || se->vlen == 0 || se->vlen > 100)
		return "series: not a name";
	if ((r = flat_get_number(flat_get(fl, "value", 5), &v)) < 0)
		return "value: not a number";
	memcpy(name, "econ_", 5);
	for (size_t i = 0; i < se->vlen; i++) {
		unsigned char c = (unsigned char)se->val[i];

		name[n++] = isalnum(c) ? (char)tolower(c) : '_';
	}
	observe(x, column(x, name, n, 1), day, r ? v : NAN);
	return NULL;
}

int
exog_load(struct exog *x, FILE *fp, const char *name, struct rejects *rej,
    char *why, size_t size)
{
	struct flat_field buf[64];
	struct flat fl;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long lineno = 0;
	int rval = 0;

	flat_init(&fl, buf, sizeof(buf) / sizeof(*buf));
	while ((len = getline(&line, &cap, fp)) > 0) {
		const struct flat_field *d, *st, *se;
		const char *reason = NULL;
		json_t *rec = NULL;
		char pwhy[256];
		long day;
		int fatal = 0;

		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (strspn(line, " \t") == (size_t)len)
			continue;
		x->records++;
		if (flat_scan(&fl, line, (size_t)len) != 0) {
			if ((rec = ndjson_parse(line, (size_t)len, pwhy, sizeof(pwhy))) == NULL)
				reason = pwhy;
			else
				flat_from_json(&fl, rec);
		}
		if (reason != NULL)
			;
		else if ((d = flat_get(&fl, "date", 4)) == NULL || d->type != FLAT_STRING ||
		    date_parse_n(d->val, d->vlen, &day) != 0)
			reason = "date: not a date";
		else if ((st = flat_get(&fl, "station", 7)) != NULL)
			reason = weather(x, &fl, st, day, &fatal);
		else if ((se = flat_get(&fl, "series", 6)) != NULL)
			reason = economic(x, &fl, se, day);
		else
			reason = "neither weather (station) nor economic (series) record";
		if (fatal) {
			snprintf(why, size, "%s:%lu: %s", name, lineno, reason);
			rval = -1;
			json_decref(rec);
			break;
		}
		if (reason != NULL && *reason != '\0') {
			if (rec == NULL)
				rec = ndjson_parse(line, (size_t)len, NULL, 0);
			reject_record(rej, rec, rec ? NULL : line, name, lineno, reason);
		}
		json_decref(rec);
	}
	if (ferror(fp)) {
		snprintf(why, size, "%s: read error", name);
		rval = -1;
	}
	free(line);
	flat_release(&fl);
	return rval;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
exog_finish(struct exog *x)
{
	long lo = 0, hi = 0;
	int *order, *old_summed, *old_monthly;
	char **old_names;

	if (x->ncol == 0)
		return;
	/* A series with a day other than the 1st is daily. */
	for (size_t i = 0; i < x->nobs; i++) {
		int y, m, d;

		date_to_ymd(x->obs[i].day, &y, &m, &d);
		if (d != 1)
			x->monthly[x->obs[i].col] = 0;
		if (i == 0 || x->obs[i].day < lo)
			lo = x->obs[i].day;
		if (i == 0 || x->obs[i].day > hi)
			hi = x->obs[i].day;
	}
	/* Columns sorted by name; order[old] = new. */
	old_names = xmalloc((size_t)x->ncol * sizeof(*old_names));
	memcpy(old_names, x->names, (size_t)x->ncol * sizeof(*old_names));
	old_summed = xmalloc((size_t)x->ncol * sizeof(int));
	old_monthly = xmalloc((size_t)x->ncol * sizeof(int));
	memcpy(old_summed, x->summed, (size_t)x->ncol * sizeof(int));
	memcpy(old_monthly, x->monthly, (size_t)x->ncol * sizeof(int));
	qsort(x->names, (size_t)x->ncol, sizeof(*x->names), name_cmp);
	order = xmalloc((size_t)x->ncol * sizeof(int));
	for (int i = 0; i < x->ncol; i++)
		for (int j = 0; j < x->ncol; j++)
			if (old_names[i] == x->names[j]) {
				order[i] = j;
				x->summed[j] = old_summed[i];
				x->monthly[j] = old_monthly[i];
				x->daily_econ[j] = strncmp(x->names[j], "econ_", 5) == 0 &&
				    !old_monthly[i];
			}
	/* Room for a month after a monthly value and the carry after a daily one. */
	x->base = lo;
	x->ndays = hi - lo + 32;
	x->v = xmalloc((size_t)x->ncol * (size_t)x->ndays * sizeof(double));
	for (size_t i = 0; i < (size_t)x->ncol * (size_t)x->ndays; i++)
		x->v[i] = NAN;
	for (size_t i = 0; i < x->nobs; i++) {
		int c = order[x->obs[i].col];
		double *row = x->v + (size_t)c * (size_t)x->ndays;
		long off = x->obs[i].day - x->base;

		if (x->monthly[c]) {
			int y, m, d;
			long end;

			date_to_ymd(x->obs[i].day, &y, &m, &d);
			end = date_from_ymd(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - x->base;
			for (long k = off; k < end && k < x->ndays; k++)
				row[k] = x->obs[i].value;
		} else
			row[off] = x->obs[i].value;     /* a later record wins */
	}
	for (int c = 0; c < x->ncol; c++) {
		double *row = x->v + (size_t)c * (size_t)x->ndays;
		double last = NAN;
		long age = 0;

		if (!x->daily_econ[c])
			continue;
		for (long k = 0; k < x->ndays; k++) {
			if (!isnan(row[k])) {
				last = row[k];
				age = 0;
			} else if (!isnan(last) && ++age <= EXOG_CARRY_DAYS)
				row[k] = last;
		}
	}
	free(order);
	free(old_names);
	free(old_summed);
	free(old_monthly);
	free(x->obs);
	x->obs = NULL;
	x->nobs = x->capobs = 0;
}

int
exog_period(const struct exog *x, int col, long from, long to, double *v)
{
	const double *row = x->v + (size_t)col * (size_t)x->ndays;
	double sum = 0;
	long n = 0;

	for (long d = from; d < to; d++) {
		long k = d - x->base;

		if (k < 0 || k >= x->ndays || isnan(row[k]))
			continue;
		sum += row[k];
		n++;
	}
	if (n == 0)
		return 0;
	*v = x->summed[col] ? sum : sum / (double)n;
	return 1;
}
