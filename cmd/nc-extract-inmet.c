/*
 * nc-extract-inmet: INMET weather as daily weather records of
 * nc-records(5), from INMET's bulk historical CSV files (hourly rows,
 * aggregated by the local date, UTC-3) or from INMET's daily API
 * (--station, token from NC_INMET_TOKEN).
 *
 *   {"station":"A401","date":"2024-01-02","precip_mm":0.2,"temp_max_c":29.1,
 *    "temp_min_c":25.3,"temp_mean_c":26.94,"humidity_pct":78.5,"wind_ms":3.61,
 *    "hours":24,"station_name":"SALVADOR","latitude":-12.970122,"longitude":-38.45456}
 */
#include <err.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include <csv.h>
#include <jansson.h>

#include "date.h"
#include "http.h"
#include "input.h"
#include "nc.h"
#include "ndjson.h"
#include "reject.h"
#include "text.h"

static const char synopsis[] =
    "usage: nc-extract-inmet [-v] [-m max] [-r file] [--min-hours n] [file ...]\n"
    "       nc-extract-inmet [-v] [-m max] [-r file] [-u base_url] --station code\n"
    "                        --since date [--until date] [--timeout s]\n"
    "                        [--connect-timeout s] [--max-time s] [--retries n]\n"
    "\n"
    "INMET daily weather from the bulk historical CSV files or the token API\n"
    "(NC_INMET_TOKEN).\n"
    "  -u, --url url           the API's address (or NC_INMET_URL)\n"
    "  -m max                  rejects allowed before exit status 3 (default 0)\n"
    "  -r file                 write rejects there (a CSV row as its text)\n"
    "  -v                      counts and retries on stderr; -vv the URLs\n"
    "      --min-hours n       hours of data a daily value needs (default 18)\n"
    "      --station code      read the API for this station\n"
    "      --since date        the first day asked of the API\n"
    "      --until date        the last day (default: today, UTC-3)\n"
    "      --timeout s         a request (default 60)\n"
    "      --connect-timeout s a connection (default 10)\n"
    "      --max-time s        all requests and waits (default 300)\n"
    "      --retries n         attempts after the first (default 5)\n"
    "  -h, --help              this help\n"
    "  -V, --version           the version\n"
    "See nc-extract-inmet(1).\n";

#define DEFAULT_URL "https://apitempo.inmet.gov.br"
#define UTC_OFFSET_H (-3)       /* Bahia: UTC-3 all year, no daylight saving */
#define MISSING (-9999.0)

/* The hourly measurements read, and the record key each one feeds. */
enum var { V_PRECIP, V_TEMP, V_TMAX, V_TMIN, V_HUM, V_WIND, NVAR };

static const char *const var_key[NVAR] = {
	"precip_mm", "temp_c", "temp_max_c", "temp_min_c", "humidity_pct", "wind_ms"
};

/* One station-day being aggregated. */
struct acc {
	double sum[NVAR];
	double max, min;        /* of the hourly max/min (or air temperature) */
	int n[NVAR];
	unsigned hours_seen;    /* bit per local hour: a second row is a duplicate */
	int hours;              /* hours with any value */
};

/* A day that has rows: its day number and accumulator. */
struct day_slot {
	long day;
	int used;
	struct acc a;
};

/*
 * A station's days: an open-addressing hash table on the day number, so
 * that memory follows the days that have rows, not the span between the
 * earliest and the latest (rows dated 0001-01-01 and 9999-12-31 are two
 * slots, not 3.6 million).
 */
struct station {
	char *code, *name;
	double lat, lon;
	int have_lat, have_lon;
	struct day_slot *days;  /* cap slots, ndays used */
	size_t ndays, cap;
};

struct opts {
	long min_hours;
	const char *base_url, *station, *token;
	long since, until;
	struct rejects rej;
	struct http_opts http;
	struct station *st;
	size_t nst;
	struct strbuf out;
	unsigned long hourly_rows, records;
};

/* The reading of one CSV file. */
struct reader {
	struct opts *o;
	struct csv_parser p;
	const char *name;
	unsigned long lineno, row_line;
	int header_done, in_row;
	char *meta_code, *meta_name;
	double lat, lon;
	int have_lat, have_lon;
	struct station *st;
	int col[NVAR];          /* column of each measurement, or -1 */
	size_t ncols;           /* fields per row, from the header */
	/* The fields of the row being read: libcsv's copies (offsets into
	 * fbuf) or, for a line without quotes, pieces of the line itself. */
	struct strbuf fbuf;
	size_t *foff, *flen, nf, fcap;
	const char **fptr;
	const char *line;       /* the row's text, for rejects */
	size_t linelen;
	struct strbuf tmp;
};

