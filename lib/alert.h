/*
 * alert.h: the pieces of nc-alert (cmd/nc-alert.c), split by concern as
 * curl splits its tool: the rules that turn a reorder record into a level
 * (alert_assess.c), the state file that de-duplicates alerts across runs
 * (alert_state.c), the alert record, its text and its delivery
 * (alert_out.c), and the ranking by value at risk with the buyer's daily
 * summary (alert_rank.c).  Owner: nc-alert.
 *
 * Ownership: alert_assess() only reads the record.  An alert_top holds a
 * reference to each record it keeps (json_incref) and a copy of its key;
 * alert_top_release() drops both.  The state object belongs to the
 * caller's alert_opts, created by alert_state_read() and freed by the
 * caller with json_decref().
 *
 *	struct alert a;
 *	const char *why = alert_assess(&o, rec, &a);   // NULL, or a reject reason
 *	if (why == NULL && a.level == AL_VERMELHO) ...  // a.value_at_risk ...
 */
#ifndef NC_ALERT_H
#define NC_ALERT_H

#include <jansson.h>

#include "date.h"
#include "http.h"
#include "ndjson.h"
#include "reject.h"

/* ENCOMENDA: a series ordered on demand (stocking "sob encomenda"). */
enum alert_level { AL_VERDE, AL_AMARELO, AL_VERMELHO, AL_ENCOMENDA, AL_NLEVELS };
extern const char *const alert_level_name[AL_NLEVELS];

enum alert_format { AF_NDJSON, AF_TEXT, AF_SLACK };

#define ALERT_MAXKEYS 8

struct alert_opts {
	const char *keys[ALERT_MAXKEYS];
	int nkeys;
	int all, verdict, en;
	enum alert_format format;
	double yellow, red;
	long renotify;                  /* days; 0: never */
	long top;                       /* --top N; 0: every alert */
	const char *state_path, *webhook, *summary_path;
	struct http_opts http;          /* the webhook's; its path is a secret */
	long delivery_ms;               /* --delivery-time: all the run's POSTs */
	const char *secrets[2];
	long long now;
	char now_s[TS_BUFSZ];
	json_t *state;                  /* {"alerts":{key:{...}}} */
	struct rejects rej;
};

/* One assessed record, ready to write. */
struct alert {
	enum alert_level level;
	const char *urgency;
	char reason[512];
	double stock, pp, ss, qty, cover, d2r;
	double d2s;                     /* days to the projected stockout, or NAN */
	double p_stockout;              /* within the lead time + review, or NAN */
	double cost, order_value, value_at_risk;        /* NAN when unknown */
	int one_off;
	char stockout[DATE_BUFSZ];
	int has_stockout;
};

/*
 * The level, urgency, reason and value at risk of one reorder record.
 * Returns NULL, or the reason to reject the record ("as_of: not a valid
 * date: '2026-11-31'").
 */
const char *alert_assess(const struct alert_opts *o, const json_t *rec, struct alert *a);

/* P(N(mean, sd) > x): the normal upper tail; sd 0 gives 0 or 1. */
double alert_tail(double mean, double sd, double x);

/* "%g"-like with at most 2 decimals: 105.6, 132, 4.33. */
const char *alert_fmt2(double x, char buf[32]);

/* State file (--state): read, write atomically, and whether an alert is due. */
void alert_state_read(struct alert_opts *o);
void alert_state_write(const struct alert_opts *o);
int alert_due(const struct alert_opts *o, const json_t *entry, enum alert_level lv,
    const char **why);

/*
 * The series key of a record for the state file and alert_id (values
 * joined by '|', see nc-alert(1)); NULL with *bad and *what set when a key
 * field is missing or of the wrong type.  The caller frees it.
 */
char *alert_key(const struct alert_opts *o, const json_t *rec, const char **bad,
    const char **what);
/* The key for people: values as they are, a null as "-". */
void alert_key_text(const struct alert_opts *o, const json_t *rec, struct strbuf *sb);
/* The alert record (nc-records(5), alert); the caller json_decref()s it. */
json_t *alert_record(const struct alert_opts *o, const json_t *rec, const struct alert *a,
    const char *id);
/* The alert rendered in o->format into sb (emptied first), without '\n'. */
void alert_render(const struct alert_opts *o, const json_t *rec, const struct alert *a,
    const json_t *out, struct strbuf *sb);
/* POST msg to the webhook: 0 on a 2xx answer, else -1 after a warning. */
int alert_deliver(const struct alert_opts *o, const struct strbuf *msg, const char *id,
    const char *input, unsigned long lineno);
/* The webhook URL's secret part (its path), or NULL. */
const char *alert_url_secret(const char *url);

/*
 * The N best alerts by value at risk (alert_rank.c): kept in a bounded,
 * sorted array, so that memory follows N, not the input.  Order: value at
 * risk (unknown last), then the chance of a stockout, then the fewest days
 * to it, then input order.
 */
struct alert_entry {
	json_t *rec;                    /* a reference */
	char *key;
	struct alert a;
	char input[64];
	unsigned long lineno, seq;
	const json_t *entry;            /* its state entry, when it had one */
	const char *why;                /* why it is due (static strings) */
};

struct alert_top {
	struct alert_entry *e;
	size_t n, cap;
	unsigned long seq;
};

void alert_top_init(struct alert_top *t, size_t cap);
/* Offer an alert: kept (1) when among the best cap so far, else 0. */
int alert_top_offer(struct alert_top *t, const json_t *rec, const char *key,
    const struct alert *a, const char *input, unsigned long lineno,
    const json_t *entry, const char *why);
void alert_top_release(struct alert_top *t);

/* The daily summary (--summary FILE): counts and totals over every record. */
struct alert_summary {
	unsigned long count[AL_NLEVELS], one_off, rejected, in;
	double order_value[AL_NLEVELS];
	unsigned long no_cost;          /* alerts with an order but no cost */
	struct alert_top top;           /* the top N among AMARELO and VERMELHO */
};

void alert_summary_init(struct alert_summary *s, size_t n);
void alert_summary_add(struct alert_summary *s, const json_t *rec, const struct alert *a);
/* Write the summary, in Portuguese, to path; 0, or -1 after a warning. */
int alert_summary_write(const struct alert_opts *o, struct alert_summary *s, const char *path);
void alert_summary_release(struct alert_summary *s);

#endif
