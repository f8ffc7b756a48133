/*
 * alert_out.c: the alert record, its line of text or Slack message, and
 * its delivery to a webhook (nc-alert(1), "Output and delivery").
 */
#include <err.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alert.h"
#include "nc.h"

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
char *
alert_key(const struct alert_opts *o, const json_t *rec, const char **bad, const char **what)
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
void
alert_key_text(const struct alert_opts *o, const json_t *rec, struct strbuf *sb)
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

json_t *
alert_record(const struct alert_opts *o, const json_t *rec, const struct alert *a, const char *id)
{
	json_t *out = json_object(), *name = json_object_get(rec, "item_name");

	json_object_set_new(out, "alert_id", json_string(id));
	for (int k = 0; k < o->nkeys; k++)
		json_object_set(out, o->keys[k], json_object_get(rec, o->keys[k]));
	if (json_object_get(out, "item_name") == NULL)
		json_object_set(out, "item_name", name != NULL ? name : json_null());
	json_object_set_new(out, "level", json_string(alert_level_name[a->level]));
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
	set_num(out, "days_to_stockout", a->d2s);
	set_num(out, "stockout_probability", a->p_stockout);
	set_num(out, "order_value", a->order_value);
	set_num(out, "value_at_risk", a->value_at_risk);
	json_object_set_new(out, "created_at", json_string(o->now_s));
	return out;
}

/* One line for people: "VERMELHO [critical] 010825 CONECTOR: reason; ...". */
static void
alert_text(const struct alert_opts *o, const json_t *rec, const struct alert *a, struct strbuf *sb)
{
	const char *name = json_string_value(json_object_get(rec, "item_name"));
	char line[1024], b1[32], b2[32];
	struct strbuf key = { 0 };

	alert_key_text(o, rec, &key);

	snprintf(line, sizeof(line), o->en ?
	    "%s [%s] %s%s%s: %s; order %s, cover %s days" :
	    "%s [%s] %s%s%s: %s; comprar %s, cobertura %s dias",
	    alert_level_name[a->level], a->urgency, key.s, name ? " " : "", name ? name : "",
	    a->reason, isnan(a->qty) ? "?" : alert_fmt2(a->qty, b1),
	    isnan(a->cover) ? "?" : alert_fmt2(a->cover, b2));
	strbuf_add(sb, line, strlen(line));
	strbuf_release(&key);
}

void
alert_render(const struct alert_opts *o, const json_t *rec, const struct alert *a, const json_t *out,
    struct strbuf *sb)
{
	sb->len = 0;
	if (o->format == AF_NDJSON) {
		ndjson_dump(sb, out);
	} else if (o->format == AF_TEXT) {
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
static long long
monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
alert_deliver(const struct alert_opts *o, const struct strbuf *msg, const char *id, const char *input,
    unsigned long lineno)
{
	static long long start = -1;
	struct http_response r;
	struct http_opts h = o->http;
	char why[512], ex[160];
	const char *ct = o->format == AF_TEXT ? "text/plain; charset=utf-8" : "application/json";
	long long left;

	/* The whole run's deliveries share one bound: a webhook that hangs
	 * costs --delivery-time, not --max-time for every alert.  An alert
	 * not delivered stays unsent in the state, for the next run. */
	if (start < 0)
		start = monotonic_ms();
	left = o->delivery_ms - (monotonic_ms() - start);
	if (left <= 0) {
		warnx("%s:%lu: webhook: alert %s not delivered: the run's --delivery-time of "
		    "%ld s ran out", input, lineno, id, o->delivery_ms / 1000);
		return -1;
	}
	if (h.total_ms <= 0 || h.total_ms > left)
		h.total_ms = (long)left;
	if (h.timeout_ms <= 0 || h.timeout_ms > h.total_ms)
		h.timeout_ms = h.total_ms;
	if (http_post(&h, o->webhook, ct, msg->s, msg->len, &r, why, sizeof(why)) != 0) {
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
const char *
alert_url_secret(const char *url)
{
	const char *p = strstr(url, "://");

	p = p != NULL ? p + 3 : url;
	p += strcspn(p, "/?#");
	return p[0] != '\0' && p[1] != '\0' ? p : NULL;
}