static void
usage_error(const char *fmt, const char *arg)
{
	nc_usage_error(synopsis, fmt, arg);
}

static double
round2(double x)
{
	return round(x * 100.0) / 100.0;
}

/* ---- stations and days ---- */

static struct station *
station_get(struct opts *o, const char *code)
{
	for (size_t i = 0; i < o->nst; i++)
		if (strcmp(o->st[i].code, code) == 0)
			return &o->st[i];
	o->st = xrealloc(o->st, (o->nst + 1) * sizeof(*o->st));
	memset(&o->st[o->nst], 0, sizeof(*o->st));
	o->st[o->nst].code = xstrdup(code);
	return &o->st[o->nst++];
}

static size_t
day_hash(long day, size_t cap)
{
	return (size_t)(((unsigned long long)day * 0x9E3779B97F4A7C15ULL) >> 20) & (cap - 1);
}

static struct day_slot *
slot_find(struct day_slot *t, size_t cap, long day)
{
	size_t i = day_hash(day, cap);

	while (t[i].used && t[i].day != day)
		i = (i + 1) & (cap - 1);
	return &t[i];
}

/* The accumulator of day, made (zero) on its first row. */
static struct acc *
station_day(struct station *s, long day)
{
	struct day_slot *sl;

	if ((s->ndays + 1) * 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 512;
		struct day_slot *t = xcalloc(cap, sizeof(*t));

		for (size_t i = 0; i < s->cap; i++)
			if (s->days[i].used)
				*slot_find(t, cap, s->days[i].day) = s->days[i];
		free(s->days);
		s->days = t;
		s->cap = cap;
	}
	sl = slot_find(s->days, s->cap, day);
	if (!sl->used) {
		memset(sl, 0, sizeof(*sl));
		sl->used = 1;
		sl->day = day;
		s->ndays++;
	}
	return &sl->a;
}

static int
slot_cmp(const void *pa, const void *pb)
{
	const struct day_slot *a = *(const struct day_slot *const *)pa;
	const struct day_slot *b = *(const struct day_slot *const *)pb;

	return a->day < b->day ? -1 : a->day > b->day;
}

static void
set_num(json_t *rec, const char *key, int ok, double v)
{
	json_object_set_new(rec, key, ok ? json_real(round2(v)) : json_null());
}

static void
station_meta(json_t *rec, const struct station *s)
{
	json_object_set_new(rec, "station_name", s->name ? json_string(s->name) : json_null());
	json_object_set_new(rec, "latitude", s->have_lat ? json_real(s->lat) : json_null());
	json_object_set_new(rec, "longitude", s->have_lon ? json_real(s->lon) : json_null());
}

static void
emit(struct opts *o, json_t *rec)
{
	ndjson_dump(&o->out, rec);
	strbuf_addc(&o->out, '\n');
	o->records++;
}

/* The daily records of every station, days in order. */
static void
emit_days(struct opts *o)
{
	for (size_t i = 0; i < o->nst; i++) {
		struct station *s = &o->st[i];
		const struct day_slot **order = xcalloc(s->ndays + 1, sizeof(*order));
		size_t n = 0;

		for (size_t k = 0; k < s->cap; k++)
			if (s->days[k].used)
				order[n++] = &s->days[k];
		qsort(order, n, sizeof(*order), slot_cmp);
		for (size_t k = 0; k < n; k++) {
			const struct acc *a = &order[k]->a;
			char buf[DATE_BUFSZ];
			long h = o->min_hours;
			json_t *rec;

			if (a->hours_seen == 0)
				continue;
			date_format(order[k]->day, buf);
			rec = json_object();
			json_object_set_new(rec, "station", json_string(s->code));
			json_object_set_new(rec, "date", json_string(buf));
			set_num(rec, "precip_mm", a->n[V_PRECIP] >= h, a->sum[V_PRECIP]);
			set_num(rec, "temp_max_c", a->n[V_TMAX] >= h, a->max);
			set_num(rec, "temp_min_c", a->n[V_TMIN] >= h, a->min);
			set_num(rec, "temp_mean_c", a->n[V_TEMP] >= h,
			    a->n[V_TEMP] ? a->sum[V_TEMP] / a->n[V_TEMP] : 0);
			set_num(rec, "humidity_pct", a->n[V_HUM] >= h,
			    a->n[V_HUM] ? a->sum[V_HUM] / a->n[V_HUM] : 0);
			set_num(rec, "wind_ms", a->n[V_WIND] >= h,
			    a->n[V_WIND] ? a->sum[V_WIND] / a->n[V_WIND] : 0);
			json_object_set_new(rec, "hours", json_integer(a->hours));
			station_meta(rec, s);
			emit(o, rec);
			json_decref(rec);
		}
		free(order);
	}
}

