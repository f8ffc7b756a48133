/*
 * nc-alert: stock alerts from reorder records (nc-reorder): a level from
 * the company's thresholds, an urgency from the days to rupture, a reason
 * in Portuguese or English; de-duplicated against a state file; written
 * as NDJSON, text or Slack messages, and posted to a webhook.  See
 * nc-alert(1).
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "date.h"
#include "http.h"
#include "input.h"
#include "nc.h"
#include "ndjson.h"
#include "reject.h"

static const char synopsis[] =
    "usage: nc-alert [-ev] [-k keys] [-m max] [-r rejects] [--all] [--state file]\n"
    "                [--renotify days] [--yellow-factor f] [--red-factor f]\n"
    "                [--lang pt|en] [--format ndjson|text|slack] [--webhook url]\n"
    "                [--retries n] [--timeout s] [--connect-timeout s] [--max-time s]\n"
    "                [--now timestamp] [file ...]\n";

enum level { VERDE, AMARELO, VERMELHO };
static const char *const level_name[] = { "VERDE", "AMARELO", "VERMELHO" };
enum format { F_NDJSON, F_TEXT, F_SLACK };

#define MAXKEYS 8

struct opts {
	const char *keys[MAXKEYS];
	int nkeys;
	int all, verdict, en;
	enum format format;
	double yellow, red;
	long renotify;                  /* days; 0: never */
	const char *state_path, *webhook;
	struct http_opts http;          /* the webhook's; its path is a secret */
	const char *secrets[2];
	long long now;
	char now_s[TS_BUFSZ];
	json_t *state;                  /* {"alerts":{key:{...}}} */
	struct rejects rej;
};

struct counts {
	unsigned long in, emitted, failed, quiet;
};

static struct counts counts;

/* One alert, ready to write. */
struct alert {
	enum level level;
	const char *urgency;
	char reason[512];
	double stock, pp, ss, qty, cover, d2r;
	char stockout[DATE_BUFSZ];
	int has_stockout;
};

static double
num(const json_t *rec, const char *name)
{
	double d;

	return ndjson_number(json_object_get(rec, name), &d) == 1 ? d : NAN;
}

/* "%g"-like with at most 2 decimals, for reasons: 105.6, 132, 4.33. */
static const char *
fmt2(double x, char buf[32])
{
	snprintf(buf, 32, "%.2f", x);
	for (char *e = buf + strlen(buf) - 1; e > buf && strchr(buf, '.'); e--) {
		if (*e == '0')
			*e = '\0';
		else {
			if (*e == '.')
				*e = '\0';
			break;
		}
	}
	return buf;
}

static const char *
urgency_of(double d2r)
{
	if (isnan(d2r))
		return "low";
	return d2r < 7 ? "critical" : d2r < 14 ? "high" : d2r < 30 ? "medium" : "low";
}

/*
 * The level and its reason.  A projected stockout within the lead time is
 * VERMELHO whatever the ratio; otherwise stock against the reorder point.
 * Returns NULL, or a reject reason.
 */
