/*
 * serve_list.c: GET /api/v1/forecasts, /reorder and /alerts: each
 * endpoint's parameters, checked into a query of constant SQL fragments
 * and bound values; the run answered from; the page, its total (cached
 * by query and load) and the next page's link.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "nc.h"
#include "ndjson.h"
#include "serve_api.h"
#include "store.h"

/* The parameters an endpoint takes. */
enum pkind { P_FIELD, P_DATE_GE, P_DATE_LE, P_LEVEL, P_SINCE, P_ASOF, P_LIMIT, P_OFFSET };

struct param {
	const char *name;
	enum pkind kind;
	const char *field;      /* the record's field it tests, or NULL */
	const char *sql;        /* the test: after the field, with one ? per value */
};

struct endpoint {
	const char *path, *dataset;
	const struct param *params;
	const char *order;
};

#define FIELD(f) { f, P_FIELD, f, " = ?" }
#define PAGING { "as_of", P_ASOF, NULL, NULL }, { "limit", P_LIMIT, NULL, NULL }, \
	{ "offset", P_OFFSET, NULL, NULL }

static const struct param fc_params[] = {
	FIELD("item_id"), FIELD("site_id"), FIELD("family"),
	{ "start_date", P_DATE_GE, NULL, "date >= ?" },
	{ "end_date", P_DATE_LE, NULL, "date <= ?" },
	PAGING, { NULL, 0, NULL, NULL }
};
static const struct param ro_params[] = {
	FIELD("item_id"), FIELD("site_id"), FIELD("family"), FIELD("stocking"),
	PAGING, { NULL, 0, NULL, NULL }
};
static const struct param al_params[] = {
	FIELD("item_id"), FIELD("site_id"), FIELD("family"),
	{ "level", P_LEVEL, "level", " IN (?, ?, ?, ?)" },
	{ "since", P_SINCE, "created_at", " >= ?" },
	PAGING, { NULL, 0, NULL, NULL }
};

static const struct endpoint endpoints[] = {
	{ "forecasts", "forecasts", fc_params, "_seq" },
	{ "reorder", "reorder", ro_params, "_seq" },
	{ "alerts", "alerts", al_params, "_seq" },
};

static const char *const levels[] = { "VERDE", "AMARELO", "VERMELHO", "ENCOMENDA" };

/* The query's conditions and their values, checked. */
struct query {
	const struct param *cond[SERVE_MAX_ARGS];
	char val[SERVE_MAX_ARGS * 4][SERVE_MAX_VALUE + 1];
	int ncond, nval;
	char as_of[DATE_BUFSZ];
	int has_as_of, has_since;
	long limit, offset;
	char limit_s[24], offset_s[24];
};

