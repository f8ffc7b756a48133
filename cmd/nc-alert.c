/*
 * nc-alert: stock alerts from reorder records (nc-reorder): a level from
 * the company's thresholds, the order-up-to level and the projected
 * stockout, an urgency from the days to stockout against the lead time, a
 * reason in Portuguese or English; ranked by value at risk; de-duplicated
 * against a state file; written as NDJSON, text or Slack messages, posted
 * to a webhook, and summed up for the buyer.  See nc-alert(1).  The rules
 * live in lib/alert_assess.c, the state in alert_state.c, the output in
 * alert_out.c, the ranking and summary in alert_rank.c.
 */
#include <err.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert.h"
#include "date.h"
#include "http.h"
#include "input.h"
#include "nc.h"
#include "ndjson.h"
#include "reject.h"

static const char synopsis[] =
    "usage: nc-alert [-ev] [-k keys] [-m max] [-r rejects] [-s state] [--all]\n"
    "                [--top n] [--summary file]\n"
    "                [--renotify days] [--yellow-factor f] [--red-factor f]\n"
    "                [--lang pt|en] [--format ndjson|text|slack] [--webhook url]\n"
    "                [--retries n] [--timeout s] [--connect-timeout s] [--max-time s]\n"
    "                [--delivery-time s] [--now timestamp] [file ...]\n"
    "\n"
    "Alert levels VERDE, AMARELO, VERMELHO from reorder records; de-duplication.\n"
    "  -e                      exit 4 when at least one alert was emitted\n"
    "  -k keys                 the series key fields (default item_id)\n"
    "  -m max                  rejects allowed before exit status 3 (default 0)\n"
    "  -r file                 write rejected records there, with their reason\n"
    "  -s, --state file        alerts already sent, read and rewritten\n"
    "  -v                      a summary on stderr, and each retry\n"
    "      --all               every record's alert, state ignored\n"
    "      --renotify days     repeat an open alert after days (default 7)\n"
    "      --yellow-factor f   AMARELO at or under f x reorder point (1.2)\n"
    "      --red-factor f      VERMELHO at or under f x reorder point (0.8)\n"
    "      --top n             only the n alerts of highest value at risk\n"
    "      --summary file      the buyer's daily summary ('-': stdout)\n"
    "      --lang pt|en        the language of the reasons (default pt)\n"
    "      --format f          ndjson (default), text or slack\n"
    "      --webhook url       POST each alert there (default: NC_WEBHOOK_URL)\n"
    "      --retries n         webhook retries (default 3)\n"
    "      --timeout s         each webhook attempt (default 20)\n"
    "      --connect-timeout s each connection (default 10)\n"
    "      --max-time s        all attempts of one alert (default 120)\n"
    "      --delivery-time s   all deliveries of the run (default 300)\n"
    "      --now time          the created_at of every alert (RFC 3339)\n"
    "  -h, --help              this help\n"
    "  -V, --version           the version\n"
    "See nc-alert(1).\n";

struct counts {
	unsigned long in, emitted, failed, quiet;
};

static struct counts counts;
static json_t *seen;                    /* key -> line, for duplicates */
static struct alert_top top;            /* --top: the alerts to emit */
static struct alert_summary summary;    /* --summary */

/*
 * Write one alert that is due: its record or text on stdout, the webhook,
 * and its state entry (entry: the one it had, or NULL; why: why it is due).
 */
static void
emit(struct alert_opts *o, const json_t *rec, const char *key, const struct alert *a,
    const json_t *entry, const char *why, const char *input, unsigned long lineno,
    struct strbuf *sb)
{
	json_t *alerts = json_object_get(o->state, "alerts"), *out;
	char id[1024], day[DATE_BUFSZ];
	const char *opened = NULL;
	int delivered = 1;

	/* The alert's identity: its key, level, and the day it opened. */
	if (entry != NULL && strcmp(why, "escalated") != 0)
		opened = json_string_value(json_object_get(entry, "opened_at"));
	if (opened == NULL)
		opened = o->now_s;
	memcpy(day, opened, DATE_BUFSZ - 1);
	day[DATE_BUFSZ - 1] = '\0';
	snprintf(id, sizeof(id), "%s|%s|%s", key, alert_level_name[a->level], day);
	out = alert_record(o, rec, a, id);
	alert_render(o, rec, a, out, sb);
	if (o->webhook != NULL && alert_deliver(o, sb, id, input, lineno) != 0) {
		delivered = 0;
		counts.failed++;
	}
	strbuf_addc(sb, '\n');
	nc_write(stdout, sb->s, sb->len);
	counts.emitted++;
	if (!o->all) {
		json_t *ne = json_object();
		const char *prev_sent = entry ?
		    json_string_value(json_object_get(entry, "sent_at")) : NULL;

		json_object_set_new(ne, "level", json_string(alert_level_name[a->level]));
		json_object_set_new(ne, "alert_id", json_string(id));
		json_object_set_new(ne, "opened_at", json_string(opened));
		if (delivered)
			json_object_set_new(ne, "sent_at", json_string(o->now_s));
		else if (prev_sent != NULL && strcmp(why, "renotify") == 0)
			json_object_set_new(ne, "sent_at", json_string(prev_sent));
		else
			json_object_set_new(ne, "sent_at", json_null());
		json_object_set_new(alerts, key, ne);
	}
	json_decref(out);
}

