/* forecast_sizepool.c: the pooled statistics' file (forecast_sizepool.h). */
#include <errno.h>
#include <stdlib.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include <jansson.h>

#include "date.h"
#include "forecast_out.h"
#include "forecast_series.h"
#include "forecast_shape.h"
#include "forecast_sizepool.h"

void
fc_sizepool_dates(struct fc_sizepool *sp, const struct fc_set *set)
{
	sp->have_date = set->have_date;
	sp->min_date = set->min_date;
	sp->max_date = set->max_date;
	sp->ndates = set->ndates;
	sp->all_month_start = set->all_month_start;
	sp->wday = set->wday;
}

void
fc_sizepool_apply(const struct fc_sizepool *sp, struct fc_set *set)
{
	set->have_date = sp->have_date;
	set->min_date = sp->min_date;
	set->max_date = sp->max_date;
	set->ndates = sp->ndates;
	set->all_month_start = sp->all_month_start;
	set->wday = sp->wday;
}

static void
put_date(FILE *fp, const char *name, int have, long d)
{
	char buf[DATE_BUFSZ];

	if (!have) {
		fprintf(fp, ",\"%s\":null", name);
		return;
	}
	date_format(d, buf);
	fprintf(fp, ",\"%s\":\"%s\"", name, buf);
}

int
fc_sizepool_write(FILE *fp, const struct fc_sizepool *sp)
{
	if (isfinite(sp->size_cv))
		fprintf(fp, "{\"size_cv\":%.17g", sp->size_cv);
	else
		fputs("{\"size_cv\":null", fp);
	fprintf(fp, ",\"pairs\":%zu,\"series\":%zu,\"period\":\"%s\"", sp->pairs, sp->series,
	    fc_period_name(sp->period));
	put_date(fp, "cutoff", 1, sp->cutoff);
	put_date(fp, "min_date", sp->have_date, sp->min_date);
	put_date(fp, "max_date", sp->have_date, sp->max_date);
	fprintf(fp, ",\"dates\":%zu,\"month_starts\":%s,\"weekday\":%d}\n", sp->ndates,
	    sp->all_month_start ? "true" : "false", sp->wday);
	return ferror(fp) ? -1 : 0;
}