/*
 * The physical range of a measurement: NULL when v is plausible, else the
 * reason.
 */
static const char *
out_of_range(enum var v, double x)
{
	switch (v) {
	case V_PRECIP:
		return x < 0 ? "negative precipitation" : NULL;
	case V_HUM:
		return x < 0 || x > 100 ? "humidity outside 0..100 %" : NULL;
	case V_WIND:
		return x < 0 ? "negative wind speed" : NULL;
	default:
		return x < -30 || x > 60 ? "temperature outside -30..60 C" : NULL;
	}
}

/* ---- the CSV reader ---- */

static void
reader_reject(struct reader *r, const char *fmt, const char *key, const char *val, size_t vlen)
{
	struct strbuf raw = { 0 }, why = { 0 };
	char head[96];

	snprintf(head, sizeof(head), fmt, key);
	strbuf_add(&why, head, strlen(head));
	if (val != NULL) {
		strbuf_add(&why, ": '", 3);
		text_utf8_repair_append(&why, val, vlen < 40 ? vlen : 40);
		strbuf_addc(&why, '\'');
	}
	strbuf_addc(&why, '\0');
	/* The raw text, valid UTF-8 and without NUL bytes, as reject_record wants. */
	text_utf8_repair_append(&raw, r->line, r->linelen);
	strbuf_addc(&raw, '\0');
	for (size_t i = 0; i + 1 < raw.len; i++)
		if (raw.s[i] == '\0')
			raw.s[i] = ' ';
	reject_record(&r->o->rej, NULL, raw.s, r->name, r->row_line, why.s);
	strbuf_release(&raw);
	strbuf_release(&why);
}

/* The field as text from the fields of the row. */
#define FIELD(r, i) ((r)->fptr[i])

static void
field_room(struct reader *r)
{
	if (r->nf == r->fcap) {
		r->fcap = r->fcap ? r->fcap * 2 : 32;
		r->foff = xrealloc(r->foff, r->fcap * sizeof(*r->foff));
		r->flen = xrealloc(r->flen, r->fcap * sizeof(*r->flen));
		r->fptr = xrealloc(r->fptr, r->fcap * sizeof(*r->fptr));
	}
}

static void
on_field(void *s, size_t len, void *arg)
{
	struct reader *r = arg;

	field_room(r);
	r->foff[r->nf] = r->fbuf.len;
	r->flen[r->nf] = len;
	strbuf_add(&r->fbuf, s, len);
	strbuf_addc(&r->fbuf, '\0');
	r->nf++;
}

/* An upper-case ASCII copy of a UTF-8 header, accents dropped. */
static void
fold(const char *s, size_t len, char *buf, size_t size)
{
	size_t j = 0;

	for (size_t i = 0; i < len && j + 1 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x80)
			continue;
		buf[j++] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
	}
	buf[j] = '\0';
}

static int
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/*
 * The column of each measurement from INMET's header names (the same in
 * the 2019+ and the older layouts):
 *   PRECIPITAÇÃO TOTAL, HORÁRIO (mm)
 *   TEMPERATURA DO AR - BULBO SECO, HORARIA (°C)
 *   TEMPERATURA MÁXIMA NA HORA ANT. (AUT) (°C), TEMPERATURA MÍNIMA ...
 *   UMIDADE RELATIVA DO AR, HORARIA (%)
 *   VENTO, VELOCIDADE HORARIA (m/s)
 */
