/*
 * nc-transform: stage raw item-day records into silver records, as the
 * seed's dbt model stg_items does: cast, clean, validate, derive and
 * deduplicate.  See nc-transform(1).
 */
#include <err.h>
#include <limits.h>
#include <math.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cast.h"
#include "date.h"
#include "input.h"
#include "nc.h"
#include "ndjson.h"
#include "parmap.h"
#include "reject.h"
#include "sqlstr.h"

static const char synopsis[] =
    "usage: nc-transform [-v] [--sorted] [-k keys] [-m max] [-r rejects]\n"
    "                    [--now timestamp] [--since date] [--low-stock n]\n"
    "                    [--threads n] [file ...]\n";

struct opts {
	char **keys;            /* series key fields (-k), item_id first */
	int nkeys;
	int sorted;             /* --sorted: stream, input ordered by keys, date */
	char now[TS_BUFSZ];     /* loaded_at */
	long since;             /* date >= since */
	long long low_stock;    /* LOW_STOCK when stock <= low_stock */
	struct rejects rej;
};

/*
 * A staged record waiting for deduplication: its series key and date as
 * one string ("k1\037k2\037YYYY-MM-DD"), created_at, and the output line.
 */
struct entry {
	char *key;
	char *line;
	size_t len;
	long long created;
	int has_created;
	const char *input;
	unsigned long lineno;
	size_t seq;
};

struct counts {
	unsigned long in, out, superseded;
};

static struct counts counts;

/* The seed's columns, in its order; a missing one is added as null. */
static const char *const seed_fields[] = {
	"item_id", "item_name", "category", "family", "supplier_id", "cost",
	"quantity", "current_stock", "lead_time_days", "date", "created_at",
};

static int
is_seed_field(const char *field)
{
	for (size_t i = 0; i < sizeof(seed_fields) / sizeof(*seed_fields); i++)
		if (strcmp(seed_fields[i], field) == 0)
			return 1;
	return 0;
}

/* reason := "field: message", for the reject file and stderr. */
static const char *
fail(char *why, size_t size, const char *field, const char *msg)
{
	snprintf(why, size, "%s: %s", field, msg);
	return why;
}

static void
set_string(json_t *rec, const char *field, char *s)
{
	json_object_set_new(rec, field, json_string_nocheck(s));
	free(s);
}

/* An id or label cast to a string; NULL stays null.  Returns a reason. */
static const char *
stage_string(json_t *rec, const char *field, int trim, int lower, int required,
    char *why, size_t size)
{
	char *s = NULL;
	enum cast_result r = cast_string(json_object_get(rec, field), &s);

	if (r == CAST_NULL) {
		if (required)
			return fail(why, size, field, "missing");
		json_object_set_new(rec, field, json_null());
		return NULL;
	}
	if (r != CAST_OK)
		return fail(why, size, field, "not a string or number");
	if (trim)
		sql_trim(s);
	if (lower)
		sql_lower(s);
	set_string(rec, field, s);
	return NULL;
}

static const char *
stage_int(json_t *rec, const char *field, long long *out, int *present,
    char *why, size_t size)
{
	enum cast_result r = cast_int(json_object_get(rec, field), out);

	*present = r == CAST_OK;
	if (r == CAST_NULL) {
		json_object_set_new(rec, field, json_null());
		return NULL;
	}
	if (r != CAST_OK)
		return fail(why, size, field, cast_strerror(r, "not a number"));
	json_object_set_new(rec, field, json_integer(*out));
	return NULL;
}

static const char *
stock_status(long long stock, int present, long long low)
{
	if (!present)
		return NULL;
	if (stock <= 0)
		return "OUT_OF_STOCK";
	return stock <= low ? "LOW_STOCK" : "OK";
}

/* total_value = cost x quantity, exact in cents while it fits. */
static json_t *
total_value(long long cents, long long qty)
{
	long long t;

	if (!__builtin_mul_overflow(cents, qty, &t))
		return json_real((double)t / 100.0);
	return json_real((double)cents / 100.0 * (double)qty);
}

/*
 * unit_cost = cost / quantity: Spark divides DECIMAL(10,2) by INTEGER into
 * a DECIMAL with 13 decimals, rounded half up; so 2.35 / 10 is 0.235, not
 * the double 0.23500000000000001.
 */