static const char *
assess(const struct opts *o, const json_t *rec, struct alert *a)
{
	double lt = num(rec, "lead_time_days"), d = num(rec, "avg_daily_demand");
	const char *so = json_string_value(json_object_get(rec, "stockout_date"));
	const char *asof = json_string_value(json_object_get(rec, "as_of"));
	long sod, aod;
	char b1[32], b2[32], b3[32];

	memset(a, 0, sizeof(*a));
	a->stock = num(rec, "current_stock");
	a->pp = num(rec, "reorder_point");
	a->ss = num(rec, "safety_stock");
	a->qty = num(rec, "recommended_order_qty");
	a->cover = num(rec, "days_of_cover");
	if (isnan(a->stock))
		return "current_stock: missing or not a number";
	if (isnan(a->pp))
		return "reorder_point: missing or not a number";
	a->d2r = d > 0 ? fmax(0, (a->stock - (isnan(a->ss) ? 0 : a->ss)) / d) : NAN;
	a->urgency = urgency_of(a->d2r);
	if (so != NULL && date_parse(so, &sod) == 0) {
		a->has_stockout = 1;
		date_format(sod, a->stockout);
	}
	if (a->has_stockout && asof != NULL && date_parse(asof, &aod) == 0 && !isnan(lt) &&
	    sod - aod <= lt) {
		a->level = VERMELHO;
		snprintf(a->reason, sizeof(a->reason), o->en ?
		    "stockout projected on %s, within the lead time of %s days: buy now" :
		    "ruptura prevista em %s, dentro do prazo de entrega de %s dias: compre já",
		    a->stockout, fmt2(lt, b1));
		return NULL;
	}
	if (a->pp <= 0) {
		a->level = VERDE;
		snprintf(a->reason, sizeof(a->reason), o->en ?
		    "no demand expected (reorder point 0)" :
		    "sem demanda prevista (ponto de pedido 0)");
		return NULL;
	}
	/* A hair of tolerance, so that 120 <= 1.2 x 100 whatever the rounding. */
	if (a->stock <= o->red * a->pp * (1 + 1e-12)) {
		a->level = VERMELHO;
		snprintf(a->reason, sizeof(a->reason), o->en ?
		    "stock %s <= %s x reorder point %s (%s): buy now" :
		    "estoque %s <= %s x ponto de pedido %s (%s): compre já",
		    fmt2(a->stock, b1), fmt2(o->red, b2), fmt2(a->pp, b3),
		    fmt2(o->red * a->pp, (char[32]){ 0 }));
	} else if (a->stock <= o->yellow * a->pp * (1 + 1e-12)) {
		a->level = AMARELO;
		snprintf(a->reason, sizeof(a->reason), o->en ?
		    "stock %s <= %s x reorder point %s (%s): plan the purchase" :
		    "estoque %s <= %s x ponto de pedido %s (%s): planeje a compra",
		    fmt2(a->stock, b1), fmt2(o->yellow, b2), fmt2(a->pp, b3),
		    fmt2(o->yellow * a->pp, (char[32]){ 0 }));
	} else {
		a->level = VERDE;
		snprintf(a->reason, sizeof(a->reason), o->en ?
		    "stock %s > %s x reorder point %s (%s)" :
		    "estoque %s > %s x ponto de pedido %s (%s)",
		    fmt2(a->stock, b1), fmt2(o->yellow, b2), fmt2(a->pp, b3),
		    fmt2(o->yellow * a->pp, (char[32]){ 0 }));
	}
	return NULL;
}

/*
 * The series key, for the state file and the alert_id: the key fields'
 * values joined by '|'.  A string is itself, with a backslash put before
 * each backslash and '|'; a number is its JSON text; a null (a row without
 * a site) is a value of its own, backslash-N, which no string gives:
 * {"item_id":"A","site_id":null} is A|\N.  Keys of strings without '|' or
 * backslashes are
 * what they were before nulls were allowed, so older state files still
 * match.  Returns NULL with *bad set to the field and *what to why.
 */
static char *
key_of(const struct opts *o, const json_t *rec, const char **bad, const char **what)
{
	struct strbuf sb = { 0 };

	for (int k = 0; k < o->nkeys; k++) {
		const json_t *v = json_object_get(rec, o->keys[k]);

		if (v == NULL || !(json_is_string(v) || json_is_number(v) || json_is_null(v))) {
			*bad = o->keys[k];
			*what = v == NULL ? "missing" : "not a string, number or null";
			strbuf_release(&sb);
			return NULL;
		}
		if (k > 0)
			strbuf_addc(&sb, '|');
		if (json_is_string(v)) {
			const char *p = json_string_value(v);

			for (size_t i = 0; i < json_string_length(v); i++) {
				if (p[i] == '\\' || p[i] == '|')
					strbuf_addc(&sb, '\\');
				strbuf_addc(&sb, p[i]);
			}
		} else if (json_is_null(v))
			strbuf_add(&sb, "\\N", 2);
		else
			ndjson_dump(&sb, v);
	}
	return sb.s ? sb.s : xstrdup("");
}

