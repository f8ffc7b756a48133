/*
 * nc-extract-bcb: the Central Bank of Brazil's SGS series (IPCA, USD/BRL,
 * Selic, or any SGS code) as economic records of nc-records(5):
 *   {"series":"ipca","code":433,"date":"2024-01-01","value":0.42}
 * from the SGS API, or from a saved SGS response (-f FILE).
 */
#include <err.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "date.h"
#include "http.h"
#include "nc.h"
#include "ndjson.h"
#include "reject.h"
#include "text.h"

static const char synopsis[] =
    "usage: nc-extract-bcb [-v] [-m max] [-r file] [-u base_url] [--since date]\n"
    "                      [--until date] [--last n] [--timeout s]\n"
    "                      [--connect-timeout s] [--max-time s] [--retries n]\n"
    "                      series ...\n"
    "       nc-extract-bcb [-v] [-m max] [-r file] [--since date] [--until date]\n"
    "                      --file file series\n"
    "\n"
    "Central Bank of Brazil SGS series as records: ipca (433), usd (1), selic\n"
    "(432), or any series code.\n"
    "  -u, --url url           the API's address (default https://api.bcb.gov.br,\n"
    "                          or NC_BCB_URL)\n"
    "  -m max                  rejects allowed before exit status 3 (default 0)\n"
    "  -r file                 write rejected rows there\n"
    "  -v                      retries and counts on stderr; -vv every URL\n"
    "      --file file         read a saved answer instead of the API\n"
    "      --since date        the first date (YYYY-MM-DD)\n"
    "      --until date        the last date (default: today in Brazil)\n"
    "      --last n            the last n observations (at most 20)\n"
    "      --timeout s         a request (default 60)\n"
    "      --connect-timeout s a connection (default 10)\n"
    "      --max-time s        all requests and waits (default 300)\n"
    "      --retries n         attempts after the first (default 5)\n"
    "  -h, --help              this help\n"
    "  -V, --version           the version\n"
    "Old spelling, kept for one release: -f (now --file).\n"
    "See nc-extract-bcb(1).\n";

#define DEFAULT_URL "https://api.bcb.gov.br"
#define MAX_LAST 20             /* /ultimos/N: the API refuses more */

struct series {
	const char *name;
	long code;
};

/* The names the seed uses; any other SGS code is accepted as a number. */
static const struct series known[] = {
	{ "ipca", 433 },        /* IPCA, % per month (monthly) */
	{ "usd", 1 },           /* USD/BRL, PTAX sale (business days) */
	{ "selic", 432 },       /* Selic target, % per year (daily) */
};

struct opts {
	const char *base_url;
	const char *file;
	long since, until;      /* day numbers; since < 0 when not given */
	long last;
	struct rejects rej;
	struct http_opts http;
	struct strbuf out;      /* every record, written once all succeeded */
	unsigned long records;
};

static void
usage_error(const char *fmt, const char *arg)
{
	nc_usage_error(synopsis, fmt, arg);
}

static void
series_parse(const char *s, struct series *out, char *name, size_t namesize)
{
	for (size_t i = 0; i < sizeof(known) / sizeof(*known); i++)
		if (strcasecmp(s, known[i].name) == 0) {
			*out = known[i];
			return;
		}
	out->code = nc_parse_long(s, 1, 99999999, "series");
	out->name = name;
	snprintf(name, namesize, "sgs_%ld", out->code);
	for (size_t i = 0; i < sizeof(known) / sizeof(*known); i++)
		if (known[i].code == out->code)
			out->name = known[i].name;
}

static long
parse_date_opt(const char *s, const char *what)
{
	long d;

	if (date_parse(s, &d) != 0)
		usage_error("%s: not a date (YYYY-MM-DD)", what);
	return d;
}

/* Today in Brazil (UTC-3), as a day number. */
static long
today_brt(void)
{
	long long t = (long long)time(NULL) - 3 * 3600;

	return (long)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
}

static long
month_start(long day)
{
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	return date_from_ymd(y, m, 1);
}