static json_t *
unit_cost(long long cents, long long qty)
{
	double x = (double)cents / 100.0 / (double)qty;

	if (fabs(x) < 900.0)
		x = round(x * 1e13) / 1e13;
	return json_real(x);
}

/*
 * Stage one record in place (the seed's "cleaned" CTE) and fill e's key
 * and created_at.  Returns NULL, or the reason to reject it.
 */
static const char *
stage(json_t *rec, const struct opts *o, struct entry *e, char *why, size_t size)
{
	const char *reason, *status;
	long long cents = 0, qty = 0, stock = 0, lead = 0;
	int has_qty, has_stock, has_lead;
	long day;
	enum cast_result r;
	char date[DATE_BUFSZ], ts[TS_BUFSZ];

	/* Keep the seed's column order for columns the input lacks. */
	for (size_t i = 0; i < sizeof(seed_fields) / sizeof(*seed_fields); i++)
		if (json_object_get(rec, seed_fields[i]) == NULL)
			json_object_set_new(rec, seed_fields[i], json_null());

	if ((reason = stage_string(rec, "item_id", 0, 0, 1, why, size)) ||
	    (reason = stage_string(rec, "item_name", 1, 0, 1, why, size)) ||
	    (reason = stage_string(rec, "category", 0, 1, 0, why, size)) ||
	    (reason = stage_string(rec, "family", 0, 0, 0, why, size)) ||
	    (reason = stage_string(rec, "supplier_id", 0, 0, 0, why, size)))
		return reason;
	/* Other key fields (site_id, ...) are ids too. */
	for (int i = 1; i < o->nkeys; i++)
		if (!is_seed_field(o->keys[i]) &&
		    (reason = stage_string(rec, o->keys[i], 0, 0, 0, why, size)))
			return reason;

	r = cast_cents(json_object_get(rec, "cost"), 10, &cents);
	if (r == CAST_NULL)
		return fail(why, size, "cost", "missing");
	if (r != CAST_OK)
		return fail(why, size, "cost", cast_strerror(r, "not a number"));
	if (cents <= 0)
		return fail(why, size, "cost", "not positive");
	json_object_set_new(rec, "cost", json_real((double)cents / 100.0));

	if ((reason = stage_int(rec, "quantity", &qty, &has_qty, why, size)) ||
	    (reason = stage_int(rec, "current_stock", &stock, &has_stock, why, size)) ||
	    (reason = stage_int(rec, "lead_time_days", &lead, &has_lead, why, size)))
		return reason;

	r = cast_date(json_object_get(rec, "date"), &day);
	if (r == CAST_NULL)
		return fail(why, size, "date", "missing");
	if (r != CAST_OK)
		return fail(why, size, "date", "not a date");
	if (day < o->since) {
		date_format(o->since, date);
		snprintf(why, size, "date: before %s", date);
		return why;
	}
	date_format(day, date);
	json_object_set_new(rec, "date", json_string_nocheck(date));

	r = cast_timestamp(json_object_get(rec, "created_at"), &e->created);
	if (r != CAST_OK && r != CAST_NULL)
		return fail(why, size, "created_at", "not a timestamp");
	e->has_created = r == CAST_OK;
	if (e->has_created) {
		ts_format(e->created, ts);
		json_object_set_new(rec, "created_at", json_string_nocheck(ts));
	}

	status = stock_status(stock, has_stock, o->low_stock);
	json_object_set_new(rec, "stock_status", status ? json_string(status) : json_null());
	json_object_set_new(rec, "total_value", has_qty ? total_value(cents, qty) : json_null());
	json_object_set_new(rec, "unit_cost", has_qty && qty != 0 ?
	    unit_cost(cents, qty) : json_null());
	json_object_set_new(rec, "loaded_at", json_string_nocheck(o->now));

	return NULL;
}

/* The deduplication key: the series key fields, then the date. */
static void
add_key(struct strbuf *key, const json_t *rec, const struct opts *o)
{
	const json_t *date = json_object_get(rec, "date");

	for (int i = 0; i < o->nkeys; i++) {
		json_t *k = json_object_get(rec, o->keys[i]);

		if (json_is_string(k))
			strbuf_add(key, json_string_value(k), json_string_length(k));
		else
			strbuf_addc(key, '\001');	/* null sorts first */
		strbuf_addc(key, '\037');
	}
	strbuf_add(key, json_string_value(date), json_string_length(date));
}