/* The key for people (--format text): values as they are, null as "-". */
static void
key_text(const struct opts *o, const json_t *rec, struct strbuf *sb)
{
	for (int k = 0; k < o->nkeys; k++) {
		const json_t *v = json_object_get(rec, o->keys[k]);

		if (k > 0)
			strbuf_addc(sb, '|');
		if (json_is_string(v))
			strbuf_add(sb, json_string_value(v), json_string_length(v));
		else if (v == NULL || json_is_null(v))
			strbuf_addc(sb, '-');
		else
			ndjson_dump(sb, v);
	}
}

static void
set_num(json_t *obj, const char *name, double x)
{
	if (isfinite(x))
		json_object_set_new(obj, name, json_real(round(x * 1e4) / 1e4 + 0.0));
	else
		json_object_set_new(obj, name, json_null());
}

static json_t *
alert_record(const struct opts *o, const json_t *rec, const struct alert *a, const char *id)
{
	json_t *out = json_object();

	json_object_set_new(out, "alert_id", json_string(id));
	for (int k = 0; k < o->nkeys; k++)
		json_object_set(out, o->keys[k], json_object_get(rec, o->keys[k]));
	json_object_set_new(out, "level", json_string(level_name[a->level]));
	json_object_set_new(out, "urgency", json_string(a->urgency));
	json_object_set_new(out, "reason", json_string(a->reason));
	set_num(out, "current_stock", a->stock);
	set_num(out, "reorder_point", a->pp);
	set_num(out, "safety_stock", a->ss);
	set_num(out, "recommended_order_qty", a->qty);
	set_num(out, "days_of_cover", a->cover);
	set_num(out, "days_to_rupture", a->d2r);
	json_object_set_new(out, "stockout_date",
	    a->has_stockout ? json_string(a->stockout) : json_null());
	json_object_set_new(out, "created_at", json_string(o->now_s));
	return out;
}

/* One line for people: "VERMELHO [critical] 010825 CONECTOR: reason; ...". */
static void
alert_text(const struct opts *o, const json_t *rec, const struct alert *a, struct strbuf *sb)
{
	const char *name = json_string_value(json_object_get(rec, "item_name"));
	char line[1024], b1[32], b2[32];
	struct strbuf key = { 0 };

	key_text(o, rec, &key);

	snprintf(line, sizeof(line), o->en ?
	    "%s [%s] %s%s%s: %s; order %s, cover %s days" :
	    "%s [%s] %s%s%s: %s; comprar %s, cobertura %s dias",
	    level_name[a->level], a->urgency, key.s, name ? " " : "", name ? name : "",
	    a->reason, isnan(a->qty) ? "?" : fmt2(a->qty, b1),
	    isnan(a->cover) ? "?" : fmt2(a->cover, b2));
	strbuf_add(sb, line, strlen(line));
	strbuf_release(&key);
}

static void
render(const struct opts *o, const json_t *rec, const struct alert *a, const json_t *out,
    struct strbuf *sb)
{
	sb->len = 0;
	if (o->format == F_NDJSON) {
		ndjson_dump(sb, out);
	} else if (o->format == F_TEXT) {
		alert_text(o, rec, a, sb);
	} else {
		struct strbuf t = { 0 };
		json_t *msg;

		alert_text(o, rec, a, &t);
		msg = json_pack("{s:s}", "text", t.s);
		ndjson_dump(sb, msg);
		json_decref(msg);
		strbuf_release(&t);
	}
}

/*
 * POST the rendered alert to the webhook (lib/http: timeouts, retries of
 * 408/429/5xx with Retry-After, proxies from the environment).  Returns
 * 0 on a 2xx answer, else -1 after a warning; the URL's path, where
 * Slack and Teams keep their token, is shown as "***".
 */
