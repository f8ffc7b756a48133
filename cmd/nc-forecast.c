/*
 * nc-forecast: per-series statistical forecasts of demand, with the model
 * chosen by rolling-origin cross-validation per demand class, prediction
 * intervals and quantiles, and backtests.  See nc-forecast(1).
 */
#include <err.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "date.h"
#include "extsort.h"
#include "forecast.h"
#include "forecast_eval.h"
#include "forecast_out.h"
#include "forecast_pool.h"
#include "forecast_series.h"
#include "forecast_shape.h"
#include "forecast_sizepool.h"
#include "input.h"
#include "nc.h"
#include "reject.h"

static const char synopsis[] =
    "usage: nc-forecast [-v] [-H horizon] [-j workers] [-k keys] [-m max]\n"
    "                   [-r rejects] [-S size] [-t target] [-T dir] [-x fields]\n"
    "                   [--as-of date] [--backtest k] [--cv origins] [--ensemble]\n"
    "                   [--level levels] [--model name] [--now timestamp]\n"
    "                   [--period day|week|month] [--max-periods n]\n"
    "                   [--pool file] [--pool-only] [--pool-part] [--pool-merge]\n"
    "                   [--quantiles probs] [--settle days] [--start date]\n"
    "                   [--stopped alpha] [--summary] [--weights name=w,...]\n"
    "                   [file ...]\n"
    "\n"
    "Forecasts per series: models, selection or ensemble, intervals, backtests.\n"
    "  -H n                 periods to forecast (default 30)\n"
    "  -j n                 series forecast in parallel (default: processors)\n"
    "  -k keys              the key fields of a series (default item_id)\n"
    "  -t field             the demand field (default quantity)\n"
    "  -x fields            exogenous numeric fields for the regression model\n"
    "  -m max               rejects allowed before exit status 3 (default 0)\n"
    "  -r file              write rejected records there, with their reason\n"
    "  -S size              memory for sorting unsorted input (default 32M)\n"
    "  -T dir               the sort's temporary files (default $TMPDIR, /tmp)\n"
    "  -v                   the series count and the period on stderr\n"
    "      --as-of date     end every series at date\n"
    "      --start date     the history window's first day\n"
    "      --period p       day, week or month (default: inferred)\n"
    "      --max-periods n  the longest history, in periods (default 5000)\n"
    "      --model name     auto (default), or one model: naive, snaive, mean,\n"
    "                       ma, ses, croston, sba, tsb, adida, ets, arima,\n"
    "                       regression, prophet, zero\n"
    "      --ensemble       combine the candidates by inverse CV error\n"
    "      --weights m=w,.. fixed combination weights\n"
    "      --cv n           cross-validation origins (default 20)\n"
    "      --level l,...    interval levels in percent (default 95)\n"
    "      --quantiles p,.. probabilities, each a field (0.9 gives q90)\n"
    "      --stopped alpha  the test for demand that stopped (default 0.01)\n"
    "      --settle days    the last days of data are not complete (default 0)\n"
    "      --backtest k     forecast from each of the last k origins instead\n"
    "      --summary        with --backtest: error and coverage summaries\n"
    "      --now time       the created_at of every record (RFC 3339)\n"
    "      --pool-only      write what is pooled across series (JSON), no forecasts\n"
    "      --pool file      use that pool (of --pool-only) instead of the input's\n"
    "      --pool-part      write this input's part of a pool (JSON), no forecasts\n"
    "      --pool-merge     write the pool of the parts in the files (of --pool-part)\n"
    "  -h, --help           this help\n"
    "  -V, --version        the version\n"
    "See nc-forecast(1).\n";

struct run {
	struct fc_set set;
	struct fc_plan plan;
	struct fc_rowctx rc;
	enum fc_period period;
	long from;                 /* the history window's first day */
	long last;                 /* start of the last whole period */
	size_t H, k, backtest;
	size_t settling;           /* unsettled periods after last (--settle) */
	long as_of;                /* with them, the last whole period's end */
	double cv_pool;            /* of sizes (forecast_shape.h) */
	int m, summary;
	struct fc_acc *acc;        /* per series, with --backtest */
	size_t base;               /* the loaded range's first series */
};