/* Does b supersede a?  The latest created_at wins (null loses), ties go to
 * the later line: the seed's ROW_NUMBER() with a deterministic order. */
static int
supersedes(const struct entry *b, const struct entry *a)
{
	if (b->has_created != a->has_created)
		return b->has_created;
	if (b->has_created && b->created != a->created)
		return b->created > a->created;
	return b->seq > a->seq;
}

static void
set_aside(struct opts *o, const struct entry *e)
{
	char why[128];
	json_t *rec;

	counts.superseded++;
	if (o->rej.fp == NULL)
		return;
	rec = ndjson_parse(e->line, e->len - 1, why, sizeof(why));
	reject_aside(&o->rej, rec, e->input, e->lineno, "superseded");
	json_decref(rec);
}

static void
emit(const struct entry *e)
{
	nc_write(stdout, e->line, e->len);
	counts.out++;
}

static void
entry_free(struct entry *e)
{
	free(e->key);
	free(e->line);
	e->key = e->line = NULL;
}

/* Constant memory: one pending record per (key, date) run. */
struct streamer {
	struct entry pending;
	int have;
};

static void
stream_add(struct streamer *s, struct opts *o, struct entry *e)
{
	int c;

	if (!s->have) {
		s->pending = *e;
		s->have = 1;
		return;
	}
	c = strcmp(e->key, s->pending.key);
	if (c < 0)
		errx(NC_FAIL, "error: %s:%lu: input not ordered by %s and date "
		    "(sort it, or leave out --sorted)", e->input, e->lineno, o->keys[0]);
	if (c > 0) {
		emit(&s->pending);
		entry_free(&s->pending);
		s->pending = *e;
	} else if (supersedes(e, &s->pending)) {
		set_aside(o, &s->pending);
		entry_free(&s->pending);
		s->pending = *e;
	} else {
		set_aside(o, e);
		entry_free(e);
	}
}

static void
stream_finish(struct streamer *s)
{
	if (s->have) {
		emit(&s->pending);
		entry_free(&s->pending);
	}
}

/* Buffered: everything, then sorted by (key, date, line) and reduced. */
struct buffer {
	struct entry *v;
	size_t n, cap;
};

static void
buffer_add(struct buffer *b, const struct entry *e)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 1024;
		b->v = xrealloc(b->v, b->cap * sizeof(*b->v));
	}
	b->v[b->n++] = *e;
}

static int
entry_cmp(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);

	if (c != 0)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void
buffer_finish(struct buffer *b, struct opts *o)
{
	struct streamer s = { .have = 0 };

	if (b->n > 0)
		qsort(b->v, b->n, sizeof(*b->v), entry_cmp);
	for (size_t i = 0; i < b->n; i++)
		stream_add(&s, o, &b->v[i]);
	stream_finish(&s);
	free(b->v);
}

struct run {
	struct opts *o;         /* all that map_record() may touch */
	struct streamer s;
	struct buffer b;
};

enum { STAGED, REJECT_RECORD, REJECT_LINE };

/* In a worker thread: parse, stage, and format one line. */
static void
map_record(struct pm_item *it, struct strbuf *out, void *ctx)
{
	const struct opts *o = ((struct run *)ctx)->o;
	struct entry e = { 0 };
	const char *reason;
	char why[256];
	json_t *rec;

	if ((rec = ndjson_parse(it->line, it->len, why, sizeof(why))) == NULL) {
		it->status = REJECT_LINE;
		reason = why;
	} else if ((reason = stage(rec, o, &e, why, sizeof(why))) != NULL)
		it->status = REJECT_RECORD;
	if (reason != NULL) {
		it->off2 = out->len;
		it->n2 = strlen(reason);
		strbuf_add(out, reason, it->n2);
		json_decref(rec);
		return;
	}
	it->status = STAGED;
	it->off = out->len;
	ndjson_dump(out, rec);
	strbuf_addc(out, '\n');
	it->n = out->len - it->off;
	it->off2 = out->len;
	add_key(out, rec, o);
	it->n2 = out->len - it->off2;
	it->num = e.created;
	it->flag = e.has_created;
	json_decref(rec);
}