static int
deliver(const struct opts *o, const struct strbuf *msg, const char *id, const char *input,
    unsigned long lineno)
{
	struct http_response r;
	char why[512], ex[160];
	const char *ct = o->format == F_TEXT ? "text/plain; charset=utf-8" : "application/json";

	if (http_post(&o->http, o->webhook, ct, msg->s, msg->len, &r, why, sizeof(why)) != 0) {
		warnx("%s:%lu: webhook: alert %s not delivered: %s", input, lineno, id, why);
		return -1;
	}
	if (r.status / 100 == 2) {
		http_response_release(&r);
		return 0;
	}
	http_redact(&o->http, o->webhook, strlen(o->webhook), why, sizeof(why));
	warnx("%s:%lu: webhook: alert %s not delivered: HTTP %ld from %s after %ld attempt%s%s%s",
	    input, lineno, id, r.status, why, r.attempts, r.attempts == 1 ? "" : "s",
	    r.len ? ": " : "", http_redact(&o->http, r.body, r.len, ex, sizeof(ex)));
	http_response_release(&r);
	return -1;
}

/*
 * The webhook URL's secret part: what follows the host (Slack's
 * /services/T.../B.../token), or NULL when there is none.
 */
static const char *
url_secret(const char *url)
{
	const char *p = strstr(url, "://");

	p = p != NULL ? p + 3 : url;
	p += strcspn(p, "/?#");
	return p[0] != '\0' && p[1] != '\0' ? p : NULL;
}

/* Should this alert go out, given its state entry?  Sets *why. */
static int
due(const struct opts *o, const json_t *entry, enum level lv, const char **why)
{
	const char *prev, *sent;
	long long sent_at;

	if (entry == NULL) {
		*why = "new";
		return 1;
	}
	prev = json_string_value(json_object_get(entry, "level"));
	if (prev != NULL && strcmp(prev, "AMARELO") == 0 && lv == VERMELHO) {
		*why = "escalated";
		return 1;
	}
	sent = json_string_value(json_object_get(entry, "sent_at"));
	if (sent == NULL || ts_parse(sent, 0, &sent_at) != 0) {
		*why = "unsent";
		return 1;
	}
	if (o->renotify > 0 && o->now - sent_at >= o->renotify * 86400LL) {
		*why = "renotify";
		return 1;
	}
	return 0;
}

static void
handle(struct opts *o, json_t *rec, const char *input, unsigned long lineno,
    struct strbuf *sb)
{
	struct alert a;
	const char *reason, *badkey = NULL, *what = NULL, *why = "all";
	json_t *alerts = json_object_get(o->state, "alerts"), *entry, *out;
	char *key, id[1024], day[DATE_BUFSZ];
	const char *opened;
	int delivered = 1;