/* The message an SGS error body carries, or NULL. */
static const char *
api_message(const json_t *j)
{
	const json_t *e = json_object_get(j, "erro");
	const char *s;

	if ((s = json_string_value(json_object_get(e, "detail"))) != NULL) {
		const char *colon = strstr(s, "Exception: ");
		return colon ? colon + 11 : s;
	}
	if ((s = json_string_value(json_object_get(j, "error"))) != NULL)
		return s;
	return json_string_value(json_object_get(j, "message"));
}

/* 1 when the body is SGS's answer to an empty window ("Value(s) not found"). */
static int
empty_window(const json_t *j)
{
	const char *m = json_is_object(j) ? api_message(j) : NULL;

	return m != NULL && strcasestr(m, "not found") != NULL;
}

static void
add_record(struct opts *o, const struct series *s, long day, json_t *value)
{
	json_t *rec = json_object();
	char buf[DATE_BUFSZ];

	date_format(day, buf);
	json_object_set_new(rec, "series", json_string(s->name));
	json_object_set_new(rec, "code", json_integer(s->code));
	json_object_set_new(rec, "date", json_string(buf));
	json_object_set(rec, "value", value);
	ndjson_dump(&o->out, rec);
	strbuf_addc(&o->out, '\n');
	json_decref(rec);
	o->records++;
}

/*
 * The rows of one SGS answer (a JSON array of {"data":"dd/mm/yyyy",
 * "valor":"0.42"}) as records, those dated in [since, until] (a monthly
 * row dated the 1st of since's month counts) and after *last, so that a
 * row two windows share is not doubled.  Within one answer the dates must
 * rise: a repeated date, or one before the row above it, is a reject (the
 * answer is not what SGS sends, and which row is right is not known).
 * Returns 0, or -1 with why when the answer is not an array.
 */
static int
add_rows(struct opts *o, const struct series *s, const json_t *rows, const char *src,
    long *last, char *why, size_t whysize)
{
	size_t i;
	json_t *row;
	long prev = LONG_MIN;       /* the answer's latest date so far */

	if (!json_is_array(rows)) {
		snprintf(why, whysize, "not an SGS answer (a JSON array)");
		return -1;
	}
	json_array_foreach(rows, i, row) {
		const char *d = json_string_value(json_object_get(row, "data"));
		const json_t *v = json_object_get(row, "valor");
		const char *vs = json_string_value(v);
		long day;
		long long ll;
		double x;
		json_t *num;

		if (d == NULL || date_parse(d, &day) != 0) {
			reject_record(&o->rej, row, NULL, src, i + 1, "data: not a date");
			continue;
		}
		if (day <= prev) {
			reject_record(&o->rej, row, NULL, src, i + 1, day == prev ?
			    "data: repeated date" : "data: out of order (before the row above)");
			continue;
		}
		prev = day;
		if (json_is_null(v) || (vs != NULL && text_blank(vs, strlen(vs))))
			num = json_null();
		else if (json_is_number(v))
			num = json_real(json_number_value(v));
		else if (vs != NULL) {
			switch (text_number(vs, strlen(vs), 0, &ll, &x)) {
			case TEXT_INT: num = json_real((double)ll); break;
			case TEXT_REAL: num = json_real(x); break;
			default: num = NULL;
			}
		} else
			num = NULL;
		if (num == NULL) {
			reject_record(&o->rej, row, NULL, src, i + 1, "valor: not a number");
			continue;
		}
		if (day > o->until || (o->since >= 0 && day < o->since &&
		    day != month_start(o->since)) || day <= *last) {
			json_decref(num);
			continue;
		}
		*last = day;
		add_record(o, s, day, num);
		json_decref(num);
	}
	return 0;
}

