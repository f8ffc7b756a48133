/*
 * nc-transform: stage raw item-day records into silver records, as the
 * seed's dbt model stg_items does: cast, clean, validate, derive and
 * deduplicate.  See nc-transform(1).
 */
#include <err.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "flat.h"
#include "date.h"
#include "extsort.h"
#include "input.h"
#include "nc.h"
#include "ndjson.h"
#include "parmap.h"
#include "reject.h"
#include "staging.h"

static const char synopsis[] =
    "usage: nc-transform [-v] [--sorted[=n]] [-k keys] [-m max] [-r rejects]\n"
    "                    [-S size] [-T dir] [--now timestamp] [--since date]\n"
    "                    [--low-stock n] [--threads n] [file ...]\n"
    "\n"
    "Staging of item-day records: cast, clean, validate, derive, deduplicate.\n"
    "  -k keys              the series key fields, item_id first (default item_id)\n"
    "  -m max               rejects allowed before exit status 3 (default 0)\n"
    "  -r file              write rejected and superseded records there\n"
    "  -v                   counts of records in, out, rejected, superseded\n"
    "  -S size              memory for sorting unsorted input (default 32M)\n"
    "  -T dir               the sort's temporary files (default $TMPDIR, /tmp)\n"
    "      --sorted[=n]     input ordered by series key and date: stream it\n"
    "                       (=n: records up to n rows late are put in place)\n"
    "      --since date     the earliest date kept (default 2024-01-01)\n"
    "      --low-stock n    the LOW_STOCK threshold (default 10)\n"
    "      --now time       the loaded_at of every record (RFC 3339)\n"
    "      --threads n      worker threads (default: processors, at most 4)\n"
    "  -h, --help           this help\n"
    "  -V, --version        the version\n"
    "See nc-transform(1).\n";

struct opts {
	struct staging st;      /* what staging_record() reads */
	int sorted;             /* --sorted: stream, input ordered by keys, date */
	size_t window;          /* --sorted=N: through a reorder window */
	struct extsort_opts sort;       /* -S, -T: otherwise */
	struct rejects rej;
};

/*
 * A staged record waiting for deduplication: its series key and date as
 * one string ("k1\037k2\037YYYY-MM-DD"), created_at, and the output line.
 */
struct entry {
	const char *key;
	size_t klen;
	const char *line;
	size_t len;
	long long created;
	int has_created;
	const char *input;
	unsigned long lineno;
	size_t seq;
};

struct counts {
	unsigned long in, out, superseded;
	unsigned long differing;        /* superseded with other values */
	double differing_qty;           /* the quantity they carried */
};

static struct counts counts;

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

/* A field that an update of the same record may change: created_at and
 * metadata (_src, _extracted_at, ...). */
static int
update_field(const char *name)
{
	return name[0] == '_' || strcmp(name, "created_at") == 0;
}

/* Does staged record a hold a value that b does not (or the reverse),
 * apart from update_field()s? */
static int
values_differ(json_t *a, json_t *b)
{
	const char *k;
	json_t *v;

	json_object_foreach(a, k, v)
		if (!update_field(k) && !json_equal(v, json_object_get(b, k)))
			return 1;
	json_object_foreach(b, k, v)
		if (!update_field(k) && json_object_get(a, k) == NULL)
			return 1;
	return 0;
}

/*
 * e is superseded by the record by: counted, and written to -r.  When
 * their values differ (not only created_at), e was probably another
 * record, not an older copy, under a key that is too short: counted with
 * its quantity for the warning at the end.
 */