static int
header(struct reader *r)
{
	char h[160];

	for (int v = 0; v < NVAR; v++)
		r->col[v] = -1;
	for (size_t i = 2; i < r->nf; i++) {
		r->tmp.len = 0;
		text_latin1_append(&r->tmp, FIELD(r, i), r->flen[i]);
		fold(r->tmp.s, r->tmp.len, h, sizeof(h));
		if (starts(h, "PRECIPITA"))
			r->col[V_PRECIP] = (int)i;
		else if (strstr(h, "BULBO SECO") != NULL)
			r->col[V_TEMP] = (int)i;
		else if (starts(h, "TEMPERATURA M") && strstr(h, "XIMA NA HORA") != NULL)
			r->col[V_TMAX] = (int)i;
		else if (starts(h, "TEMPERATURA M") && strstr(h, "NIMA NA HORA") != NULL)
			r->col[V_TMIN] = (int)i;
		else if (starts(h, "UMIDADE RELATIVA DO AR"))
			r->col[V_HUM] = (int)i;
		else if (starts(h, "VENTO, VELOCIDADE"))
			r->col[V_WIND] = (int)i;
	}
	if (r->nf < 3 || r->col[V_PRECIP] < 0 || r->col[V_TEMP] < 0) {
		warnx("error: %s:%lu: not an INMET header line (no precipitation or"
		    " air temperature column)", r->name, r->row_line);
		return -1;
	}
	if (r->meta_code == NULL) {
		warnx("error: %s: no station code (CODIGO (WMO)) in the metadata lines", r->name);
		return -1;
	}
	r->ncols = r->nf;
	r->st = station_get(r->o, r->meta_code);
	if (r->st->name == NULL && r->meta_name != NULL)
		r->st->name = xstrdup(r->meta_name);
	if (!r->st->have_lat && r->have_lat) {
		r->st->lat = r->lat;
		r->st->have_lat = 1;
	}
	if (!r->st->have_lon && r->have_lon) {
		r->st->lon = r->lon;
		r->st->have_lon = 1;
	}
	return 0;
}

static int
digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* "2024/01/01" or "2018-01-01": 0 and the day number, or -1. */
static int
parse_day(const char *s, size_t len, long *day)
{
	int y, m, d;

	if (len != 10 || (s[4] != '/' && s[4] != '-') || s[7] != s[4] ||
	    digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d) ||
	    !date_valid_ymd(y, m, d))
		return -1;
	*day = date_from_ymd(y, m, d);
	return 0;
}

/* "1300 UTC" or "13:00": 0 and the hour, or -1 (minutes must be 00). */
static int
parse_hour(const char *s, size_t len, int *hour)
{
	int mi;

	if (len == 8 && memcmp(s + 4, " UTC", 4) == 0 && !digits(s, 2, hour) &&
	    !digits(s + 2, 2, &mi))
		;
	else if (len == 5 && s[2] == ':' && !digits(s, 2, hour) && !digits(s + 3, 2, &mi))
		;
	else
		return -1;
	return *hour < 24 && mi == 0 ? 0 : -1;
}

/* One hourly row into its station-day. */
static void
data_row(struct reader *r)
{
	double x[NVAR];
	int have[NVAR], any = 0, hour;
	long day;
	struct acc *a;
	unsigned bit;

	if (r->nf != r->ncols) {
		char n[64];

		snprintf(n, sizeof(n), "expected %zu fields, got %zu", r->ncols, r->nf);
		reader_reject(r, "%s", n, NULL, 0);
		return;
	}
	if (parse_day(FIELD(r, 0), r->flen[0], &day) != 0) {
		reader_reject(r, "%s: not a date", "Data", FIELD(r, 0), r->flen[0]);
		return;
	}
	if (parse_hour(FIELD(r, 1), r->flen[1], &hour) != 0) {
		reader_reject(r, "%s: not an hour", "Hora UTC", FIELD(r, 1), r->flen[1]);
		return;
	}
	for (int v = 0; v < NVAR; v++) {
		const char *s;
		size_t len;
		long long ll;
		const char *why;

		have[v] = 0;
		if (r->col[v] < 0)
			continue;
		s = FIELD(r, r->col[v]);
		len = r->flen[r->col[v]];
		if (len == 0)
			continue;
		switch (text_number(s, len, TEXT_DECIMAL_COMMA, &ll, &x[v])) {
		case TEXT_INT: x[v] = (double)ll; break;
		case TEXT_REAL: break;
		default:
			reader_reject(r, "%s: not a number", var_key[v], s, len);
			return;
		}
		if (x[v] == MISSING)
			continue;
		if ((why = out_of_range((enum var)v, x[v])) != NULL) {
			reader_reject(r, "%s", why, s, len);
			return;
		}
		have[v] = 1;
		any = 1;
	}
	/* The local date and hour: UTC-3. */
	hour += UTC_OFFSET_H;
	if (hour < 0) {
		hour += 24;
		day--;
	}
	a = station_day(r->st, day);
	bit = 1u << hour;
	if (a->hours_seen & bit) {
		reader_reject(r, "%s", "a second row for the same hour", NULL, 0);
		return;
	}
	a->hours_seen |= bit;
	r->o->hourly_rows++;
	if (!any)
		return;
	a->hours++;
	/* The max/min of the previous hour, or the hour's air temperature. */
	if (!have[V_TMAX] && have[V_TEMP]) {
		x[V_TMAX] = x[V_TEMP];
		have[V_TMAX] = 1;
	}
	if (!have[V_TMIN] && have[V_TEMP]) {
		x[V_TMIN] = x[V_TEMP];
		have[V_TMIN] = 1;
	}
	if (have[V_TMAX] && (a->n[V_TMAX] == 0 || x[V_TMAX] > a->max))
		a->max = x[V_TMAX];
	if (have[V_TMIN] && (a->n[V_TMIN] == 0 || x[V_TMIN] < a->min))
		a->min = x[V_TMIN];
	for (int v = 0; v < NVAR; v++)
		if (have[v]) {
			a->sum[v] += x[v];
			a->n[v]++;
		}
}

