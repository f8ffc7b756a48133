/*
 * nc-reorder: from the forecast rows of each series (nc-forecast), its
 * safety stock, reorder point, order-up-to level, recommended order, days
 * of cover and projected stockout; with --simulate, the replay of that
 * policy over the backtest's history.  See nc-reorder(1).
 */
#include <err.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "date.h"
#include "flat.h"
#include "flatget.h"
#include "input.h"
#include "nc.h"
#include "ndjson.h"
#include "reject.h"
#include "reorder.h"
#include "reorder_tool.h"

static const char synopsis[] =
    "usage: nc-reorder [-v] [-k keys] [-m max] [-r rejects]\n"
    "                  [--method forecast|classic|on-demand] [--service-level p]\n"
    "                  [--service-levels file] [--lead-time days]\n"
    "                  [--lead-times file] [--delivery days] [--review days]\n"
    "                  [--history file] [--since date] [--stocking file]\n"
    "                  [--min-requests n] [--max-value value]\n"
    "                  [--rollout-sites n] [--rollout-bursts n] [--keep-lumps]\n"
    "                  [--history-floor | --no-history-floor] [--seen-sizes]\n"
    "                  [--order-cost cost] [--holding-rate rate]\n"
    "                  [--simulate days] [--backorders] [file ...]\n"
    "\n"
    "Safety stock, reorder point, order quantity and days of cover per series.\n"
    "  -k keys                 the series key fields (default item_id)\n"
    "  -m max                  rejects allowed before exit status 3 (default 0)\n"
    "  -r file                 write rejected rows and series there\n"
    "  -v                      a summary on stderr\n"
    "      --method m          forecast (default), classic or on-demand\n"
    "      --service-level p   the cycle service level (default 0.95, or 95%)\n"
    "      --service-levels f  levels per item or family (NDJSON)\n"
    "      --lead-time days    the purchase delay (default: the records')\n"
    "      --lead-times file   lead times per supplier (NDJSON)\n"
    "      --delivery days     added to the purchase delay (default 7)\n"
    "      --review days       the review period R (default 7)\n"
    "      --history file      item-day rows for demand history\n"
    "      --since date        the data's first day (classic window, fallback)\n"
    "      --stocking file     stock or order on demand, per item (NDJSON)\n"
    "      --min-requests n    requests a year below which: on demand (default 2)\n"
    "      --max-value value   a value above which: on demand (default: none)\n"
    "      --rollout-sites n   bursts of n sites are a rollout's: on demand\n"
    "                          (default 3; 0: off)\n"
    "      --rollout-bursts n  at most n bursts in a rollout (default 3)\n"
    "      --keep-lumps        stock for the rate of the forecasts' lumps too\n"
    "      --history-floor     PP no lower than the history's demand quantile\n"
    "                          over the protection interval (default)\n"
    "      --no-history-floor  the forecast's distribution alone\n"
    "      --seen-sizes        the sizes' sd as seen (size_sd), not size_cv\n"
    "      --order-cost cost   the cost of one order, for the order quantity\n"
    "      --holding-rate r    the yearly holding cost rate\n"
    "      --simulate days     simulate the policy over the backtest rows\n"
    "      --backorders        with --simulate: demand not served waits\n"
    "  -h, --help              this help\n"
    "  -V, --version           the version\n"
    "See nc-reorder(1).\n";

/*
 * The guard against broken uncertainty: a row's sd (forecast_sd, or the
 * one its quantiles or interval imply) above SD_SCALE_MAX times the
 * series' scale, max(1, its largest forecast, its largest actual or
 * history demand), rejects the series.  (A forecast is not judged against
 * the actuals: a backtest's window of them may be all zeros after the
 * spike that the forecast remembers.)  The sd of a demand that is never
 * negative is at most its largest value's order of magnitude; lumpy
 * series of the sample reach 450 times their largest forecast (one
 * request of hundreds after months of nothing), so the bound catches
 * broken numbers (2.09e30), not uncomfortable ones.
 */
#define SD_SCALE_MAX 1000.0

struct totals {
	unsigned long rows, series, out;
};

static struct totals tot;
static struct ro_simtot simtot;

/* A finished key, to catch a series whose rows are not together. */
struct keyset {
	char **v;
	size_t n, cap;
};

static unsigned long
hash_str(const char *s, size_t n)
{
	unsigned long h = 14695981039346656037UL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211UL;
	return h;
}