static int bad(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
bad(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -1;
}

int
fc_sizepool_check(const struct fc_sizepool *sp, enum fc_period p, long cutoff,
    char *why, size_t whylen)
{
	char d1[DATE_BUFSZ], d2[DATE_BUFSZ];

	if (sp->period == p && sp->cutoff == cutoff)
		return 0;
	date_format(sp->cutoff, d1);
	date_format(cutoff, d2);
	return bad(why, whylen, "pooled by %s before %s, but this run pools by %s before %s "
	    "(--period, --as-of, --settle and --backtest must be those of --pool-only)",
	    fc_period_name(sp->period), d1, fc_period_name(p), d2);
}

/* A date field: 1 when a date, 0 when null (if nullable), -1 otherwise. */
static int
get_date(json_t *o, const char *name, int nullable, long *d)
{
	json_t *v = json_object_get(o, name);

	if (nullable && json_is_null(v))
		return 0;
	if (!json_is_string(v) || json_string_length(v) != 10 ||
	    date_parse(json_string_value(v), d) != 0)
		return -1;
	return 1;
}

/* The date of a sums entry (its first element). */
static int
get_date_at(json_t *e, long *d)
{
	json_t *v = json_array_get(e, 0);

	return json_is_string(v) && json_string_length(v) == 10 &&
	    date_parse(json_string_value(v), d) == 0 ? 0 : -1;
}

static int
get_count(json_t *o, const char *name, size_t *n)
{
	json_t *v = json_object_get(o, name);

	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return -1;
	*n = (size_t)json_integer_value(v);
	return 0;
}

static const char *
get_period(json_t *o, enum fc_period *p)
{
	json_t *v = json_object_get(o, "period");
	const char *n = json_is_string(v) ? json_string_value(v) : "";

	if (strcmp(n, "day") == 0)
		*p = FC_DAY;
	else if (strcmp(n, "week") == 0)
		*p = FC_WEEK;
	else if (strcmp(n, "month") == 0)
		*p = FC_MONTH;
	else
		return "period: not day, week or month";
	return NULL;
}

/* The fields of a pool and a part alike: the input's dates. */
static const char *
check_dates(json_t *o, struct fc_sizepool *sp)
{
	json_t *v;
	int lo, hi;

	if (get_count(o, "series", &sp->series) != 0 || get_count(o, "dates", &sp->ndates) != 0)
		return "series, dates: not counts";
	lo = get_date(o, "min_date", 1, &sp->min_date);
	hi = get_date(o, "max_date", 1, &sp->max_date);
	if (lo < 0 || hi < 0 || lo != hi || (lo && sp->min_date > sp->max_date))
		return "min_date, max_date: not both dates in order, or both null";
	sp->have_date = lo;
	v = json_object_get(o, "month_starts");
	if (!json_is_boolean(v))
		return "month_starts: not true or false";
	sp->all_month_start = json_is_true(v);
	v = json_object_get(o, "weekday");
	if (!json_is_integer(v) || json_integer_value(v) < -1 || json_integer_value(v) > 7)
		return "weekday: not an integer from -1 to 7";
	sp->wday = (int)json_integer_value(v);
	return NULL;
}

static const char *
check(json_t *o, struct fc_sizepool *sp)
{
	json_t *v = json_object_get(o, "size_cv");
	const char *what;

	if (json_is_null(v))
		sp->size_cv = NAN;
	else if (json_is_number(v) && json_number_value(v) >= 0)
		sp->size_cv = json_number_value(v);
	else
		return "size_cv: not a number >= 0 or null";
	if (get_count(o, "pairs", &sp->pairs) != 0)
		return "pairs: not a count";
	if ((what = get_period(o, &sp->period)) != NULL)
		return what;
	if (get_date(o, "cutoff", 0, &sp->cutoff) < 0)
		return "cutoff: not a date (YYYY-MM-DD)";
	return check_dates(o, sp);
}

int
fc_sizepool_read(const char *path, struct fc_sizepool *sp, char *why, size_t whylen)
{
	json_error_t je;
	json_t *o;
	const char *what;
	FILE *fp = fopen(path, "r");

	if (fp == NULL)
		return bad(why, whylen, "%s", strerror(errno));
	/* One value, nothing after it but white space. */
	o = json_loadf(fp, 0, &je);
	fclose(fp);
	if (o == NULL)
		return bad(why, whylen, "not a pool file: line %d: %s", je.line, je.text);
	memset(sp, 0, sizeof(*sp));
	what = json_is_object(o) ? check(o, sp) : "not a pool file: not a JSON object";
	json_decref(o);
	return what == NULL ? 0 : bad(why, whylen, "%s", what);
}

/* --- parts (--pool-part, --pool-merge) ----------------------------------- */

/* v in decimal into buf (of at least 41 bytes). */
static void
i128_format(fc_i128 v, char *buf)
{
	char tmp[48];
	size_t n = 0, i = 0;
	fc_u128 u = v < 0 ? -(fc_u128)v : (fc_u128)v;

	do
		tmp[n++] = (char)('0' + (int)(u % 10));
	while ((u /= 10) != 0);
	if (v < 0)
		buf[i++] = '-';
	while (n > 0)
		buf[i++] = tmp[--n];
	buf[i] = '\0';
}

/* A decimal string of at most 38 digits into *v; 0, or -1. */
static int
i128_parse(json_t *j, int sign_ok, fc_i128 *v)
{
	const char *p = json_is_string(j) ? json_string_value(j) : "";
	int neg = sign_ok && *p == '-', nd = 0;
	fc_i128 x = 0;

	for (p += neg; *p >= '0' && *p <= '9' && nd < 38; p++, nd++)
		x = x * 10 + (*p - '0');
	if (*p != '\0' || nd == 0)
		return -1;
	*v = neg ? -x : x;
	return 0;
}

int
fc_sizepool_write_part(FILE *fp, const struct fc_sizepool *sp, const struct fc_cvsum *cs)
{
	char s[48], s2[48], d[DATE_BUFSZ];

	fprintf(fp, "{\"pool_part\":1,\"period\":\"%s\",\"series\":%zu",
	    fc_period_name(sp->period), sp->series);
	put_date(fp, "min_date", sp->have_date, sp->min_date);
	put_date(fp, "max_date", sp->have_date, sp->max_date);
	fprintf(fp, ",\"dates\":%zu,\"month_starts\":%s,\"weekday\":%d,\"sums\":[", sp->ndates,
	    sp->all_month_start ? "true" : "false", sp->wday);
	for (size_t i = 0; i < cs->nb; i++) {
		date_format(cs->b[i].period, d);
		i128_format(cs->b[i].s, s);
		i128_format((fc_i128)cs->b[i].s2, s2);
		fprintf(fp, "%s[\"%s\",%zu,\"%s\",\"%s\"]", i ? "," : "", d, cs->b[i].n, s, s2);
	}
	fputs("]}\n", fp);
	return ferror(fp) ? -1 : 0;
}

static const char *
check_sums(json_t *sums, struct fc_cvsum *cs)
{
	size_t i;
	json_t *e;

	if (!json_is_array(sums))
		return "sums: not an array";
	json_array_foreach(sums, i, e) {
		struct fc_cvbucket b;
		fc_i128 s2;

		if (json_array_size(e) != 4 || get_date_at(e, &b.period) != 0 ||
		    !json_is_integer(json_array_get(e, 1)) ||
		    json_integer_value(json_array_get(e, 1)) < 0 ||
		    i128_parse(json_array_get(e, 2), 1, &b.s) != 0 ||
		    i128_parse(json_array_get(e, 3), 0, &s2) != 0)
			return "sums: not [date, count, sum, sum of squares]";
		b.n = (size_t)json_integer_value(json_array_get(e, 1));
		b.s2 = (fc_u128)s2;
		fc_cvsum_put(cs, &b);
	}
	return NULL;
}

/* Add the part o into sp (its dates, series) and cs (its sums). */
static const char *
add_part(json_t *o, struct fc_sizepool *sp, struct fc_cvsum *cs)
{
	struct fc_sizepool p = { 0 };
	const char *what;

	if (!json_is_object(o) || json_integer_value(json_object_get(o, "pool_part")) != 1)
		return "not a pool part (of --pool-part)";
	if ((what = get_period(o, &p.period)) != NULL || (what = check_dates(o, &p)) != NULL)
		return what;
	if (sp->nparts > 0 && p.period != sp->period)
		return "parts of different periods";
	if ((what = check_sums(json_object_get(o, "sums"), cs)) != NULL)
		return what;
	if (sp->nparts++ == 0) {
		sp->all_month_start = 1;
		sp->period = p.period;
	}
	sp->series += p.series;
	sp->ndates += p.ndates;
	sp->all_month_start = sp->all_month_start && p.all_month_start;
	if (sp->wday == 0)
		sp->wday = p.wday;
	else if (p.wday != 0 && p.wday != sp->wday)
		sp->wday = -1;
	if (p.have_date) {
		if (!sp->have_date || p.min_date < sp->min_date)
			sp->min_date = p.min_date;
		if (!sp->have_date || p.max_date > sp->max_date)
			sp->max_date = p.max_date;
		sp->have_date = 1;
	}
	return NULL;
}

int
fc_sizepool_read_parts(const char *path, struct fc_sizepool *sp, struct fc_cvsum *cs,
    char *why, size_t whylen)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	const char *what = NULL;

	if (fp == NULL)
		return bad(why, whylen, "%s", strerror(errno));
	while (what == NULL && getline(&line, &cap, fp) != -1) {
		json_error_t je;
		json_t *o;

		lineno++;
		if (line[strspn(line, " \t\r\n")] == '\0')
			continue;
		if ((o = json_loads(line, JSON_REJECT_DUPLICATES, &je)) == NULL)
			what = je.text;
		else
			what = add_part(o, sp, cs);
		if (what != NULL) {
			bad(why, whylen, "line %zu: %s", lineno, what);
			what = why;
		}
		json_decref(o);
	}
	if (what == NULL && ferror(fp))
		what = bad(why, whylen, "%s", strerror(errno)) == -1 ? why : NULL;
	free(line);
	if (fp != stdin)
		fclose(fp);
	return what == NULL ? 0 : -1;
}