static void
row(struct reader *r)
{
	r->in_row = 0;
	if (!r->header_done) {
		if (header(r) != 0)
			r->header_done = -1;
		else
			r->header_done = 1;
	} else if (r->header_done > 0)
		data_row(r);
	r->nf = 0;
	r->fbuf.len = 0;
}

static void
on_row(int c, void *arg)
{
	struct reader *r = arg;

	(void)c;
	for (size_t i = 0; i < r->nf; i++)
		r->fptr[i] = r->fbuf.s + r->foff[i];
	row(r);
}

/*
 * A line without quotes, split on ';' in place, with spaces and tabs
 * around a field trimmed as libcsv trims them: the same fields libcsv
 * gives, without copying them (most of the time of a big file).
 */
static void
split_line(struct reader *r, const char *line, size_t len)
{
	const char *p = line, *end = line + len;

	for (;;) {
		const char *q = memchr(p, ';', (size_t)(end - p)), *e = q ? q : end;

		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		field_room(r);
		r->fptr[r->nf] = p;
		r->flen[r->nf++] = (size_t)(e - p);
		if (q == NULL)
			break;
		p = q + 1;
	}
	row(r);
}

/* "CODIGO (WMO):;A401" and the like, before the header line. */
static void
meta_line(struct reader *r, const char *line, size_t len)
{
	const char *semi = memchr(line, ';', len);
	char key[48];
	const char *v;
	size_t vl;
	long long ll;
	double d;
	enum text_num t;

	fold(line, (size_t)(semi - line), key, sizeof(key));
	v = semi + 1;
	vl = len - (size_t)(v - line);
	while (vl > 0 && (v[vl - 1] == ';' || v[vl - 1] == ' '))
		vl--;
	r->tmp.len = 0;
	text_latin1_append(&r->tmp, v, vl);
	strbuf_addc(&r->tmp, '\0');
	if (starts(key, "CODIGO")) {
		free(r->meta_code);
		r->meta_code = xstrdup(r->tmp.s);
	} else if (starts(key, "ESTA")) {
		free(r->meta_name);
		r->meta_name = xstrdup(r->tmp.s);
	} else if (starts(key, "LATITUDE") || starts(key, "LONGITUDE")) {
		t = text_number(v, vl, TEXT_DECIMAL_COMMA, &ll, &d);
		if (t == TEXT_INT)
			d = (double)ll;
		if (t == TEXT_NONE)
			return;
		if (key[1] == 'A') {
			r->lat = d;
			r->have_lat = 1;
		} else {
			r->lon = d;
			r->have_lon = 1;
		}
	}
}

/* 1 if line looks like "KEY:;value" (a metadata line). */
static int
is_meta(const char *line, size_t len)
{
	const char *semi = memchr(line, ';', len);

	return semi != NULL && semi > line && semi[-1] == ':';
}

static void
reader_start(struct reader *r, const char *name)
{
	if (csv_init(&r->p, 0) != 0)
		errx(NC_FAIL, "csv_init failed");
	csv_set_delim(&r->p, ';');
	r->name = name;
	r->header_done = 0;
	r->in_row = 0;
	r->nf = 0;
	r->fbuf.len = 0;
	free(r->meta_code);
	free(r->meta_name);
	r->meta_code = r->meta_name = NULL;
	r->have_lat = r->have_lon = 0;
	r->st = NULL;
}

