/*
 * nc-features: turn item-day records into a regular time series per key
 * with the seed's calendar, lag and rolling features (dbt model
 * int_item_features), holidays and exogenous data.  See nc-features(1).
 */
#include <err.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "features_tool.h"
#include "holidays.h"
#include "input.h"
#include "nc.h"
#include "reject.h"

static const char synopsis[] =
    "usage: nc-features [-v] [--sorted[=n]] [--no-fill] [-k keys] [-t field]\n"
    "                   [-m max] [-r rejects] [-S size] [-T dir]\n"
    "                   [--period day|week|month] [--from date] [--max-periods n]\n"
    "                   [--until date] [--dup sum|reject]\n"
    "                   [--holidays national|bahia|salvador]\n"
    "                   [--holidays-file file] [--exog file] [--station code]\n"
    "                   [--threads n] [file ...]\n"
    "\n"
    "Regular series per key, with calendar, lag, rolling and exogenous features.\n"
    "  -k keys               the fields that name a series (default item_id)\n"
    "  -t field              the target field (default quantity)\n"
    "  -m max                rejects allowed before exit status 3 (default 0)\n"
    "  -r file               write each reject there, with its reason\n"
    "  -v                    counts of records in, rows out, filled, rejected\n"
    "  -S size               memory for sorting unsorted input (default 32M)\n"
    "  -T dir                the sort's temporary files (default $TMPDIR, /tmp)\n"
    "      --sorted[=n]      input ordered by key, date: stream it (=n: records\n"
    "                        up to n rows late are put in place)\n"
    "      --no-fill         keep the rows as they come: no filled periods\n"
    "      --period p        day (default), week or month\n"
    "      --from date       fill every series from date\n"
    "      --until date      fill every series up to date\n"
    "      --max-periods n   the longest gap filled, in periods (default 5000)\n"
    "      --dup sum|reject  what records of one key and date do\n"
    "      --holidays cal    national, bahia or salvador (default salvador)\n"
    "      --holidays-file f more holidays, one YYYY-MM-DD a line\n"
    "      --exog file       join weather or economic records (repeatable)\n"
    "      --station code    the weather station to join\n"
    "      --threads n       parser threads (default: processors, at most 4)\n"
    "  -h, --help            this help\n"
    "  -V, --version         the version\n"
    "Old spelling, kept for one release: -y (now -t).  See nc-features(1).\n";

/* ---------- options ---------- */

static void
parse_keys(struct feat_opts *o, const char *keys)
{
	char *copy = xstrdup(keys), *p, *save = NULL;

	for (p = strtok_r(copy, ",", &save); p != NULL; p = strtok_r(NULL, ",", &save)) {
		o->keys = xrealloc(o->keys, (size_t)(o->nkeys + 1) * sizeof(*o->keys));
		o->keys[o->nkeys++] = xstrdup(p);
	}
	free(copy);
	if (o->nkeys == 0)
		errx(NC_USAGE, "-k: no key fields");
	for (int i = 0; i < o->nkeys; i++)
		if (strcmp(o->keys[i], "date") == 0)
			errx(NC_USAGE, "-k: date is not a key field: series are ordered by it");
}

static void
load_holidays_file(struct feat_opts *o, const char *path)
{
	char why[128];
	FILE *fp = fopen(path, "r");

	if (fp == NULL)
		err(NC_FAIL, "error: %s", path);
	if (holidays_add_file(&o->hol, fp, why, sizeof(why)) != 0)
		errx(NC_FAIL, "error: %s: %s", path, why);
	fclose(fp);
}

static void
load_exog(struct feat_opts *o, char **paths, int n)
{
	char why[256];

	for (int i = 0; i < n; i++) {
		FILE *fp = fopen(paths[i], "r");

		if (fp == NULL)
			err(NC_FAIL, "error: %s", paths[i]);
		if (exog_load(&o->exog, fp, paths[i], &o->rej, why, sizeof(why)) != 0)
			errx(NC_FAIL, "error: %s", why);
		fclose(fp);
	}
	exog_finish(&o->exog);
}