static int
parse_num(const char *s, long min, long max, long *out)
{
	long v = 0;

	if (s == NULL || *s == '\0' || strlen(s) > 10)
		return -1;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int
parse_date(const char *s, char out[DATE_BUFSZ])
{
	long d;

	if (s == NULL || date_parse(s, &d) != 0)
		return -1;
	date_format(d, out);
	return 0;
}

/* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" (a date alone: from midnight). */
static int
parse_since(const char *s, char *out)
{
	char day[DATE_BUFSZ];
	size_t n = s ? strlen(s) : 0;

	if (n == 10)
		return parse_date(s, out);
	if (n != 20 || s[10] != 'T' || s[19] != 'Z' || s[13] != ':' || s[16] != ':')
		return -1;
	memcpy(day, s, 10);
	day[10] = '\0';
	if (parse_date(day, out) != 0)
		return -1;
	for (int i = 11; i < 19; i++)
		if (i != 13 && i != 16 && (s[i] < '0' || s[i] > '9'))
			return -1;
	if ((s[11] - '0') * 10 + s[12] - '0' > 23 || s[14] > '5' || s[17] > '5')
		return -1;
	memcpy(out, s, 21);
	return 0;
}

static int
bad(struct serve_reply *r, const char *name, const char *what)
{
	char detail[128];

	snprintf(detail, sizeof(detail), "%s: %s", name, what);
	serve_error(r, 400, "bad parameter", detail);
	return -1;
}

/* Check every argument against the endpoint's parameters into q. */
static int
check_args(const struct serve_req *rq, const struct param *ps, struct query *q,
    struct serve_reply *r)
{
	q->limit = 100;
	q->offset = 0;
	if (rq->too_many)
		return bad(r, "query", "too many parameters");
	for (int i = 0; i < rq->nargs; i++) {
		const char *k = rq->akey[i], *v = rq->aval[i];
		const struct param *p;

		for (p = ps; p->name != NULL && strcmp(p->name, k) != 0; p++)
			;
		if (p->name == NULL) {
			/* The name is not echoed: it may be anything. */
			serve_error(r, 400, "unknown parameter",
			    serve_text_ok(k, strlen(k)) && strlen(k) < 40 ? k :
			    "(not shown)");
			return -1;
		}
		for (int j = 0; j < i; j++)
			if (strcmp(rq->akey[j], k) == 0)
				return bad(r, k, "given twice");
		if (v == NULL || *v == '\0')
			return bad(r, k, "empty");
		if (strlen(v) > SERVE_MAX_VALUE)
			return bad(r, k, "too long");
		if (!serve_text_ok(v, strlen(v)))
			return bad(r, k, "not valid UTF-8 text");
		switch (p->kind) {
		case P_FIELD:
			q->cond[q->ncond++] = p;
			snprintf(q->val[q->nval++], SERVE_MAX_VALUE + 1, "%s", v);
			break;
		case P_DATE_GE:
		case P_DATE_LE:
			if (parse_date(v, q->val[q->nval]) != 0)
				return bad(r, k, "not a date (YYYY-MM-DD)");
			q->cond[q->ncond++] = p;
			q->nval++;
			break;
		case P_SINCE:
			if (parse_since(v, q->val[q->nval]) != 0)
				return bad(r, k, "not a date or a timestamp (YYYY-MM-DDTHH:MM:SSZ)");
			q->cond[q->ncond++] = p;
			q->nval++;
			q->has_since = 1;
			break;
		case P_LEVEL: {
			char list[SERVE_MAX_VALUE + 1], *save, *tok;
			int n = 0;

			if (v[0] == ',' || v[strlen(v) - 1] == ',' || strstr(v, ",,") != NULL)
				return bad(r, k, "an empty level in the list");
			snprintf(list, sizeof(list), "%s", v);
			for (tok = strtok_r(list, ",", &save); tok != NULL;
			    tok = strtok_r(NULL, ",", &save)) {
				int ok = 0;

				for (size_t l = 0; l < sizeof(levels) / sizeof(levels[0]); l++)
					ok |= strcmp(tok, levels[l]) == 0;
				if (!ok || n == 4)
					return bad(r, k, "not VERDE, AMARELO, VERMELHO or ENCOMENDA");
				snprintf(q->val[q->nval + n++], SERVE_MAX_VALUE + 1, "%s", tok);
			}
			if (n == 0)
				return bad(r, k, "empty");
			/* Fill the four slots with the last level. */
			for (; n < 4; n++)
				memcpy(q->val[q->nval + n], q->val[q->nval + n - 1], SERVE_MAX_VALUE + 1);
			q->nval += 4;
			q->cond[q->ncond++] = p;
			break;
		}
		case P_ASOF:
			if (parse_date(v, q->as_of) != 0)
				return bad(r, k, "not a date (YYYY-MM-DD)");
			q->has_as_of = 1;
			break;
		case P_LIMIT:
			if (parse_num(v, 1, 1000, &q->limit) != 0)
				return bad(r, k, "not a whole number from 1 to 1000");
			break;
		case P_OFFSET:
			if (parse_num(v, 0, 1000000000, &q->offset) != 0)
				return bad(r, k, "not a whole number from 0 to 1000000000");
			break;
		}
	}
	return 0;
}

/* Append s to buf, percent-encoded (escape) or as it is. */
static void
link_add(char *buf, size_t size, size_t *len, const char *s, int escape)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*len + 4 >= size) {
			*len = size;            /* too long: no link */
			return;
		}
		if (!escape || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p))
			buf[(*len)++] = (char)*p;
		else {
			buf[(*len)++] = '%';
			buf[(*len)++] = hex[*p >> 4];
			buf[(*len)++] = hex[*p & 15];
		}
	}
}

/* The next page's URL: the same parameters, the next offset. */
static void
next_link(const struct serve_req *rq, const struct endpoint *ep, long offset,
    struct serve_reply *r)
{
	size_t len = 0, size = sizeof(r->link);
	char num[24];

	num[ndjson_fmt_long(num, offset)] = '\0';
	link_add(r->link, size, &len, "/api/v1/", 0);
	link_add(r->link, size, &len, ep->path, 0);
	link_add(r->link, size, &len, "?", 0);
	for (int i = 0; i < rq->nargs; i++) {
		if (strcmp(rq->akey[i], "offset") == 0)
			continue;
		link_add(r->link, size, &len, rq->akey[i], 1);
		link_add(r->link, size, &len, "=", 0);
		link_add(r->link, size, &len, rq->aval[i], 1);
		link_add(r->link, size, &len, "&", 0);
	}
	link_add(r->link, size, &len, "offset=", 0);
	link_add(r->link, size, &len, num, 0);
	if (len >= size)
		len = 0;
	r->link[len] = '\0';
}