/* The end of a file: returns NC_OK, or NC_FAIL when it was not INMET's. */
static int
reader_finish(struct reader *r)
{
	int rval = NC_OK;

	if (r->name == NULL)
		return NC_OK;
	r->line = "";
	r->linelen = 0;
	if (csv_fini(&r->p, on_field, on_row, r) != 0)
		warnx("%s:%lu: %s", r->name, r->lineno, csv_strerror(csv_error(&r->p)));
	csv_free(&r->p);
	if (r->header_done == 0) {
		warnx("error: %s: no INMET header line", r->name);
		rval = NC_FAIL;
	} else if (r->header_done < 0)
		rval = NC_FAIL;
	r->name = NULL;
	return rval;
}

static int
from_csv(struct opts *o, int argc, char **argv)
{
	struct input in;
	struct reader r;
	char *line;
	size_t len;
	int rval = NC_OK, ninputs = argc > 0 ? argc : 1;
	const char *cur = NULL;
	char *seen = xcalloc((size_t)ninputs, 1);   /* inputs with a line */

	memset(&r, 0, sizeof(r));
	r.o = o;
	input_init(&in, argc, argv);
	while (input_next(&in, &line, &len) == 1) {
		if (in.name != cur || r.name == NULL) {
			rval = nc_worst(rval, reader_finish(&r));
			reader_start(&r, in.name);
			cur = in.name;
			seen[in.next - 1] = 1;
		}
		r.lineno = in.lineno;
		if (r.header_done < 0)
			continue;
		if (!r.header_done && !r.in_row && is_meta(line, len)) {
			meta_line(&r, line, len);
			continue;
		}
		if (!r.in_row) {
			r.row_line = in.lineno;
			r.line = line;
			r.linelen = len;
			r.in_row = 1;
			if (memchr(line, '"', len) == NULL && memchr(line, '\0', len) == NULL) {
				split_line(&r, line, len);
				continue;
			}
		}
		if (csv_parse(&r.p, line, len, on_field, on_row, &r) != len ||
		    csv_parse(&r.p, "\n", 1, on_field, on_row, &r) != 1)
			errx(NC_FAIL, "%s:%lu: error: %s", r.name, r.lineno,
			    csv_strerror(csv_error(&r.p)));
	}
	rval = nc_worst(rval, reader_finish(&r));
	rval = nc_worst(rval, input_release(&in));
	/* An INMET file always has its header: an empty one is a failed
	 * download or the wrong file, not a station without data (which is a
	 * header and no rows). */
	for (int i = 0; i < ninputs; i++) {
		const char *name = argc > 0 ? argv[i] : "-";

		if (seen[i])
			continue;
		if (strcmp(name, "-") == 0)
			name = "stdin";
		else if (access(name, R_OK) != 0)
			continue;       /* reported as it did not open */
		warnx("error: %s: empty: no INMET header line", name);
		rval = NC_FAIL;
	}
	free(seen);
	free(r.meta_code);
	free(r.meta_name);
	free(r.foff);
	free(r.flen);
	free(r.fptr);
	strbuf_release(&r.fbuf);
	strbuf_release(&r.tmp);
	emit_days(o);
	if (nc_verbose)
		warnx("%lu hourly rows, %lu daily records, %lu rejected", o->hourly_rows,
		    o->records, o->rej.count);
	return rval;
}

/* ---- the daily API ---- */

/* A measurement of an API record: a string ("887.3"), a number or null. */
static int
api_number(const json_t *v, double *x)
{
	const char *s = json_string_value(v);
	long long ll;

	if (v == NULL || json_is_null(v) || (s != NULL && text_blank(s, strlen(s))))
		return 0;
	if (json_is_number(v)) {
		*x = json_number_value(v);
		return 1;
	}
	if (s == NULL)
		return -1;
	switch (text_number(s, strlen(s), 0, &ll, x)) {
	case TEXT_INT: *x = (double)ll; return 1;
	case TEXT_REAL: return 1;
	default: break;
	}
	switch (text_number(s, strlen(s), TEXT_DECIMAL_COMMA, &ll, x)) {
	case TEXT_INT: *x = (double)ll; return 1;
	case TEXT_REAL: return 1;
	default: return -1;
	}
}