/* A saved SGS response (or stdin) for one series. */
static int
from_file(struct opts *o, const struct series *s)
{
	FILE *fp = stdin;
	const char *name = "stdin";
	json_t *j;
	json_error_t je;
	char why[256];
	long last = LONG_MIN;
	int rval = NC_OK;

	if (strcmp(o->file, "-") != 0) {
		if ((fp = fopen(o->file, "r")) == NULL) {
			warn("error: %s", o->file);
			return NC_FAIL;
		}
		name = o->file;
	}
	j = json_loadf(fp, JSON_REJECT_DUPLICATES, &je);
	if (ferror(fp)) {
		warn("error: %s: read error", name);
		rval = NC_FAIL;
	} else if (j == NULL) {
		warnx("error: %s:%d: not JSON: %s", name, je.line, je.text);
		rval = NC_FAIL;
	} else if (json_is_object(j) && empty_window(j)) {
		/* A saved 404 "Value(s) not found": no rows. */
	} else if (json_is_object(j) && api_message(j) != NULL) {
		warnx("error: %s: an SGS error answer: %s", name, api_message(j));
		rval = NC_FAIL;
	} else if (add_rows(o, s, j, name, &last, why, sizeof(why)) != 0) {
		warnx("error: %s: %s", name, why);
		rval = NC_FAIL;
	}
	json_decref(j);
	if (fp != stdin)
		fclose(fp);
	return rval;
}

/*
 * One request; its rows are added to o->out.  Returns 0, or -1 after
 * printing the error.
 */
static int
fetch(struct opts *o, const struct series *s, const char *url, long *last)
{
	struct http_response r;
	char why[768], u[512];
	json_t *j = NULL;
	json_error_t je;
	int rval = -1;

	if (http_get(&o->http, url, &r, why, sizeof(why)) != 0) {
		warnx("error: %s", why);
		return -1;
	}
	http_redact(&o->http, url, strlen(url), u, sizeof(u));
	if (r.status == 204) {
		rval = 0;
		goto out;
	}
	if (r.status != 200 && r.status != 404 && r.status < 400) {
		warnx("error: %s: unexpected HTTP %ld", u, r.status);
		goto out;
	}
	if (http_type_is(&r, "application/json", why, sizeof(why)) != 0) {
		char ex[120];

		warnx("error: %s: HTTP %ld: %s: %s", u, r.status, why,
		    http_redact(&o->http, r.body, r.len, ex, sizeof(ex)));
		goto out;
	}
	j = json_loadb(r.body, r.len, JSON_REJECT_DUPLICATES, &je);
	if (j == NULL) {
		warnx("error: %s: HTTP %ld: not JSON (%s): a truncated answer?", u, r.status,
		    je.text);
		goto out;
	}
	if (r.status == 404 && empty_window(j)) {
		rval = 0;
		goto out;
	}
	if (r.status != 200) {
		const char *m = json_is_object(j) ? api_message(j) : NULL;
		char ex[300];

		if (m == NULL)
			m = http_redact(&o->http, r.body, r.len, ex, sizeof(ex));
		warnx("error: %s: HTTP %ld: %s", u, r.status, m);
		goto out;
	}
	if (add_rows(o, s, j, u, last, why, sizeof(why)) != 0) {
		warnx("error: %s: %s", u, why);
		goto out;
	}
	rval = 0;
out:
	json_decref(j);
	http_response_release(&r);
	return rval;
}

static void
ddmmyyyy(long day, char *buf, size_t size)
{
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	snprintf(buf, size, "%02d/%02d/%04d", d, m, y);
}

/*
 * The series over [since, until] in windows of less than 10 years (the
 * API answers 406 beyond for daily series); each window after the first
 * starts on the 1st of a month, so that a monthly series' rows fall in
 * exactly one window.
 */
static int
from_api(struct opts *o, const struct series *s)
{
	char url[1024], a[16], b[16];
	long last = LONG_MIN, start = o->since;
	unsigned long before = o->records;

	if (o->last > 0) {
		snprintf(url, sizeof(url), "%s/dados/serie/bcdata.sgs.%ld/dados/ultimos/%ld?formato=json",
		    o->base_url, s->code, o->last);
		return fetch(o, s, url, &last) == 0 ? NC_OK : NC_FAIL;
	}
	while (start <= o->until) {
		int y, m, d;
		long end;

		date_to_ymd(start, &y, &m, &d);
		end = date_from_ymd(y + 10, m, 1) - 1;
		if (end > o->until)
			end = o->until;
		ddmmyyyy(start, a, sizeof(a));
		ddmmyyyy(end, b, sizeof(b));
		snprintf(url, sizeof(url), "%s/dados/serie/bcdata.sgs.%ld/dados?formato=json"
		    "&dataInicial=%s&dataFinal=%s", o->base_url, s->code, a, b);
		if (fetch(o, s, url, &last) != 0)
			return NC_FAIL;
		start = end + 1;
	}
	if (nc_verbose)
		warnx("%s (%ld): %lu records", s->name, s->code, o->records - before);
	return NC_OK;
}