static void
set_aside(struct opts *o, const struct entry *e, const struct entry *by)
{
	char why[128];
	json_t *rec, *winner;

	counts.superseded++;
	rec = ndjson_parse(e->line, e->len - 1, why, sizeof(why));
	winner = ndjson_parse(by->line, by->len - 1, why, sizeof(why));
	if (rec != NULL && winner != NULL && values_differ(rec, winner)) {
		json_t *q = json_object_get(rec, "quantity");

		counts.differing++;
		if (json_is_number(q))
			counts.differing_qty += json_number_value(q);
	}
	json_decref(winner);
	if (o->rej.fp != NULL)
		reject_aside(&o->rej, rec, e->input, e->lineno, "superseded");
	json_decref(rec);
}

/* Keys compare byte by byte; a prefix sorts first. */
static int
key_cmp(const struct entry *a, const struct entry *b)
{
	int c = memcmp(a->key, b->key, a->klen < b->klen ? a->klen : b->klen);

	if (c != 0)
		return c;
	return a->klen < b->klen ? -1 : a->klen > b->klen;
}

/*
 * Constant memory: the best record of the current (key, date) run, kept
 * in buffers of its own; entries given to stream_add() are only read.
 */
struct streamer {
	struct entry pending;
	struct strbuf key, line;
	int have;
};

static void
keep(struct streamer *s, const struct entry *e)
{
	s->key.len = s->line.len = 0;
	strbuf_add(&s->key, e->key, e->klen);
	strbuf_add(&s->line, e->line, e->len);
	s->pending = *e;
	s->pending.key = s->key.s;
	s->pending.line = s->line.s;
	s->have = 1;
}

static void
stream_add(struct streamer *s, struct opts *o, const struct entry *e)
{
	int c;

	if (!s->have) {
		keep(s, e);
		return;
	}
	c = key_cmp(e, &s->pending);
	if (c < 0)
		errx(NC_FAIL, "error: %s:%lu: input not ordered by %s and date "
		    "(sort it, or leave out --sorted)", e->input, e->lineno, o->st.keys[0]);
	if (c > 0) {
		nc_write(stdout, s->pending.line, s->pending.len);
		counts.out++;
		keep(s, e);
	} else if (supersedes(e, &s->pending)) {
		set_aside(o, &s->pending, e);
		keep(s, e);
	} else
		set_aside(o, e, &s->pending);
}

static void
stream_finish(struct streamer *s)
{
	if (s->have) {
		nc_write(stdout, s->pending.line, s->pending.len);
		counts.out++;
	}
	strbuf_release(&s->key);
	strbuf_release(&s->line);
}

/*
 * Not --sorted: every staged record goes to an external sort (extsort.h)
 * by its key, then in input order, and comes back to the streamer in
 * bounded memory.  The payload of a sorted record: a struct sorted_rec,
 * then the output line.
 */
struct sorted_rec {
	long long created;
	int has_created;
	const char *input;      /* argv or "stdin": lives as long as the process */
	unsigned long lineno;
	size_t seq;
};

/* The payload of e into p (sizeof(struct sorted_rec) + e->len bytes). */
static void
pack(char *p, const struct entry *e)
{
	struct sorted_rec sr = { e->created, e->has_created, e->input, e->lineno, e->seq };

	memcpy(p, &sr, sizeof(sr));
	memcpy(p + sizeof(sr), e->line, e->len);
}

static void
unpack(struct entry *e, const struct extsort_rec *r)
{
	struct sorted_rec sr;

	memcpy(&sr, r->payload, sizeof(sr));
	e->key = r->key;
	e->klen = r->klen;
	e->line = r->payload + sizeof(sr);
	e->len = r->plen - sizeof(sr);
	e->created = sr.created;
	e->has_created = sr.has_created;
	e->input = sr.input;
	e->lineno = sr.lineno;
	e->seq = sr.seq;
}