/* Insert key; returns 1 if it was there already. */
static int
keyset_add(struct keyset *ks, const char *s, size_t n)
{
	size_t i;

	if (2 * (ks->n + 1) > ks->cap) {
		struct keyset big = { NULL, 0, ks->cap ? ks->cap * 2 : 1024 };

		big.v = xcalloc(big.cap, sizeof(*big.v));
		for (size_t k = 0; k < ks->cap; k++)
			if (ks->v[k] != NULL) {
				i = hash_str(ks->v[k], strlen(ks->v[k])) & (big.cap - 1);
				while (big.v[i] != NULL)
					i = (i + 1) & (big.cap - 1);
				big.v[i] = ks->v[k];
			}
		big.n = ks->n;
		free(ks->v);
		*ks = big;
	}
	i = hash_str(s, n) & (ks->cap - 1);
	while (ks->v[i] != NULL) {
		if (strlen(ks->v[i]) == n && memcmp(ks->v[i], s, n) == 0)
			return 1;
		i = (i + 1) & (ks->cap - 1);
	}
	ks->v[i] = xstrndup(s, n);
	ks->n++;
	return 0;
}

static void
keyset_release(struct keyset *ks)
{
	for (size_t k = 0; k < ks->cap; k++)
		free(ks->v[k]);
	free(ks->v);
}

/* The service level of the series: item, then family, then the default. */
static double
series_service_level(const struct ro_opts *o, const struct ro_series *s, const char *item)
{
	json_t *v;
	char *fam;

	if (item != NULL && o->sl_items && (v = json_object_get(o->sl_items, item)) != NULL)
		return json_real_value(v);
	if (o->sl_families && (fam = ro_attr_str(s, F_FAMILY)) != NULL) {
		v = json_object_get(o->sl_families, fam);
		free(fam);
		if (v != NULL)
			return json_real_value(v);
	}
	return o->service_level;
}

static void
series_reject(struct ro_opts *o, struct ro_series *s, const char *reason)
{
	json_t *rec = ndjson_parse(s->first_line.s, s->first_line.len, NULL, 0);

	reject_record(&o->rej, rec, rec ? NULL : s->first_line.s, s->input, s->lineno, reason);
	json_decref(rec);
}

/*
 * The series' numbers against SD_SCALE_MAX (see there).  Returns NULL, or
 * the reason to reject the series, in why.
 */
static const char *
series_insane(const struct ro_series *s, char *why, size_t whysize)
{
	double fmax = 0, hmax = NAN, scale;
	char d[DATE_BUFSZ];

	for (size_t i = 0; i < s->n; i++) {
		const struct ro_row *r = &s->rows[i];
		double h = r->history ? r->mean : r->actual;

		if (!r->history && r->mean > fmax)
			fmax = r->mean;
		if (!isnan(h) && !(h <= hmax))
			hmax = h;
	}
	scale = fmax > 1 ? fmax : 1;
	if (!isnan(hmax) && hmax > scale)
		scale = hmax;
	for (size_t i = 0; i < s->n; i++)
		if (s->rows[i].sd > SD_SCALE_MAX * scale) {
			date_format(s->rows[i].date, d);
			snprintf(why, whysize, "forecast_sd %g (%s) is over %g x the series' "
			    "scale %g (its largest forecast or demand, at least 1): a broken forecast",
			    s->rows[i].sd, d, SD_SCALE_MAX, scale);
			return why;
		}
	return NULL;
}

static void
series_finish(struct ro_opts *o, struct ro_series *s)
{
	struct ro_lt li;
	double sl;
	char why[256];

	if (!s->active)
		return;
	s->active = 0;
	tot.series++;
	s->hist.n = 0;
	ro_series_lead_time(o, s, &li);
	if (!(li.lt >= 0)) {
		series_reject(o, s, "lead_time_days: missing (give --lead-time or --lead-times)");
		return;
	}
	if (series_insane(s, why, sizeof(why)) != NULL) {
		series_reject(o, s, why);
		return;
	}
	sl = series_service_level(o, s, s->item);
	if (o->simulate > 0) {
		const char *bad = ro_simulate_series(o, s, &li, sl, &simtot);

		if (bad != NULL)
			series_reject(o, s, bad);
		else
			tot.out++;
	} else if (ro_emit_policy(o, s, &li, sl, why, sizeof(why)) != 0)
		series_reject(o, s, why);
	else
		tot.out++;
}