	if ((key = key_of(o, rec, &badkey, &what)) == NULL) {
		char r[128];

		snprintf(r, sizeof(r), "%s: %s", badkey, what);
		reject_record(&o->rej, rec, NULL, input, lineno, r);
		return;
	}
	if ((reason = assess(o, rec, &a)) != NULL) {
		reject_record(&o->rej, rec, NULL, input, lineno, reason);
		free(key);
		return;
	}
	entry = o->all ? NULL : json_object_get(alerts, key);
	if (!o->all) {
		if (a.level == VERDE) {
			json_object_del(alerts, key);       /* resolved */
			free(key);
			return;
		}
		if (!due(o, entry, a.level, &why)) {
			/* Still open: a lower level is remembered, for escalation. */
			json_object_set_new(entry, "level", json_string(level_name[a.level]));
			counts.quiet++;
			free(key);
			return;
		}
	}
	/* The alert's identity: its key, level, and the day it opened. */
	opened = NULL;
	if (entry != NULL && strcmp(why, "escalated") != 0)
		opened = json_string_value(json_object_get(entry, "opened_at"));
	if (opened == NULL)
		opened = o->now_s;
	memcpy(day, opened, DATE_BUFSZ - 1);
	day[DATE_BUFSZ - 1] = '\0';
	snprintf(id, sizeof(id), "%s|%s|%s", key, level_name[a.level], day);
	out = alert_record(o, rec, &a, id);
	render(o, rec, &a, out, sb);
	if (o->webhook != NULL && deliver(o, sb, id, input, lineno) != 0) {
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

		json_object_set_new(ne, "level", json_string(level_name[a.level]));
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
	free(key);
}

static void
state_read(struct opts *o)
{
	json_error_t e;
	FILE *fp;

	o->state = NULL;
	if (o->state_path != NULL && !o->all) {
		if ((fp = fopen(o->state_path, "r")) != NULL) {
			o->state = json_loadf(fp, 0, &e);
			fclose(fp);
			if (o->state == NULL || !json_is_object(json_object_get(o->state, "alerts")))
				errx(NC_FAIL, "error: %s: not an nc-alert state file%s%s",
				    o->state_path, o->state ? "" : ": ", o->state ? "" : e.text);
		} else if (errno != ENOENT)
			err(NC_FAIL, "error: %s", o->state_path);
	}
	if (o->state == NULL)
		o->state = json_pack("{s:i,s:{}}", "version", 1, "alerts");
}

/* Write the state to a temporary file beside it, then rename it over. */
static void
state_write(const struct opts *o)
{
	char *dirbuf = xstrdup(o->state_path), tmp[PATH_MAX];
	struct strbuf sb = { 0 };
	FILE *fp;
	int fd;

	snprintf(tmp, sizeof(tmp), "%s/.nc-alert-state.XXXXXX", dirname(dirbuf));
	free(dirbuf);
	if ((fd = mkstemp(tmp)) == -1)
		err(NC_FAIL, "error: %s", tmp);
	if ((fp = fdopen(fd, "w")) == NULL)
		err(NC_FAIL, "error: %s", tmp);
	ndjson_dump(&sb, o->state);
	strbuf_addc(&sb, '\n');
	if (fwrite(sb.s, 1, sb.len, fp) != sb.len || fflush(fp) != 0 || fsync(fd) != 0) {
		unlink(tmp);
		err(NC_FAIL, "error: %s: write error", o->state_path);
	}
	if (fclose(fp) != 0 || rename(tmp, o->state_path) != 0) {
		unlink(tmp);
		err(NC_FAIL, "error: %s", o->state_path);
	}
	strbuf_release(&sb);
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
		HTTP_LONGOPTS,
		{ "now", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = {
		.yellow = 1.2, .red = 0.8, .renotify = 7, .http = HTTP_OPTS_INIT,
		.now = (long long)time(NULL),
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
	while ((ch = getopt_long(argc, argv, "ehk:m:r:vV", longopts, NULL)) != -1) {
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
				o.format = F_NDJSON;
			else if (strcmp(optarg, "text") == 0)
				o.format = F_TEXT;
			else if (strcmp(optarg, "slack") == 0)
				o.format = F_SLACK;
			else
				errx(NC_USAGE, "--format: ndjson, text or slack, not '%s'", optarg);
			break;
		case 'W':
			o.webhook = optarg;
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
		if (o.nkeys == MAXKEYS)
			errx(NC_USAGE, "-k: at most %d keys", MAXKEYS);
		o.keys[o.nkeys++] = p;
	}
	if (o.nkeys == 0)
		errx(NC_USAGE, "-k: no key");
	if (o.webhook == NULL && (o.webhook = getenv("NC_WEBHOOK_URL")) != NULL &&
	    *o.webhook == '\0')
		o.webhook = NULL;
	if (o.webhook != NULL) {
		o.secrets[0] = url_secret(o.webhook);
		o.http.secrets = o.secrets;
		o.http.verbose = nc_verbose;
	}
	ts_format(o.now, o.now_s);
	state_read(&o);
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
	/* Alerts are on stdout before the state says they were sent. */
	nc_close_stdout();
	if (o.state_path != NULL && !o.all)
		state_write(&o);
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
	strbuf_release(&sb);
	http_cleanup();
	return rval;
}