/* Into the sort, or (with w) through the reorder window to s. */
static void
sort_add(struct extsort *es, struct rwin *w, struct streamer *s, struct opts *o,
    const struct entry *e)
{
	char stack[4096], *p = e->len + sizeof(struct sorted_rec) <= sizeof(stack) ? stack :
	    xmalloc(e->len + sizeof(struct sorted_rec));
	struct extsort_rec r;
	struct entry out;
	int c = 0;

	pack(p, e);
	if (w == NULL)
		extsort_add(es, e->key, e->klen, p, sizeof(struct sorted_rec) + e->len);
	else if ((c = rwin_add(w, e->key, e->klen, p, sizeof(struct sorted_rec) + e->len,
	    &r)) < 0)
		errx(NC_FAIL, "error: %s:%lu: input not ordered by %s and date, even within "
		    "--sorted=%zu records (sort it, or leave out --sorted)", e->input, e->lineno,
		    o->st.keys[0], w->max);
	if (p != stack)
		free(p);
	if (c == 1) {
		unpack(&out, &r);
		stream_add(s, o, &out);
	}
}

static void
sort_finish(struct extsort *es, struct streamer *s, struct opts *o)
{
	struct extsort_rec r;
	struct entry e;

	extsort_finish(es);
	while (extsort_next(es, &r) == 1) {
		unpack(&e, &r);
		stream_add(s, o, &e);
	}
	if (nc_verbose)
		extsort_report(es, stderr);
	extsort_release(es);
}

static void
window_finish(struct rwin *w, struct streamer *s, struct opts *o)
{
	struct extsort_rec r;
	struct entry e;

	while (rwin_next(w, &r) == 1) {
		unpack(&e, &r);
		stream_add(s, o, &e);
	}
	if (nc_verbose)
		rwin_report(w, stderr);
	rwin_release(w);
}

struct run {
	struct opts *o;         /* all that map_record() may touch */
	struct streamer s;
	struct extsort es;
	struct rwin w;          /* --sorted=N */
};

enum { STAGED, REJECT_RECORD, REJECT_LINE };

/*
 * In a worker thread: parse, stage, and format one line.  Most lines take
 * the fast path (flat_scan); the others are parsed by jansson.
 */
static void
map_record(struct pm_item *it, struct strbuf *out, void *ctx)
{
	const struct opts *o = ((struct run *)ctx)->o;
	struct flat_field buf[32];
	struct flat fl;
	struct staged res;
	const char *reason = NULL;
	char why[256];
	json_t *rec = NULL;

	flat_init(&fl, buf, sizeof(buf) / sizeof(*buf));
	if (flat_scan(&fl, it->line, it->len) != 0) {
		if ((rec = ndjson_parse(it->line, it->len, why, sizeof(why))) == NULL) {
			it->status = REJECT_LINE;
			reason = why;
		} else
			flat_from_json(&fl, rec);
	}
	if (reason == NULL &&
	    (reason = staging_record(&o->st, &fl, out, &res, why, sizeof(why))) != NULL)
		it->status = REJECT_RECORD;
	if (reason != NULL) {
		it->off2 = out->len;
		it->n2 = strlen(reason);
		strbuf_add(out, reason, it->n2);
	} else {
		it->status = STAGED;
		it->off = res.line_off;
		it->n = res.line_len;
		it->off2 = res.key_off;
		it->n2 = res.key_len;
		it->num = res.created;
		it->flag = res.has_created;
	}
	flat_release(&fl);
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
		reject_line(&r->o->rej, it->status == REJECT_RECORD, it->line, it->len,
		    it->input, it->lineno, out + it->off2, it->n2);
		return;
	}
	e.key = out + it->off2;
	e.klen = it->n2;
	e.line = out + it->off;
	e.len = it->n;
	if (r->o->sorted && r->o->window == 0)
		stream_add(&r->s, r->o, &e);
	else
		sort_add(&r->es, r->o->sorted ? &r->w : NULL, &r->s, r->o, &e);
}