/* Read one row into the current series.  Returns NULL, or a reject reason. */
static const char *
take_row(struct ro_opts *o, struct ro_series *s, struct keyset *done, const struct flat *fl,
    const char *line, size_t len, const char *input, unsigned long lineno, char *why,
    size_t whysize)
{
	const struct flat_field *f[NFIELDS] = { 0 };
	struct strbuf key = { 0 }, outk = { 0 };
	struct ro_row r;

	static size_t field_len[NFIELDS];

	if (field_len[0] == 0)
		for (int k = 0; k < NFIELDS; k++)
			field_len[k] = strlen(field_names[k]);
	for (size_t i = 0; i < fl->n; i++)
		for (int k = 0; k < NFIELDS; k++)
			if (fl->f[i].klen == field_len[k] && fl->f[i].key[0] == field_names[k][0] &&
			    memcmp(fl->f[i].key, field_names[k], fl->f[i].klen) == 0) {
				f[k] = &fl->f[i];
				break;
			}
	for (int k = 0; k < o->nkeys; k++) {
		const struct flat_field *kf = flat_get(fl, o->keys[k], o->klen[k]);

		/* A null key value (a row without a site) is a value of its own,
		 * as in nc-store and nc-forecast. */
		if (kf == NULL || (kf->type != FLAT_STRING && kf->type != FLAT_NUMBER &&
		    kf->type != FLAT_NULL)) {
			snprintf(why, whysize, "%.*s: %s", (int)o->klen[k], o->keys[k],
			    kf == NULL ? "missing" : "not a string, number or null");
			goto bad;
		}
		if (k > 0) {
			strbuf_addc(&key, '\037');
			strbuf_addc(&outk, ',');
		}
		flat_dump_value(&key, kf);
		ndjson_dump_string(&outk, o->keys[k], o->klen[k]);
		strbuf_addc(&outk, ':');
		flat_dump_value(&outk, kf);
	}
	if (ro_parse_row(o, fl, f, &r, why, whysize) != 0)
		goto bad;
	/* A new series? */
	if (!s->active || key.len != s->key.len || memcmp(key.s, s->key.s, key.len) != 0) {
		series_finish(o, s);
		if (keyset_add(done, key.s, key.len))
			errx(NC_FAIL, "error: %s:%lu: rows of series %s are not together "
			    "(sort the input by %.*s)", input, lineno, outk.s,
			    (int)o->klen[0], o->keys[0]);
		s->key.len = s->out_keys.len = s->first_line.len = 0;
		strbuf_add(&s->key, key.s, key.len);
		strbuf_add(&s->out_keys, outk.s, outk.len);
		strbuf_add(&s->first_line, line, len);
		s->input = input;
		s->lineno = lineno;
		s->n = 0;
		s->active = 1;
		free(s->item);
		s->item = NULL;
		for (int k = 0; k < o->nkeys; k++) {
			const struct flat_field *kf = flat_get(fl, o->keys[k], o->klen[k]);

			if (o->klen[k] == 7 && memcmp(o->keys[k], "item_id", 7) == 0 &&
			    kf->type != FLAT_NULL)
				s->item = xstrndup(kf->val, kf->vlen);
		}
		memset(s->has_attr, 0, sizeof(s->has_attr));
	}
	for (int k = FIRST_ATTR; k < NFIELDS; k++) {
		if (f[k] == NULL)
			continue;
		s->attr[k].len = 0;
		flat_dump_value(&s->attr[k], f[k]);
		s->has_attr[k] = 1;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->rows = xrealloc(s->rows, s->cap * sizeof(*s->rows));
	}
	s->rows[s->n++] = r;
	strbuf_release(&key);
	strbuf_release(&outk);
	return NULL;
bad:
	strbuf_release(&key);
	strbuf_release(&outk);
	return why;
}