/* Split a comma-separated list into a new array of new strings. */
static char **
split(const char *s, size_t *n)
{
	char **v = NULL, *copy = xstrdup(s), *tok, *save = NULL;

	*n = 0;
	for (tok = strtok_r(copy, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		v = xrealloc(v, (*n + 1) * sizeof(char *));
		v[(*n)++] = xstrdup(tok);
	}
	free(copy);
	return v;
}

static void
free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Numbers of a list, each in (lo, hi), at most max of them. */
static size_t
numbers(const char *s, double *out, size_t max, double lo, double hi,
    const char *what)
{
	size_t n;
	char **v = split(s, &n), *end;

	if (n == 0 || n > max)
		errx(NC_USAGE, "%s: give 1 to %zu values", what, max);
	for (size_t i = 0; i < n; i++) {
		out[i] = strtod(v[i], &end);
		if (*end != '\0' || !(out[i] > lo && out[i] < hi))
			errx(NC_USAGE, "%s: not a value in (%g, %g): '%s'", what, lo, hi, v[i]);
	}
	free_list(v, n);
	return n;
}

/* A test's level: a number in [0, 1). */
static double
level(const char *s, const char *what)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end != '\0' || !(v >= 0 && v < 1))
		errx(NC_USAGE, "%s: not a level in [0, 1): '%s'", what, s);
	return v;
}

static const char *
model_name(const char *s, const char *what)
{
	if (strcmp(s, "auto") != 0 && fc_model_find(s) == NULL) {
		fprintf(stderr, "%s: %s: no model '%s'; models: auto", nc_progname, what, s);
		for (const struct fc_model *m = fc_models; m->name != NULL; m++)
			fprintf(stderr, " %s", m->name);
		fputc('\n', stderr);
		exit(NC_USAGE);
	}
	return s;
}

static void
weights(struct fc_plan *p, const char *s)
{
	size_t n;
	char **v = split(s, &n), *eq, *end;

	if (n == 0 || n > FC_MAX_WEIGHTS)
		errx(NC_USAGE, "--weights: give 1 to %d name=weight pairs", FC_MAX_WEIGHTS);
	for (size_t i = 0; i < n; i++) {
		if ((eq = strchr(v[i], '=')) == NULL)
			errx(NC_USAGE, "--weights: not name=weight: '%s'", v[i]);
		*eq = '\0';
		p->w[i] = strtod(eq + 1, &end);
		if (*end != '\0' || !(p->w[i] >= 0) || !isfinite(p->w[i]))
			errx(NC_USAGE, "--weights: not a weight: '%s'", eq + 1);
		p->wname[i] = model_name(v[i], "--weights");
		if (p->wname[i] == v[i])
			p->wname[i] = fc_model_find(v[i])->name;
	}
	p->nweights = n;
	free_list(v, n);
}

/* Periods of the classes whose demand is a sum of occasional requests. */
static int
intermittent(const char *cls, const struct fc_shape *sh)
{
	return sh->one_off || strcmp(cls, "intermittent") == 0 ||
	    strcmp(cls, "lumpy") == 0 || strcmp(cls, "stopped") == 0;
}

/* The series' lead time in whole periods, 1 .. H (1 when unknown). */
static size_t
lead_periods(const struct run *r, double lt_days)
{
	double days = r->period == FC_DAY ? 1 : r->period == FC_WEEK ? 7 : 30.4375;
	double L = isnan(lt_days) ? 1 : ceil(lt_days / days);

	return L < 1 ? 1 : L > (double)r->H ? r->H : (size_t)L;
}

/* The demand recorded so far in the unsettled periods after r->last. */
static void
recorded(const struct run *r, const struct fc_series *s, double *rec)
{
	long lo = fc_period_add(r->period, r->last, 1);
	long hi = fc_period_add(r->period, r->last, (long)r->settling + 1);

	memset(rec, 0, r->settling * sizeof(double));
	for (size_t i = 0; i < s->nobs; i++) {
		const struct fc_obs *ob = &s->obs[i];
		if (ob->date < lo || ob->date >= hi || isnan(ob->qty))
			continue;
		for (size_t j = 0; j < r->settling; j++)
			if (ob->date < fc_period_add(r->period, r->last, (long)j + 2)) {
				rec[j] += ob->qty;
				break;
			}
	}
}