/* INMET's daily record (CD_ESTACAO, DT_MEDICAO, CHUVA, ...) as a weather record. */
static void
api_record(struct opts *o, const json_t *in, const char *src, size_t idx)
{
	static const struct { const char *from, *to; enum var v; } map[] = {
		{ "CHUVA", "precip_mm", V_PRECIP },
		{ "TEMP_MAX", "temp_max_c", V_TMAX },
		{ "TEMP_MIN", "temp_min_c", V_TMIN },
		{ "TEMP_MED", "temp_mean_c", V_TEMP },
		{ "UMID_MED", "humidity_pct", V_HUM },
		{ "VEL_VENTO_MED", "wind_ms", V_WIND },
	};
	const char *code = json_string_value(json_object_get(in, "CD_ESTACAO"));
	const char *date = json_string_value(json_object_get(in, "DT_MEDICAO"));
	const char *name = json_string_value(json_object_get(in, "DC_NOME"));
	long day;
	double lat, lon;
	json_t *rec;
	char buf[DATE_BUFSZ], why[96];

	if (date == NULL || date_parse_n(date, strlen(date) < 10 ? strlen(date) : 10, &day) != 0) {
		reject_record(&o->rej, in, NULL, src, idx, "DT_MEDICAO: not a date");
		return;
	}
	rec = json_object();
	json_object_set_new(rec, "station", json_string(code ? code : o->station));
	date_format(day, buf);
	json_object_set_new(rec, "date", json_string(buf));
	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++) {
		double x;
		int k = api_number(json_object_get(in, map[i].from), &x);
		const char *bad = k == 1 && x != MISSING ? out_of_range(map[i].v, x) : NULL;

		if (k < 0 || bad != NULL) {
			snprintf(why, sizeof(why), "%s: %s", map[i].from, k < 0 ? "not a number" : bad);
			reject_record(&o->rej, in, NULL, src, idx, why);
			json_decref(rec);
			return;
		}
		set_num(rec, map[i].to, k == 1 && x != MISSING, k == 1 ? x : 0);
	}
	json_object_set_new(rec, "hours", json_null());
	json_object_set_new(rec, "station_name", name ? json_string(name) : json_null());
	json_object_set_new(rec, "latitude", api_number(json_object_get(in, "VL_LATITUDE"), &lat) == 1 ?
	    json_real(lat) : json_null());
	json_object_set_new(rec, "longitude", api_number(json_object_get(in, "VL_LONGITUDE"), &lon) == 1 ?
	    json_real(lon) : json_null());
	emit(o, rec);
	json_decref(rec);
}

/* One request for [a, b]; returns 0, or -1 after printing the error. */
static int
api_window(struct opts *o, long a, long b)
{
	char url[1024], u[1024], why[768], ex[200], da[DATE_BUFSZ], db[DATE_BUFSZ];
	struct http_response r;
	json_t *j = NULL, *row;
	json_error_t je;
	size_t i;
	int rval = -1;

	date_format(a, da);
	date_format(b, db);
	if (o->token != NULL)
		snprintf(url, sizeof(url), "%s/token/estacao/diaria/%s/%s/%s/%s", o->base_url,
		    da, db, o->station, o->token);
	else
		snprintf(url, sizeof(url), "%s/estacao/diaria/%s/%s/%s", o->base_url, da, db,
		    o->station);
	if (http_get(&o->http, url, &r, why, sizeof(why)) != 0) {
		warnx("error: %s", why);
		return -1;
	}
	http_redact(&o->http, url, strlen(url), u, sizeof(u));
	http_redact(&o->http, r.body, r.len, ex, sizeof(ex));
	if (r.status == 204) {
		rval = 0;       /* no data for the window */
		goto out;
	}
	if (r.status == 403 || r.status == 404 || r.status == 401) {
		warnx("error: %s: HTTP %ld: %s", u, r.status, o->token ?
		    "INMET refused the token in NC_INMET_TOKEN" :
		    "INMET's daily data needs a token: set NC_INMET_TOKEN (or read the bulk CSV files)");
		goto out;
	}
	if (r.status != 200) {
		warnx("error: %s: HTTP %ld%s%s", u, r.status, ex[0] ? ": " : "", ex);
		goto out;
	}
	if (http_type_is(&r, "application/json", why, sizeof(why)) != 0) {
		warnx("error: %s: %s: %s", u, why, ex);
		goto out;
	}
	if ((j = json_loadb(r.body, r.len, 0, &je)) == NULL) {
		warnx("error: %s: not JSON (%s): a truncated answer?", u, je.text);
		goto out;
	}
	if (!json_is_array(j)) {
		warnx("error: %s: not INMET's daily answer (a JSON array): %s", u, ex);
		goto out;
	}
	json_array_foreach(j, i, row)
		api_record(o, row, u, i + 1);
	rval = 0;
out:
	json_decref(j);
	http_response_release(&r);
	return rval;
}