static void
run(struct ro_opts *o, struct input *in)
{
	struct ro_series s = { 0 };
	struct keyset done = { 0 };
	struct flat_field buf[64];
	struct flat fl;
	char *line, why[256];
	size_t len;

	flat_init(&fl, buf, sizeof(buf) / sizeof(*buf));
	while (input_next(in, &line, &len) == 1) {
		json_t *rec = NULL;
		const char *reason = NULL;

		tot.rows++;
		if (flat_scan(&fl, line, len) != 0) {
			if ((rec = ndjson_parse(line, len, why, sizeof(why))) == NULL)
				reason = why;
			else
				flat_from_json(&fl, rec);
		}
		if (reason == NULL)
			reason = take_row(o, &s, &done, &fl, line, len, ro_input_label(in),
			    in->lineno, why, sizeof(why));
		if (reason != NULL) {
			json_t *r = rec ? json_incref(rec) : ndjson_parse(line, len, NULL, 0);

			reject_record(&o->rej, r, r ? NULL : line, ro_input_label(in), in->lineno,
			    reason);
			json_decref(r);
		}
		json_decref(rec);
		flat_release(&fl);
	}
	series_finish(o, &s);
	if (o->simulate > 0 && tot.out > 0)
		ro_simulate_overall(&simtot, tot.out);
	strbuf_release(&s.key);
	strbuf_release(&s.out_keys);
	strbuf_release(&s.first_line);
	for (int k = 0; k < NFIELDS; k++)
		strbuf_release(&s.attr[k]);
	free(s.rows);
	free(s.item);
	free(s.hist.date);
	free(s.hist.qty);
	keyset_release(&done);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "method", required_argument, NULL, 'M' },
		{ "service-level", required_argument, NULL, 's' },
		{ "service-levels", required_argument, NULL, 'S' },
		{ "lead-time", required_argument, NULL, 'l' },
		{ "lead-times", required_argument, NULL, 'L' },
		{ "review", required_argument, NULL, 'R' },
		{ "order-cost", required_argument, NULL, 'O' },
		{ "holding-rate", required_argument, NULL, 'H' },
		{ "simulate", required_argument, NULL, 'X' },
		{ "delivery", required_argument, NULL, 'D' },
		{ "history", required_argument, NULL, 'Y' },
		{ "since", required_argument, NULL, 'N' },
		{ "stocking", required_argument, NULL, 'K' },
		{ "min-requests", required_argument, NULL, 'Q' },
		{ "max-value", required_argument, NULL, 'W' },
		{ "rollout-sites", required_argument, NULL, 'U' },
		{ "keep-lumps", no_argument, NULL, 'J' },
		{ "rollout-bursts", required_argument, NULL, 'T' },
		{ "history-floor", no_argument, NULL, 'F' },
		{ "no-history-floor", no_argument, NULL, 'G' },
		{ "seen-sizes", no_argument, NULL, 'Z' },
		{ "backorders", no_argument, NULL, 'B' },
		{ NULL, 0, NULL, 0 }
	};
	struct ro_opts o = {
		.service_level = 0.95, .lead_time = NAN, .review = 7, .method = RP_FORECAST,
		.delivery = 7, .min_requests = 2, .first_day = NO_DATE,
		.rollout_sites = 3,
		.rollout_bursts = RO_ROLLOUT_BURSTS,
		.hist_floor = 1,
		.size_cv = 1,
	};
	const char *hist_file = NULL, *stock_file = NULL;
	int use_stdin;
	struct input in;
	const char *reject_path = NULL, *sl_file = NULL, *lt_file = NULL;
	char keys[256] = "item_id";
	long max_rejects = 0;
	int ch, rval;

	nc_init(argv[0]);
	gsl_set_error_handler_off();
	while ((ch = getopt_long(argc, argv, "hk:m:r:vV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'k':
			if (strlen(optarg) >= sizeof(keys))
				errx(NC_USAGE, "-k: too long");
			strcpy(keys, optarg);
			break;
		case 'M':
			if (strcmp(optarg, "forecast") == 0)
				o.method = RP_FORECAST;
			else if (strcmp(optarg, "classic") == 0)
				o.method = RP_CLASSIC;
			else if (strcmp(optarg, "on-demand") == 0)
				o.method = RP_ONDEMAND;
			else
				errx(NC_USAGE, "--method: forecast, classic or on-demand, not '%s'",
				    optarg);
			break;
		case 'D':
			o.delivery = ro_parse_pos(optarg, "--delivery", 1);
			break;
		case 'Y':
			hist_file = optarg;
			break;
		case 'N':
			if (date_parse(optarg, &o.first_day) != 0)
				errx(NC_USAGE, "--since: not a date: '%s'", optarg);
			break;
		case 'K':
			stock_file = optarg;
			break;
		case 'Q':
			o.min_requests = ro_parse_pos(optarg, "--min-requests", 1);
			break;
		case 'B':
			o.backorders = 1;
			break;
		case 'F':
			o.hist_floor = 1;
			break;
		case 'G':
			o.hist_floor = 0;
			break;
		case 'Z':
			o.size_cv = 0;
			break;
		case 'J':
			o.keep_lumps = 1;
			break;
		case 'W':
			o.max_value = ro_parse_pos(optarg, "--max-value", 1);
			break;
		case 'U': {
			double d = ro_parse_pos(optarg, "--rollout-sites", 1);

			if (d > 1000 || d != floor(d))
				errx(NC_USAGE, "--rollout-sites: a whole number of sites up to "
				    "1000, not '%s'", optarg);
			o.rollout_sites = (int)d;
			break;
		}
		case 'T': {
			double d = ro_parse_pos(optarg, "--rollout-bursts", 0);

			if (d < 1 || d > 1000 || d != floor(d))
				errx(NC_USAGE, "--rollout-bursts: a whole number from 1 to 1000, "
				    "not '%s'", optarg);
			o.rollout_bursts = (int)d;
			break;
		}
		case 's':
			o.service_level = ro_parse_level(optarg, "--service-level");
			break;
		case 'S':
			sl_file = optarg;
			break;
		case 'l':
			o.lead_time = ro_parse_pos(optarg, "--lead-time", 1);
			break;
		case 'L':
			lt_file = optarg;
			break;
		case 'R':
			o.review = ro_parse_pos(optarg, "--review", 1);
			break;
		case 'O':
			o.order_cost = ro_parse_pos(optarg, "--order-cost", 0);
			break;
		case 'H':
			o.holding_rate = ro_parse_pos(optarg, "--holding-rate", 0);
			break;
		case 'X':
			o.simulate = nc_parse_long(optarg, 1, 100000, "--simulate");
			break;
		default:
			/* -h, -V, -v, -m, -r, or a usage error */
			nc_filter_option(ch, optarg, synopsis, &max_rejects, &reject_path);
		}
	}
	argc -= optind;
	argv += optind;
	if ((o.order_cost > 0) != (o.holding_rate > 0))
		errx(NC_USAGE, "--order-cost and --holding-rate go together");
	ro_parse_keys(&o, keys);
	if (sl_file != NULL)
		ro_read_side_file(sl_file, "item_id", "family", "service_level", &o.sl_items,
		    &o.sl_families, 0, 1);
	if (lt_file != NULL)
		o.lt_suppliers = ro_read_lead_times(lt_file);
	if (stock_file != NULL)
		o.stocking = ro_read_stocking(stock_file);
	if (hist_file != NULL) {
		rp_hist_load(&o.hist, hist_file, o.keys, o.klen, o.nkeys);
		o.have_hist = 1;
		if (o.first_day == NO_DATE && o.hist.n > 0)
			o.first_day = o.hist.first;
	}
	rejects_open(&o.rej, reject_path, max_rejects);
	/* Two passes (lead-time pools, then the series): stdin is spooled. */
	use_stdin = argc == 0;
	for (int i = 0; i < argc; i++)
		use_stdin |= strcmp(argv[i], "-") == 0;
	if (argc == 0) {
		static char *dash[] = { "-", NULL };

		argc = 1;
		argv = dash;
	}
	if (use_stdin)
		ro_spool_stdin(argc, argv);
	lt_pool_init(&o.pool);
	/* Pass 1: the lead-time pools, and the data's first day for classic. */
	if (isnan(o.lead_time) || (o.method == RP_CLASSIC && o.first_day == NO_DATE))
		ro_pass1(&o, argc, argv);
	input_init(&in, argc, argv);
	run(&o, &in);
	rval = input_release(&in);
	if (ro_spool_path != NULL) {
		unlink(ro_spool_path);
		free(ro_spool_path);
	}
	nc_close_stdout();
	if (nc_verbose)
		fprintf(stderr, "%s: %lu rows in, %lu series, %lu out, %lu rejected\n",
		    nc_progname, tot.rows, tot.series, tot.out, o.rej.count);
	rval = nc_worst(rval, rejects_close(&o.rej));
	json_decref(o.sl_items);
	json_decref(o.sl_families);
	json_decref(o.lt_suppliers);
	json_decref(o.stocking);
	json_decref(o.lt_series);
	lt_pool_release(&o.pool);
	if (o.have_hist)
		rp_hist_release(&o.hist);
	return rval;
}