static void
work(size_t bi, struct strbuf *out, void *vctx)
{
	struct run *r = vctx;
	size_t i = r->base + bi;
	struct fc_series *s = r->set.s[i];
	struct fc_rowinfo ri;
	struct fc_shape sh;
	struct fc_ctx cx;
	struct fc_fc f;
	size_t H = r->H + r->settling;

	fc_regularise(s, r->period, r->from, r->last, H, r->k);
	memset(&cx, 0, sizeof(cx));
	cx.period = r->period;
	cx.start = s->start;
	cx.x = s->x;
	cx.k = r->k;
	memset(&ri, 0, sizeof(ri));
	ri.sh = &sh;
	ri.as_of = LONG_MIN;
	ri.lt_n = fc_lead_times(s, fc_period_add(r->period, r->last, 1), &ri.lt_mean,
	    &ri.lt_sd);
	if (r->backtest == 0) {
		double *rec = xcalloc(r->settling + 1, sizeof(double));

		recorded(r, s, rec);
		ri.settling = r->settling;
		ri.recorded = rec;
		if (r->settling > 0)
			ri.as_of = r->as_of;
		fc_run_shaped(s->y, s->n, r->m, &cx, H, &r->plan, r->cv_pool, &f, &sh);
		fc_put_rows(out, &r->rc, s, s->n, &f, H, NULL, &ri);
		fc_fc_release(&f);
		free(rec);
		return;
	}
	struct fc_acc *acc = &r->acc[i];
	size_t first = s->n > r->backtest ? s->n - r->backtest : 1;
	size_t L = lead_periods(r, ri.lt_mean);

	fc_acc_scale(acc, s->y, first);
	for (size_t o = first; o < s->n; o++) {
		size_t rows = s->n - o < r->H ? s->n - o : r->H;
		fc_run_shaped(s->y, o, r->m, &cx, r->H, &r->plan, r->cv_pool, &f, &sh);
		fc_put_rows(out, &r->rc, s, o, &f, rows, s->y + o, &ri);
		for (size_t j = 0; j < rows; j++)
			fc_acc_add(acc, &f, j, s->y[o + j], &r->plan);
		if (o + L <= s->n) {
			double a = 0;
			for (size_t j = 0; j < L; j++)
				a += s->y[o + j];
			fc_acc_add_ltd(acc, &f, L, a, &sh, intermittent(f.cls, &sh), &r->plan);
		}
		fc_fc_release(&f);
	}
	if (r->summary)
		fc_put_series_summary(out, s->keyjson, acc, &r->plan);
}

