/* forecast_sizepool.c: the pooled statistics' file (forecast_sizepool.h). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include <jansson.h>

#include "date.h"
#include "forecast_out.h"
#include "forecast_series.h"
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
check(json_t *o, struct fc_sizepool *sp)
{
	json_t *v = json_object_get(o, "size_cv");
	const char *p;
	int lo, hi;

	if (json_is_null(v))
		sp->size_cv = NAN;
	else if (json_is_number(v) && json_number_value(v) >= 0)
		sp->size_cv = json_number_value(v);
	else
		return "size_cv: not a number >= 0 or null";
	if (get_count(o, "pairs", &sp->pairs) != 0 || get_count(o, "series", &sp->series) != 0 ||
	    get_count(o, "dates", &sp->ndates) != 0)
		return "pairs, series, dates: not counts";
	v = json_object_get(o, "period");
	p = json_is_string(v) ? json_string_value(v) : "";
	if (strcmp(p, "day") == 0)
		sp->period = FC_DAY;
	else if (strcmp(p, "week") == 0)
		sp->period = FC_WEEK;
	else if (strcmp(p, "month") == 0)
		sp->period = FC_MONTH;
	else
		return "period: not day, week or month";
	if (get_date(o, "cutoff", 0, &sp->cutoff) < 0)
		return "cutoff: not a date (YYYY-MM-DD)";
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