static void
run(struct input *in, struct opts *o, int nthreads)
{
	struct run r = { .o = o };

	if (!o->sorted)
		extsort_init(&r.es, &o->sort);
	else if (o->window > 0)
		rwin_init(&r.w, o->window);
	parmap_run(in, nthreads, map_record, consume_record, &r);
	if (!o->sorted)
		sort_finish(&r.es, &r.s, o);
	else if (o->window > 0)
		window_finish(&r.w, &r.s, o);
	stream_finish(&r.s);
}

enum { OPT_SORTED = 256, OPT_THREADS };

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "sorted", optional_argument, NULL, OPT_SORTED },
		{ "now", required_argument, NULL, 'N' },
		{ "since", required_argument, NULL, 'D' },
		{ "low-stock", required_argument, NULL, 'L' },
		{ "threads", required_argument, NULL, OPT_THREADS },
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = { .sorted = 0 };
	struct input in;
	const char *reject_path = NULL, *keys = "item_id";
	long since = date_from_ymd(2024, 1, 1);
	long long low_stock = 10;
	char why[256];
	long max_rejects = 0;
	long long now = (long long)time(NULL);
	int ch, rval, nthreads = 0;

	nc_init(argv[0]);
	while ((ch = getopt_long(argc, argv, "hk:m:r:S:T:vV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'k':
			keys = optarg;
			break;
		case 'S':
			if (extsort_parse_size(optarg, &o.sort.mem) != 0)
				errx(NC_USAGE, "-S: not a size of at least 16K: '%s'", optarg);
			break;
		case 'T':
			o.sort.dir = optarg;
			break;
		case OPT_SORTED:
			o.sorted = 1;
			if (optarg != NULL)
				o.window = (size_t)nc_parse_long(optarg, 0, 100000000, "--sorted");
			break;
		case 'N':
			if (ts_parse(optarg, 0, &now) != 0)
				errx(NC_USAGE, "--now: not an RFC 3339 timestamp: '%s'", optarg);
			break;
		case 'D':
			if (date_parse(optarg, &since) != 0)
				errx(NC_USAGE, "--since: not a date: '%s'", optarg);
			break;
		case OPT_THREADS:
			nthreads = (int)nc_parse_long(optarg, 1, 64, "--threads");
			break;
		case 'L':
			low_stock = nc_parse_long(optarg, LONG_MIN, LONG_MAX, "--low-stock");
			break;
		default:
			/* -h, -V, -v, -m, -r, or a usage error */
			nc_filter_option(ch, optarg, synopsis, &max_rejects, &reject_path);
		}
	}
	argc -= optind;
	argv += optind;
	if (staging_init(&o.st, keys, why, sizeof(why)) != 0)
		errx(NC_USAGE, "-k: %s", why);
	o.st.since = since;
	o.st.low_stock = low_stock;
	ts_format(now, o.st.now);
	rejects_open(&o.rej, reject_path, max_rejects);

	/* jansson seeds its hash function once, before the threads start. */
	json_object_seed(0);
	input_init(&in, argc, argv);
	run(&in, &o, nthreads);
	rval = input_release(&in);
	nc_close_stdout();
	if (counts.differing > 0) {
		char keylist[512];
		size_t off = 0;

		keylist[0] = '\0';
		for (int i = 0; i < o.st.nkeys && off < sizeof(keylist); i++)
			off += (size_t)snprintf(keylist + off, sizeof(keylist) - off, "%s, ",
			    o.st.keys[i]);
		fprintf(stderr, "%s: warning: %lu superseded records (quantity %.15g) "
		    "differ from the record of the same key (%sdate) that replaced "
		    "them: likely a key mistake, see -k\n",
		    nc_progname, counts.differing, counts.differing_qty, keylist);
	}
	if (nc_verbose)
		fprintf(stderr, "%s: %lu in, %lu out, %lu rejected, %lu superseded\n",
		    nc_progname, counts.in, counts.out, o.rej.count, counts.superseded);
	rval = nc_worst(rval, rejects_close(&o.rej));
	staging_release(&o.st);
	return rval;
}