static int
default_workers(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

/* Observations loaded at once: as many as a quarter of -S holds (the
 * sort keeps the rest, or half of it for reading its runs). */
static size_t
batch_obs(const struct fc_read_opts *ro)
{
	size_t mem = ro->sort.mem ? ro->sort.mem : EXTSORT_MEM_DEFAULT;

	return mem / 4 / (sizeof(struct fc_obs) + ro->k * sizeof(double));
}

enum { OPT_SUMMARY = 256, OPT_STOPPED, OPT_POOL, OPT_POOL_ONLY, OPT_POOL_PART,
    OPT_POOL_MERGE };

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "as-of", required_argument, NULL, 'A' },
		{ "backtest", required_argument, NULL, 'B' },
		{ "cv", required_argument, NULL, 'C' },
		{ "ensemble", no_argument, NULL, 'E' },
		{ "level", required_argument, NULL, 'L' },
		{ "model", required_argument, NULL, 'M' },
		{ "now", required_argument, NULL, 'N' },
		{ "period", required_argument, NULL, 'P' },
		{ "pool", required_argument, NULL, OPT_POOL },
		{ "pool-only", no_argument, NULL, OPT_POOL_ONLY },
		{ "pool-part", no_argument, NULL, OPT_POOL_PART },
		{ "pool-merge", no_argument, NULL, OPT_POOL_MERGE },
		{ "quantiles", required_argument, NULL, 'Q' },
		{ "settle", required_argument, NULL, 'U' },
		{ "max-periods", required_argument, NULL, 'X' },
		{ "start", required_argument, NULL, 'F' },
		{ "stopped", required_argument, NULL, OPT_STOPPED },
		{ "summary", no_argument, NULL, OPT_SUMMARY },
		{ "weights", required_argument, NULL, 'W' },
		{ NULL, 0, NULL, 0 }
	};
	struct run r;
	struct fc_read_opts ro = { 0 };
	struct rejects rej;
	struct input in;
	const char *reject_path = NULL, *keys = "item_id", *exog = NULL, *pool = NULL;
	struct fc_sizepool sp = { 0 };
	struct fc_cvsum cs = { 0 };
	char why[256];
	long max_rejects = 0, as_of = 0, start = 0, settle = 0, end, last_end, cutoff;
	long max_periods = 5000;
	long long now = (long long)time(NULL);
	char created[TS_BUFSZ];
	int ch, rval, nthreads = default_workers(), have_as_of = 0, period = -1;
	int stopped_set = 0, have_start = 0, pool_only = 0, pool_part = 0, pool_merge = 0;

	nc_init(argv[0]);
	gsl_set_error_handler_off();
	memset(&r, 0, sizeof(r));
	r.H = 30;
	r.plan.model = "auto";
	r.plan.cv = 20;
	r.plan.stop_alpha = 0.01;
	r.plan.nlevels = 1;
	r.plan.levels[0] = 95;
	ro.target = "quantity";
	while ((ch = getopt_long(argc, argv, "hH:j:k:m:r:S:t:T:vVx:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'H':
			r.H = (size_t)nc_parse_long(optarg, 1, 3660, "-H");
			break;
		case 'j':
			nthreads = (int)nc_parse_long(optarg, 1, 64, "-j");
			break;
		case 'k':
			keys = optarg;
			break;
		case 't':
			ro.target = optarg;
			break;
		case 'x':
			exog = optarg;
			break;
		case 'A':
			if (date_parse(optarg, &as_of) != 0)
				errx(NC_USAGE, "--as-of: not a date: '%s'", optarg);
			have_as_of = 1;
			break;
		case 'F':
			if (date_parse(optarg, &start) != 0)
				errx(NC_USAGE, "--start: not a date: '%s'", optarg);
			have_start = 1;
			break;
		case 'X':
			max_periods = nc_parse_long(optarg, 1, 10000000, "--max-periods");
			break;
		case 'U':
			settle = nc_parse_long(optarg, 0, 3660, "--settle");
			break;
		case 'B':
			r.backtest = (size_t)nc_parse_long(optarg, 1, 100000, "--backtest");
			break;
		case 'C':
			r.plan.cv = (int)nc_parse_long(optarg, 1, 1000, "--cv");
			break;
		case 'E':
			r.plan.ensemble = 1;
			break;
		case 'L':
			r.plan.nlevels = numbers(optarg, r.plan.levels, FC_MAX_LEVELS, 0, 100, "--level");
			break;
		case 'M':
			r.plan.model = model_name(optarg, "--model");
			break;
		case 'N':
			if (ts_parse(optarg, 0, &now) != 0)
				errx(NC_USAGE, "--now: not an RFC 3339 timestamp: '%s'", optarg);
			break;
		case 'P':
			period = strcmp(optarg, "day") == 0 ? FC_DAY : strcmp(optarg, "week") == 0 ?
			    FC_WEEK : strcmp(optarg, "month") == 0 ? FC_MONTH : -2;
			if (period == -2)
				errx(NC_USAGE, "--period: day, week or month, not '%s'", optarg);
			break;
		case 'Q':
			r.plan.nq = numbers(optarg, r.plan.q, FC_MAX_QUANT, 0, 1, "--quantiles");
			break;
		case 'S':
			if (extsort_parse_size(optarg, &ro.sort.mem) != 0)
				errx(NC_USAGE, "-S: not a size of at least 16K: '%s'", optarg);
			break;
		case 'T':
			ro.sort.dir = optarg;
			break;
		case OPT_POOL:
			pool = optarg;
			break;
		case OPT_POOL_ONLY:
			pool_only = 1;
			break;
		case OPT_POOL_PART:
			pool_part = cs.by_period = 1;
			break;
		case OPT_POOL_MERGE:
			pool_merge = cs.by_period = 1;
			break;
		case OPT_SUMMARY:
			r.summary = 1;
			break;
		case OPT_STOPPED:
			r.plan.stop_alpha = level(optarg, "--stopped");
			stopped_set = 1;
			break;
		case 'W':
			weights(&r.plan, optarg);
			break;
		default:
			/* -h, -V, -v, -m, -r, or a usage error */
			nc_filter_option(ch, optarg, synopsis, &max_rejects, &reject_path);
		}
	}
	argc -= optind;
	argv += optind;
	if (r.summary && r.backtest == 0)
		errx(NC_USAGE, "--summary needs --backtest");
	if (r.plan.nweights > 0 && (r.plan.ensemble || strcmp(r.plan.model, "auto") != 0))
		errx(NC_USAGE, "--weights goes with neither --ensemble nor --model");
	if (stopped_set && (r.plan.nweights > 0 || strcmp(r.plan.model, "auto") != 0))
		errx(NC_USAGE, "--stopped is for the automatic mode: not with --model or --weights");
	if (pool_only && (pool != NULL || r.summary))
		errx(NC_USAGE, "--pool-only goes with neither --pool nor --summary");
	if ((pool_part || pool_merge) && (pool_only || pool_part + pool_merge > 1 ||
	    pool != NULL || r.summary || period < 0))
		errx(NC_USAGE, "--pool-part, --pool-merge: one of them, with --period, "
		    "without --pool, --pool-only or --summary");
	if (pool != NULL && fc_sizepool_read(pool, &sp, why, sizeof(why)) != 0)
		errx(NC_FAIL, "--pool: %s: %s", pool, why);
	ro.keys = split(keys, &ro.nkeys);
	if (ro.nkeys == 0)
		errx(NC_USAGE, "-k: no key fields");
	if (exog != NULL) {
		ro.exog = split(exog, &ro.k);
		if (ro.k > 64)
			errx(NC_USAGE, "-x: at most 64 fields");
	}
	ts_format(now, created);
	rejects_open(&rej, reject_path, max_rejects);

	fc_set_init(&r.set);
	if (pool_merge) {      /* the operands are parts, not series */
		rval = NC_OK;
		for (int i = 0; i < argc || (i == 0 && argc == 0); i++)
			if (fc_sizepool_read_parts(argc ? argv[i] : "-", &sp, &cs, why,
			    sizeof(why)) != 0)
				errx(NC_FAIL, "--pool-merge: %s: %s", argc ? argv[i] : "-", why);
		if (sp.nparts == 0 || sp.period != (enum fc_period)period)
			errx(NC_FAIL, "--pool-merge: %s", sp.nparts == 0 ? "no parts" :
			    "parts pooled by another --period");
	} else {
		input_init(&in, argc, argv);
		fc_read(&r.set, &in, &ro, &rej);
		rval = input_release(&in);
	}
	if (pool != NULL || pool_merge)   /* every series' dates, not these */
		fc_sizepool_apply(&sp, &r.set);

	r.period = period >= 0 ? (enum fc_period)period : fc_infer_period(&r.set);
	r.m = r.period == FC_DAY ? 7 : r.period == FC_WEEK ? 52 : 12;
	end = have_as_of ? as_of : r.set.have_date ? r.set.max_date : 0;
	last_end = fc_last_period(&r.set, r.period, end);
	r.last = fc_last_period(&r.set, r.period, end - settle);
	while (fc_period_add(r.period, r.last, (long)r.settling) < last_end)
		r.settling++;
	r.as_of = fc_period_add(r.period, last_end, 1) - 1;
	r.from = have_start ? start : r.set.have_date ? r.set.min_date : LONG_MIN;
	/* Memory follows the window: a date far from the others (0001-01-01)
	 * must not make every series millions of periods long. */
	if (r.from != LONG_MIN && fc_period_add(r.period, r.last, 1 - max_periods) > r.from) {
		char d1[DATE_BUFSZ], d2[DATE_BUFSZ];
		long f = fc_period_add(r.period, r.last, 1 - max_periods);
		date_format(r.from, d1);
		date_format(f, d2);
		warnx("warning: the history from %s is over --max-periods %ld %ss: "
		    "it starts on %s", d1, max_periods, fc_period_name(r.period), d2);
		r.from = f;
	}
	r.k = ro.k;
	r.rc.period = r.period;
	r.rc.plan = &r.plan;
	r.rc.created_at = created;
	r.rc.keys = ro.keys;
	r.rc.nkeys = ro.nkeys;
	/* Pooled from what the earliest backtest origin could see. */
	/* Two passes over the series, a range of them in memory at a time:
	 * the pooled cv of sizes (or --pool's), then the forecasts. */
	cutoff = fc_period_add(r.period, r.last, 1 - (long)r.backtest);
	if (pool != NULL) {
		if (fc_sizepool_check(&sp, r.period, cutoff, why, sizeof(why)) != 0)
			errx(NC_USAGE, "--pool: %s: %s", pool, why);
		r.cv_pool = sp.size_cv;
	} else {
		/* Parts: by period, all of them (the merge cuts). */
		for (size_t lo = 0, hi; lo < r.set.n; lo = hi) {
			hi = fc_set_load(&r.set, lo, batch_obs(&ro));
			for (size_t i = lo; i < hi; i++)
				fc_size_cv_add(&cs, r.set.s[i], r.period, cutoff);
			fc_set_unload(&r.set, lo, hi);
		}
		if (!pool_part)
			fc_cvsum_cut(&cs, cutoff);
		if (!pool_merge) {
			sp.series = r.set.n;
			fc_sizepool_dates(&sp, &r.set);
		}
		sp.period = r.period;
		sp.cutoff = cutoff;
		if (pool_part && fc_sizepool_write_part(stdout, &sp, &cs) != 0)
			err(NC_FAIL, "write error");
		r.cv_pool = sp.size_cv = fc_size_cv_finish(&cs);
		sp.pairs = cs.n;
	}
	if ((pool_only || pool_merge) && fc_sizepool_write(stdout, &sp) != 0)
		err(NC_FAIL, "write error");
	pool_only |= pool_part | pool_merge;   /* no forecasts */
	fc_set_rewind(&r.set);
	if (r.backtest > 0)
		r.acc = xcalloc(r.set.n + 1, sizeof(*r.acc));
	for (size_t lo = 0, hi; lo < r.set.n && !pool_only; lo = hi) {
		hi = fc_set_load(&r.set, lo, batch_obs(&ro));
		r.base = lo;
		fc_pool_run(hi - lo, nthreads, work, &r, isatty(2) && !nc_verbose);
		fc_set_unload(&r.set, lo, hi);
	}
	if (r.summary) {
		struct fc_total tot;
		struct strbuf sb = { 0 };
		memset(&tot, 0, sizeof(tot));
		for (size_t i = 0; i < r.set.n; i++)
			fc_total_add(&tot, &r.acc[i], &r.plan);
		fc_put_overall_summary(&sb, &tot, &r.plan);
		nc_write(stdout, sb.s, sb.len);
		strbuf_release(&sb);
		fc_total_release(&tot);
	}
	nc_close_stdout();
	if (nc_verbose) {
		extsort_report(&r.set.es, stderr);
		fprintf(stderr, "%s: %zu series, period %s, %lu rejected\n", nc_progname,
		    r.set.n, fc_period_name(r.period), rej.count);
	}
	if (nc_verbose && settle > 0) {
		char d1[DATE_BUFSZ], d2[DATE_BUFSZ];
		date_format(fc_period_add(r.period, r.last, 1) - 1, d1);
		date_format(r.as_of, d2);
		fprintf(stderr, "%s: --settle %ld: history to %s; the %zu %s%s after it, to %s, "
		    "forecast as settling rows\n", nc_progname, settle, d1, r.settling,
		    fc_period_name(r.period), r.settling == 1 ? "" : "s", d2);
	}
	free(r.acc);
	fc_set_release(&r.set);
	free_list(ro.keys, ro.nkeys);
	free_list(ro.exog, ro.k);
	return nc_worst(rval, rejects_close(&rej));
}