enum { OPT_SINCE = 256, OPT_UNTIL, OPT_LAST };

/* Long-only options of the toolkit's vocabulary (nc(7)). */
enum { OPT_FILE = 0x4e00 };

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "file", required_argument, NULL, OPT_FILE },
		{ "help", no_argument, NULL, 'h' },
		{ "last", required_argument, NULL, OPT_LAST },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ "url", required_argument, NULL, 'u' },
		{ "version", no_argument, NULL, 'V' },
		HTTP_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = { .since = -1, .until = LONG_MAX, .http = HTTP_OPTS_INIT };
	const char *reject_path = NULL;
	long max_rejects = 0;
	int ch, rval = NC_OK, have_until = 0;

	nc_init(argv[0]);
	o.base_url = getenv("NC_BCB_URL") && *getenv("NC_BCB_URL") ? getenv("NC_BCB_URL") : DEFAULT_URL;
	while ((ch = getopt_long(argc, argv, "f:hm:r:u:Vv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f': nc_deprecated("-f", "--file"); /* FALLTHROUGH */
		case OPT_FILE: o.file = optarg; break;
		case 'h': nc_usage(synopsis, 1);
		case 'm': max_rejects = nc_parse_long(optarg, 0, LONG_MAX, "-m"); break;
		case 'r': reject_path = optarg; break;
		case 'u': o.base_url = optarg; break;
		case 'V': nc_print_version();
		case 'v': nc_verbose++; break;
		case OPT_SINCE: o.since = parse_date_opt(optarg, "--since"); break;
		case OPT_UNTIL: o.until = parse_date_opt(optarg, "--until"); have_until = 1; break;
		case OPT_LAST: o.last = nc_parse_long(optarg, 1, MAX_LAST, "--last"); break;
		default:
			if (!http_option(&o.http, ch, optarg))
				nc_usage(synopsis, 0);
		}
	}
	argc -= optind;
	argv += optind;
	o.http.verbose = nc_verbose;
	if (argc == 0)
		usage_error("%s", "no series given");
	if (o.file != NULL && argc != 1)
		usage_error("%s", "--file: one series names the file's rows");
	if (o.file != NULL && o.last > 0)
		usage_error("%s", "--last: not with --file");
	if (o.file == NULL && (o.since < 0) == (o.last == 0))
		usage_error("%s", "give --since or --last (one of them)");
	if (o.last > 0 && have_until)
		usage_error("%s", "--until: not with --last");
	if (o.file == NULL && !have_until)
		o.until = today_brt();
	if (o.since >= 0 && o.since > o.until)
		usage_error("%s", "--since is after --until");
	if (strncmp(o.base_url, "http://", 7) != 0 && strncmp(o.base_url, "https://", 8) != 0)
		usage_error("-u: not an http(s) URL: '%s'", o.base_url);
	rejects_open(&o.rej, reject_path, max_rejects);
	for (int i = 0; i < argc && rval == NC_OK; i++) {
		struct series s;
		char name[32];

		series_parse(argv[i], &s, name, sizeof(name));
		rval = o.file ? from_file(&o, &s) : from_api(&o, &s);
	}
	/* All or nothing: a failed request leaves no records behind. */
	if (rval == NC_OK && o.out.len > 0)
		nc_write(stdout, o.out.s, o.out.len);
	nc_close_stdout();
	rval = nc_worst(rval, rejects_close(&o.rej));
	strbuf_release(&o.out);
	http_cleanup();
	return rval;
}