/* [since, until] one calendar year per request. */
static int
from_api(struct opts *o)
{
	const char *secrets[] = { o->token, NULL };

	o->http.secrets = o->token ? secrets : NULL;
	for (long a = o->since; a <= o->until;) {
		int y, m, d;
		long b;

		date_to_ymd(a, &y, &m, &d);
		b = date_from_ymd(y + 1, 1, 1) - 1;
		if (b > o->until)
			b = o->until;
		if (api_window(o, a, b) != 0) {
			o->http.secrets = NULL;
			return NC_FAIL;
		}
		a = b + 1;
	}
	o->http.secrets = NULL;
	if (nc_verbose)
		warnx("%s: %lu daily records", o->station, o->records);
	return NC_OK;
}

static long
parse_date_opt(const char *s, const char *what)
{
	long d;

	if (date_parse(s, &d) != 0)
		usage_error("%s: not a date (YYYY-MM-DD)", what);
	return d;
}

enum { OPT_SINCE = 256, OPT_UNTIL, OPT_STATION, OPT_MIN_HOURS };

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "min-hours", required_argument, NULL, OPT_MIN_HOURS },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "station", required_argument, NULL, OPT_STATION },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ "url", required_argument, NULL, 'u' },
		{ "version", no_argument, NULL, 'V' },
		HTTP_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = { .min_hours = 18, .since = -1, .until = -1, .http = HTTP_OPTS_INIT };
	const char *reject_path = NULL;
	long max_rejects = 0;
	int ch, rval, api_only = 0;

	nc_init(argv[0]);
	setvbuf(stdin, NULL, _IOFBF, 1 << 16);
	o.base_url = getenv("NC_INMET_URL") && *getenv("NC_INMET_URL") ? getenv("NC_INMET_URL") : DEFAULT_URL;
	while ((ch = getopt_long(argc, argv, "hm:r:u:Vv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h': nc_usage(synopsis, 1);
		case 'm': max_rejects = nc_parse_long(optarg, 0, LONG_MAX, "-m"); break;
		case 'r': reject_path = optarg; break;
		case 'u': o.base_url = optarg; api_only = 1; break;
		case 'V': nc_print_version();
		case 'v': nc_verbose++; break;
		case OPT_MIN_HOURS: o.min_hours = nc_parse_long(optarg, 1, 24, "--min-hours"); break;
		case OPT_SINCE: o.since = parse_date_opt(optarg, "--since"); api_only = 1; break;
		case OPT_UNTIL: o.until = parse_date_opt(optarg, "--until"); api_only = 1; break;
		case OPT_STATION: o.station = optarg; break;
		default:
			if (!http_option(&o.http, ch, optarg))
				nc_usage(synopsis, 0);
			api_only = 1;
		}
	}
	argc -= optind;
	argv += optind;
	o.http.verbose = nc_verbose;
	if (o.station != NULL) {
		if (argc > 0)
			usage_error("%s", "--station reads the API, not files");
		if (o.since < 0)
			usage_error("%s", "--station needs --since");
		if (strspn(o.station, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != strlen(o.station) ||
		    o.station[0] == '\0')
			usage_error("--station: not a station code: '%s'", o.station);
		if (o.until < 0) {
			long long t = (long long)time(NULL) + UTC_OFFSET_H * 3600;

			o.until = (long)(t / 86400);
		}
		if (o.since > o.until)
			usage_error("%s", "--since is after --until");
		if (strncmp(o.base_url, "http://", 7) != 0 && strncmp(o.base_url, "https://", 8) != 0)
			usage_error("-u: not an http(s) URL: '%s'", o.base_url);
		o.token = getenv("NC_INMET_TOKEN");
		if (o.token != NULL && o.token[0] == '\0')
			o.token = NULL;
	} else if (api_only)
		usage_error("%s", "-u, --since, --until and the HTTP options need --station");
	rejects_open(&o.rej, reject_path, max_rejects);
	rval = o.station ? from_api(&o) : from_csv(&o, argc, argv);
	/* Records go out only once every input was read whole. */
	if (rval == NC_OK && o.out.len > 0)
		nc_write(stdout, o.out.s, o.out.len);
	nc_close_stdout();
	rval = nc_worst(rval, rejects_close(&o.rej));
	for (size_t i = 0; i < o.nst; i++) {
		free(o.st[i].code);
		free(o.st[i].name);
		free(o.st[i].days);
	}
	free(o.st);
	strbuf_release(&o.out);
	http_cleanup();
	return rval;
}