static void
handle(struct alert_opts *o, json_t *rec, const char *input, unsigned long lineno,
    struct strbuf *sb)
{
	struct alert a;
	const char *reason, *badkey = NULL, *what = NULL, *why = "all";
	json_t *alerts = json_object_get(o->state, "alerts"), *entry, *prev;
	char *key, r[256];

	if ((key = alert_key(o, rec, &badkey, &what)) == NULL) {
		snprintf(r, sizeof(r), "%s: %s", badkey, what);
		reject_record(&o->rej, rec, NULL, input, lineno, r);
		return;
	}
	/* One alert per series: stock is held at the level of the key. */
	if ((prev = json_object_get(seen, key)) != NULL) {
		snprintf(r, sizeof(r), "duplicate key: '%.80s' already on line %lld "
		    "(alerts are per -k key, the level where stock is held)", key,
		    (long long)json_integer_value(prev));
		reject_record(&o->rej, rec, NULL, input, lineno, r);
		free(key);
		return;
	}
	json_object_set_new(seen, key, json_integer((json_int_t)lineno));
	if ((reason = alert_assess(o, rec, &a)) != NULL) {
		reject_record(&o->rej, rec, NULL, input, lineno, reason);
		free(key);
		return;
	}
	if (o->summary_path != NULL)
		alert_summary_add(&summary, rec, &a);
	entry = o->all ? NULL : json_object_get(alerts, key);
	if (!o->all) {
		if (a.level == AL_VERDE || (a.level == AL_ENCOMENDA && !(a.qty > 0))) {
			json_object_del(alerts, key);       /* resolved, or nothing to buy */
			free(key);
			return;
		}
		if (!alert_due(o, entry, a.level, &why)) {
			/* Still open: a lower level is remembered, for escalation. */
			json_object_set_new(entry, "level",
			    json_string(alert_level_name[a.level]));
			counts.quiet++;
			free(key);
			return;
		}
	}
	if (o->top > 0)
		alert_top_offer(&top, rec, key, &a, input, lineno, entry, why);
	else
		emit(o, rec, key, &a, entry, why, input, lineno, sb);
	free(key);
}