/* Build "SELECT what FROM ds WHERE ..." for the query. */
static void
build_sql(struct strbuf *sb, const struct serve_db *db, const struct endpoint *ep,
    const struct query *q, const char *what, int run, int page)
{
	add(sb, "SELECT ");
	add(sb, what);
	add(sb, " FROM \"");
	add(sb, ep->dataset);
	add(sb, "\" WHERE 1 = 1");
	if (run) {
		add(sb, " AND _partition ");
		add(sb, db->ops->same);
		add(sb, " ?");
	}
	for (int i = 0; i < q->ncond; i++) {
		add(sb, " AND ");
		if (q->cond[i]->field != NULL)
			serve_add_field(sb, db, q->cond[i]->field);
		add(sb, q->cond[i]->sql);
	}
	if (page) {
		add(sb, " ORDER BY ");
		add(sb, ep->order);
		add(sb, " LIMIT CAST(? AS INTEGER) OFFSET CAST(? AS INTEGER)");
	}
	strbuf_addc(sb, '\0');
}

/* The query's values in the order of build_sql's ?; their count. */
static int
query_params(struct query *q, const char *run, int page, const char **p)
{
	int n = 0;

	if (run != NULL)
		p[n++] = run;
	for (int i = 0; i < q->nval; i++)
		p[n++] = q->val[i];
	if (page) {
		snprintf(q->limit_s, sizeof(q->limit_s), "%ld", q->limit);
		snprintf(q->offset_s, sizeof(q->offset_s), "%ld", q->offset);
		p[n++] = q->limit_s;
		p[n++] = q->offset_s;
	}
	return n;
}

/*
 * The run to answer from: as_of, or the newest partition; *use_run is 0
 * when the dataset has no partitions, or for alerts with since= and no
 * as_of (every run).  0, or a SERVE_DB_ failure.
 */
static int
pick_run(struct serve_db *db, const struct endpoint *ep, const struct query *q,
    char run[64], int *use_run)
{
	struct strbuf sb = { 0 };
	int rc;

	*use_run = 0;
	if (q->has_as_of) {
		snprintf(run, 64, "%s", q->as_of);
		*use_run = 1;
		return 0;
	}
	if (q->has_since)
		return 0;
	add(&sb, "SELECT max(_partition) FROM \"");
	add(&sb, ep->dataset);
	add(&sb, "\"");
	strbuf_addc(&sb, '\0');
	run[0] = '\0';
	rc = db->ops->query(db, sb.s, 0, NULL, serve_first_col, run);
	strbuf_release(&sb);
	*use_run = rc == SERVE_DB_OK && run[0] != '\0';
	return rc;
}

/*
 * The totals of lists, cached: a count reads every record of the run
 * that matches, while the page reads only its own.  A total depends only
 * on the query and its dataset's rows, which change only with a new load
 * of it: the key holds the dataset's last load (the ETag: its id and its
 * sha256's start), so a load makes new keys and the old ones are
 * overwritten in time; and the store's generation, which a store file
 * replaced by another moves.
 */
#define COUNT_SLOTS 64
static struct {
	pthread_mutex_t mu;
	struct { struct strbuf key; long long total; } slot[COUNT_SLOTS];
} counts = { .mu = PTHREAD_MUTEX_INITIALIZER };

static void
count_key(struct strbuf *k, const char *sql, const char *load, int np, const char *const *p)
{
	addll(k, (long long)atomic_load(&serve_db_generation));
	strbuf_addc(k, '\x1f');
	add(k, load);
	strbuf_addc(k, '\x1f');
	add(k, sql);
	for (int i = 0; i < np; i++) {
		strbuf_addc(k, '\x1f');
		add(k, p[i]);
	}
}

static size_t
count_slot(const struct strbuf *k)
{
	uint64_t h = store_fnv1a64(STORE_FNV_OFFSET, k->s, k->len);

	return (size_t)(h % COUNT_SLOTS);
}

/* The cached total, or -1. */
static long long
count_cached(const char *sql, const char *load, int np, const char *const *p)
{
	struct strbuf k = { 0 };
	long long total = -1;
	size_t i;

	count_key(&k, sql, load, np, p);
	i = count_slot(&k);
	pthread_mutex_lock(&counts.mu);
	if (counts.slot[i].key.len == k.len && memcmp(counts.slot[i].key.s, k.s, k.len) == 0)
		total = counts.slot[i].total;
	pthread_mutex_unlock(&counts.mu);
	strbuf_release(&k);
	return total;
}