enum { OPT_SORTED = 256, OPT_THREADS };

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "sorted", optional_argument, NULL, OPT_SORTED },
		{ "no-fill", no_argument, NULL, 'F' },
		{ "period", required_argument, NULL, 'P' },
		{ "until", required_argument, NULL, 'U' },
		{ "from", required_argument, NULL, 'B' },
		{ "max-periods", required_argument, NULL, 'X' },
		{ "dup", required_argument, NULL, 'D' },
		{ "holidays", required_argument, NULL, 'H' },
		{ "holidays-file", required_argument, NULL, 'f' },
		{ "exog", required_argument, NULL, 'x' },
		{ "station", required_argument, NULL, 's' },
		{ "threads", required_argument, NULL, OPT_THREADS },
		{ NULL, 0, NULL, 0 }
	};
	struct feat_opts o = { .target = "quantity", .fill = 1, .until = LONG_MIN,
	    .from = LONG_MIN, .max_periods = 5000 };
	enum hol_scope scope = HOL_SALVADOR;
	struct input in;
	const char *reject_path = NULL, *keys = "item_id", *station = NULL;
	char **hfiles = NULL, **xfiles = NULL;
	int nh = 0, nx = 0, ch, rval, nthreads = 0;
	long max_rejects = 0;

	nc_init(argv[0]);
	while ((ch = getopt_long(argc, argv, "hk:m:r:S:T:t:vVy:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'k':
			keys = optarg;
			break;
		case 'y':
			nc_deprecated("-y", "-t");
			/* FALLTHROUGH */
		case 't':
			if (*optarg == '\0')
				errx(NC_USAGE, "-t: empty field name");
			o.target = optarg;
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
		case 'F':
			o.fill = 0;
			break;
		case 'P':
			if (strcmp(optarg, "day") == 0)
				o.period = FP_DAY;
			else if (strcmp(optarg, "week") == 0)
				o.period = FP_WEEK;
			else if (strcmp(optarg, "month") == 0)
				o.period = FP_MONTH;
			else
				errx(NC_USAGE, "--period: not day, week or month: '%s'", optarg);
			break;
		case 'U':
			if (date_parse(optarg, &o.until) != 0)
				errx(NC_USAGE, "--until: not a date: '%s'", optarg);
			break;
		case 'X':
			o.max_periods = nc_parse_long(optarg, 1, 10000000, "--max-periods");
			break;
		case 'B':
			if (date_parse(optarg, &o.from) != 0)
				errx(NC_USAGE, "--from: not a date: '%s'", optarg);
			break;
		case 'D':
			if (strcmp(optarg, "sum") == 0)
				o.dup_reject = 0;
			else if (strcmp(optarg, "reject") == 0)
				o.dup_reject = 1;
			else
				errx(NC_USAGE, "--dup: not sum or reject: '%s'", optarg);
			break;
		case 'H':
			if (holidays_scope_parse(optarg, &scope) != 0)
				errx(NC_USAGE, "--holidays: not national, bahia or salvador: '%s'",
				    optarg);
			break;
		case 'f':
			hfiles = xrealloc(hfiles, (size_t)(nh + 1) * sizeof(*hfiles));
			hfiles[nh++] = optarg;
			break;
		case 'x':
			xfiles = xrealloc(xfiles, (size_t)(nx + 1) * sizeof(*xfiles));
			xfiles[nx++] = optarg;
			break;
		case 's':
			station = optarg;
			break;
		case OPT_THREADS:
			nthreads = (int)nc_parse_long(optarg, 1, 64, "--threads");
			break;
		default:
			/* -h, -V, -v, -m, -r, or a usage error */
			nc_filter_option(ch, optarg, synopsis, &max_rejects, &reject_path);
		}
	}
	argc -= optind;
	argv += optind;
	parse_keys(&o, keys);
	o.target_len = strlen(o.target);
	for (int i = 0; i < o.nkeys; i++)
		if (strcmp(o.keys[i], o.target) == 0)
			errx(NC_USAGE, "-y: %s is a key field", o.target);
	holidays_init(&o.hol, scope);
	exog_init(&o.exog, station);
	rejects_open(&o.rej, reject_path, max_rejects);
	for (int i = 0; i < nh; i++)
		load_holidays_file(&o, hfiles[i]);
	load_exog(&o, xfiles, nx);

	/* jansson seeds its hash function once, before the threads start. */
	json_object_seed(0);
	input_init(&in, argc, argv);
	feat_run(&in, &o, nthreads);
	rval = input_release(&in);
	nc_close_stdout();
	rval = nc_worst(rval, rejects_close(&o.rej));
	holidays_release(&o.hol);
	exog_release(&o.exog);
	for (int i = 0; i < o.nkeys; i++)
		free(o.keys[i]);
	free(o.keys);
	free(hfiles);
	free(xfiles);
	return rval;
}