static double
parse_factor(const char *s, const char *what)
{
	char *end;
	double d = strtod(s, &end);

	if (end == s || *end != '\0' || !(d > 0) || !isfinite(d))
		errx(NC_USAGE, "%s: not a number > 0: '%s'", what, s);
	return d;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "all", no_argument, NULL, 'A' },
		{ "state", required_argument, NULL, 'S' },
		{ "renotify", required_argument, NULL, 'N' },
		{ "yellow-factor", required_argument, NULL, 'Y' },
		{ "red-factor", required_argument, NULL, 'R' },
		{ "lang", required_argument, NULL, 'L' },
		{ "format", required_argument, NULL, 'F' },
		{ "webhook", required_argument, NULL, 'W' },
		{ "top", required_argument, NULL, 'T' },
		{ "summary", required_argument, NULL, 'U' },
		{ "delivery-time", required_argument, NULL, 'D' },
		HTTP_LONGOPTS,
		{ "now", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct alert_opts o = {
		.yellow = 1.2, .red = 0.8, .renotify = 7, .http = HTTP_OPTS_INIT,
		.now = (long long)time(NULL), .delivery_ms = 300000,
	};
	struct input in;
	struct strbuf sb = { 0 };
	const char *reject_path = NULL;
	char keys[256] = "item_id", *line, why[256];
	size_t len;
	long max_rejects = 0;
	int ch, rval;

	nc_init(argv[0]);
	/* A webhook waits less than an extractor: 3 retries, 20 s an attempt. */
	o.http.retries = 3;
	o.http.timeout_ms = 20000;
	o.http.total_ms = 120000;
	while ((ch = getopt_long(argc, argv, "ehk:m:r:s:vV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'e':
			o.verdict = 1;
			break;
		case 'k':
			if (strlen(optarg) >= sizeof(keys))
				errx(NC_USAGE, "-k: too long");
			strcpy(keys, optarg);
			break;
		case 'A':
			o.all = 1;
			break;
		case 's':
		case 'S':
			o.state_path = optarg;
			break;
		case 'N':
			o.renotify = nc_parse_long(optarg, 0, 36500, "--renotify");
			break;
		case 'Y':
			o.yellow = parse_factor(optarg, "--yellow-factor");
			break;
		case 'R':
			o.red = parse_factor(optarg, "--red-factor");
			break;
		case 'L':
			if (strcmp(optarg, "pt") != 0 && strcmp(optarg, "en") != 0)
				errx(NC_USAGE, "--lang: pt or en, not '%s'", optarg);
			o.en = strcmp(optarg, "en") == 0;
			break;
		case 'F':
			if (strcmp(optarg, "ndjson") == 0)
				o.format = AF_NDJSON;
			else if (strcmp(optarg, "text") == 0)
				o.format = AF_TEXT;
			else if (strcmp(optarg, "slack") == 0)
				o.format = AF_SLACK;
			else
				errx(NC_USAGE, "--format: ndjson, text or slack, not '%s'", optarg);
			break;
		case 'W':
			o.webhook = optarg;
			break;
		case 'T':
			o.top = nc_parse_long(optarg, 1, 100000, "--top");
			break;
		case 'U':
			o.summary_path = optarg;
			break;
		case 'D':
			o.delivery_ms = nc_parse_long(optarg, 1, 86400, "--delivery-time") * 1000;
			break;
		case 'n':
			if (ts_parse(optarg, 0, &o.now) != 0)
				errx(NC_USAGE, "--now: not an RFC 3339 timestamp: '%s'", optarg);
			break;
		default:
			if (http_option(&o.http, ch, optarg))
				break;
			/* -h, -V, -v, -m, -r, or a usage error */
			nc_filter_option(ch, optarg, synopsis, &max_rejects, &reject_path);
		}
	}
	argc -= optind;
	argv += optind;
	if (o.red > o.yellow)
		errx(NC_USAGE, "--red-factor %g is above --yellow-factor %g", o.red, o.yellow);
	for (char *p = strtok(keys, ","); p != NULL; p = strtok(NULL, ",")) {
		if (o.nkeys == ALERT_MAXKEYS)
			errx(NC_USAGE, "-k: at most %d keys", ALERT_MAXKEYS);
		o.keys[o.nkeys++] = p;
	}
	if (o.nkeys == 0)
		errx(NC_USAGE, "-k: no key");
	if (o.webhook == NULL && (o.webhook = getenv("NC_WEBHOOK_URL")) != NULL &&
	    *o.webhook == '\0')
		o.webhook = NULL;
	if (o.webhook != NULL) {
		o.secrets[0] = alert_url_secret(o.webhook);
		o.http.secrets = o.secrets;
		o.http.verbose = nc_verbose;
	}
	ts_format(o.now, o.now_s);
	alert_state_read(&o);
	seen = json_object();
	alert_top_init(&top, (size_t)o.top);
	alert_summary_init(&summary, (size_t)(o.top > 0 ? o.top : 10));
	rejects_open(&o.rej, reject_path, max_rejects);
	input_init(&in, argc, argv);
	while (input_next(&in, &line, &len) == 1) {
		json_t *rec = ndjson_parse(line, len, why, sizeof(why));

		counts.in++;
		if (rec == NULL) {
			reject_record(&o.rej, NULL, line, in.name, in.lineno, why);
			continue;
		}
		handle(&o, rec, in.name, in.lineno, &sb);
		json_decref(rec);
	}
	rval = input_release(&in);
	/* --top: the best N of the alerts due, best first. */
	for (size_t i = 0; i < top.n; i++) {
		struct alert_entry *e = &top.e[i];

		emit(&o, e->rec, e->key, &e->a, e->entry, e->why, e->input, e->lineno, &sb);
	}
	/* Alerts are on stdout before the state says they were sent. */
	nc_close_stdout();
	if (o.state_path != NULL && !o.all)
		alert_state_write(&o);
	if (o.summary_path != NULL) {
		summary.in = counts.in;
		summary.rejected = o.rej.count;
		if (alert_summary_write(&o, &summary, o.summary_path) != 0)
			rval = nc_worst(rval, NC_FAIL);
	}
	if (nc_verbose)
		fprintf(stderr, "%s: %lu in, %lu alerts, %lu already sent, %lu not delivered, "
		    "%lu rejected\n", nc_progname, counts.in, counts.emitted, counts.quiet,
		    counts.failed, o.rej.count);
	if (counts.failed > 0)
		rval = nc_worst(rval, NC_FAIL);
	rval = nc_worst(rval, rejects_close(&o.rej));
	if (rval == NC_OK && o.verdict && counts.emitted > 0)
		rval = NC_VERDICT;
	json_decref(o.state);
	json_decref(seen);
	alert_top_release(&top);
	alert_summary_release(&summary);
	strbuf_release(&sb);
	http_cleanup();
	return rval;
}