static void
count_keep(const char *sql, const char *load, int np, const char *const *p, long long total)
{
	struct strbuf k = { 0 }, old;
	size_t i;

	count_key(&k, sql, load, np, p);
	i = count_slot(&k);
	pthread_mutex_lock(&counts.mu);
	old = counts.slot[i].key;
	counts.slot[i].key = k;
	counts.slot[i].total = total;
	pthread_mutex_unlock(&counts.mu);
	strbuf_release(&old);
}

static void
list(struct serve_req *rq, const struct endpoint *ep, struct serve_reply *r)
{
	struct query q = { 0 };
	struct strbuf sql = { 0 };
	struct serve_db *db;
	struct serve_records rs = { &r->body, rq->ndjson, 0 };
	const char *p[SERVE_MAX_ARGS * 4 + 4];
	char run[64], total_s[64] = "0";
	long long load, total;
	char tag[SERVE_TAG_SIZE];
	int use_run, rc, np;

	if (check_args(rq, ep->params, &q, r) != 0)
		return;
	if (serve_api_open(r, rq->db, rq->dbpath) != 0)
		return;
	db = *rq->db;
	/* One read transaction: the count and the page see the same loads. */
	if ((rc = db->ops->begin(db)) != SERVE_DB_OK ||
	    (rc = (int)(load = serve_last_load(db, ep->dataset, tag))) < 0) {
		serve_api_fail(r, rq->db, rc, "nc_loads");
		return;
	}
	if (load == 0) {
		db->ops->end(db);
		serve_error(r, 503, "not loaded", ep->dataset);
		r->retry_after = 60;
		return;
	}
	snprintf(r->etag, sizeof(r->etag), "\"%s-%lld-%s-%c\"", ep->dataset, load, tag,
	    rq->ndjson ? 'n' : 'j');
	if (serve_etag_matches(rq->if_none_match, r->etag)) {
		db->ops->end(db);
		r->status = 304;
		return;
	}
	if ((rc = pick_run(db, ep, &q, run, &use_run)) != SERVE_DB_OK) {
		serve_api_fail(r, rq->db, rc, ep->dataset);
		return;
	}
	build_sql(&sql, db, ep, &q, "count(*)", use_run, 0);
	np = query_params(&q, use_run ? run : NULL, 0, p);
	if ((total = count_cached(sql.s, r->etag, np, p)) < 0) {
		rc = db->ops->query(db, sql.s, np, p, serve_first_col, total_s);
		if (rc != SERVE_DB_OK) {
			strbuf_release(&sql);
			serve_api_fail(r, rq->db, rc, ep->dataset);
			return;
		}
		total = strtoll(total_s, NULL, 10);
		count_keep(sql.s, r->etag, np, p, total);
	}

	sql.len = 0;
	build_sql(&sql, db, ep, &q, "record", use_run, 1);
	np = query_params(&q, use_run ? run : NULL, 1, p);
	if (!rq->ndjson)
		add(&r->body, "{\"items\":[");
	rc = db->ops->query(db, sql.s, np, p, serve_add_record, &rs);
	strbuf_release(&sql);
	if (rc != SERVE_DB_OK) {
		serve_api_fail(r, rq->db, rc, ep->dataset);
		return;
	}
	db->ops->end(db);
	if (q.offset + rs.n < total)
		next_link(rq, ep, q.offset + q.limit, r);
	if (!rq->ndjson) {
		add(&r->body, "],\"total\":");
		addll(&r->body, total);
		add(&r->body, ",\"limit\":");
		addll(&r->body, q.limit);
		add(&r->body, ",\"offset\":");
		addll(&r->body, q.offset);
		add(&r->body, ",\"next\":");
		if (r->link[0])
			ndjson_dump_string(&r->body, r->link, strlen(r->link));
		else
			add(&r->body, "null");
		add(&r->body, "}\n");
	}
	r->ctype = rq->ndjson ? "application/x-ndjson" : "application/json";
	r->total = total;
	r->status = 200;
}

int
serve_list(struct serve_req *rq, struct serve_reply *r)
{
	for (size_t i = 0; i < sizeof(endpoints) / sizeof(endpoints[0]); i++)
		if (strcmp(rq->path, endpoints[i].path) == 0) {
			list(rq, &endpoints[i], r);
			return 1;
		}
	return 0;
}