/* In input order: rejects, then deduplication and output. */
static void
consume_record(const struct pm_item *it, const char *out, void *ctx)
{
	struct run *r = ctx;
	struct entry e = {
		.input = it->input, .lineno = it->lineno, .seq = counts.in,
		.created = it->num, .has_created = it->flag,
	};

	counts.in++;
	if (it->status != STAGED) {
		/* The reject is the record as it came, not half staged. */
		json_t *rec = it->status == REJECT_RECORD ?
		    ndjson_parse(it->line, it->len, NULL, 0) : NULL;
		char *reason = xstrndup(out + it->off2, it->n2);

		reject_record(&r->o->rej, rec, rec ? NULL : it->line, it->input,
		    it->lineno, reason);
		free(reason);
		json_decref(rec);
		return;
	}
	e.key = xstrndup(out + it->off2, it->n2);
	e.line = xstrndup(out + it->off, it->n);
	e.len = it->n;
	if (r->o->sorted)
		stream_add(&r->s, r->o, &e);
	else
		buffer_add(&r->b, &e);
}

static void
run(struct input *in, struct opts *o, int nthreads)
{
	struct run r = { .o = o };

	parmap_run(in, nthreads, map_record, consume_record, &r);
	if (o->sorted)
		stream_finish(&r.s);
	else
		buffer_finish(&r.b, o);
}

static void
parse_keys(struct opts *o, const char *list)
{
	char *copy = xstrdup(list), *tok, *save = NULL;

	o->nkeys = 0;
	o->keys = xcalloc(strlen(list) + 1, sizeof(*o->keys));
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		o->keys[o->nkeys++] = xstrdup(tok);
	free(copy);
	if (o->nkeys == 0 || strcmp(o->keys[0], "item_id") != 0)
		errx(NC_USAGE, "-k: the key must start with item_id: '%s'", list);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "sorted", no_argument, NULL, 'S' },
		{ "now", required_argument, NULL, 'N' },
		{ "since", required_argument, NULL, 'D' },
		{ "low-stock", required_argument, NULL, 'L' },
		{ "threads", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = { .low_stock = 10 };
	struct input in;
	const char *reject_path = NULL;
	long max_rejects = 0;
	long long now = (long long)time(NULL);
	int ch, rval, nthreads = 0;

	nc_init(argv[0]);
	parse_keys(&o, "item_id");
	o.since = date_from_ymd(2024, 1, 1);
	while ((ch = getopt_long(argc, argv, "hk:m:r:vV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			nc_usage(synopsis, 1);
		case 'k':
			for (int i = 0; i < o.nkeys; i++)
				free(o.keys[i]);
			free(o.keys);
			parse_keys(&o, optarg);
			break;
		case 'm':
			max_rejects = nc_parse_long(optarg, 0, LONG_MAX, "-m");
			break;
		case 'r':
			reject_path = optarg;
			break;
		case 'v':
			nc_verbose++;
			break;
		case 'V':
			nc_print_version();
		case 'S':
			o.sorted = 1;
			break;
		case 'N':
			if (ts_parse(optarg, 0, &now) != 0)
				errx(NC_USAGE, "--now: not an RFC 3339 timestamp: '%s'", optarg);
			break;
		case 'D':
			if (date_parse(optarg, &o.since) != 0)
				errx(NC_USAGE, "--since: not a date: '%s'", optarg);
			break;
		case 'T':
			nthreads = (int)nc_parse_long(optarg, 1, 64, "--threads");
			break;
		case 'L':
			o.low_stock = nc_parse_long(optarg, LONG_MIN, LONG_MAX, "--low-stock");
			break;
		default:
			nc_usage(synopsis, 0);
		}
	}
	argc -= optind;
	argv += optind;
	ts_format(now, o.now);
	rejects_open(&o.rej, reject_path, max_rejects);

	/* jansson seeds its hash function once, before the threads start. */
	json_object_seed(0);
	input_init(&in, argc, argv);
	run(&in, &o, nthreads);
	rval = input_release(&in);
	nc_close_stdout();
	if (nc_verbose)
		fprintf(stderr, "%s: %lu in, %lu out, %lu rejected, %lu superseded\n",
		    nc_progname, counts.in, counts.out, o.rej.count, counts.superseded);
	rval = nc_worst(rval, rejects_close(&o.rej));
	for (int i = 0; i < o.nkeys; i++)
		free(o.keys[i]);
	free(o.keys);
	return rval;
}
