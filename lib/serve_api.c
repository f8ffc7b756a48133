/*
 * serve_api.c: the answers of nc-serve's API from the store (SQLite or
 * PostgreSQL, through serve_db), read only.  Every value from a request
 * is checked, then bound: the SQL text is made only of the constant
 * fragments below and the backend's.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "nc.h"
#include "ndjson.h"
#include "serve.h"
#include "store.h"

#define MAX_VALUE 200           /* bytes of one parameter's value */

static void
add(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

static void
addll(struct strbuf *sb, long long v)
{
	char buf[24];

	strbuf_add(sb, buf, (size_t)ndjson_fmt_long(buf, v));
}

void
serve_error(struct serve_reply *r, int status, const char *error, const char *detail)
{
	r->status = status;
	r->ctype = "application/json";
	r->body.len = 0;
	r->etag[0] = r->link[0] = '\0';
	r->total = -1;
	add(&r->body, "{\"error\":");
	ndjson_dump_string(&r->body, error, strlen(error));
	add(&r->body, ",\"detail\":");
	ndjson_dump_string(&r->body, detail, strlen(detail));
	add(&r->body, "}\n");
}

int
serve_text_ok(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;

	while (p < e) {
		unsigned c = *p++;
		int more;
		unsigned min, cp;

		if (c < 0x20 || c == 0x7f)
			return 0;
		if (c < 0x80)
			continue;
		if (c >= 0xc2 && c <= 0xdf)
			more = 1, min = 0x80, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			more = 2, min = 0x800, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			more = 3, min = 0x10000, cp = c & 0x07;
		else
			return 0;
		if (e - p < more)
			return 0;
		for (int i = 0; i < more; i++, p++) {
			if ((*p & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (*p & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
	}
	return 1;
}

/* A store failure as a reply: 503 when it may pass (a lock, a store
 * not there yet, a server down), else 500; the handle is dropped so the
 * next request opens the store anew. */
static void
db_fail(struct serve_reply *r, struct serve_db **db, int rc, const char *what)
{
	char detail[320];

	snprintf(detail, sizeof(detail), "%s: %s", what, *db ? (*db)->err : "no store");
	if (rc == SERVE_DB_BUSY) {
		serve_error(r, 503, "store unavailable", detail);
		r->retry_after = 5;
	} else
		serve_error(r, 500, "store error", detail);
	serve_db_close(db);
}

/* Open the store for a request: 0, or -1 with a 503 reply. */
static int
db_open(struct serve_reply *r, struct serve_db **db, const char *where)
{
	char why[256];

	if (serve_db_open(db, where, why, sizeof(why)) == SERVE_DB_OK)
		return 0;
	serve_error(r, 503, "store unavailable", why);
	r->retry_after = 5;
	return -1;
}

/* Row callbacks: the first column as text (a 64-byte buffer, "" for
 * null), and records appended to a reply's body. */
static int
first_col(void *ctx, int ncols, const char *const *val, const size_t *len)
{
	char *out = ctx;

	(void)len;
	snprintf(out, 64, "%s", ncols > 0 && val[0] ? val[0] : "");
	return 1;
}

struct records {
	struct strbuf *body;
	int ndjson;
	long n;
};

static int
add_record(void *ctx, int ncols, const char *const *val, const size_t *len)
{
	struct records *rs = ctx;

	if (ncols < 1 || val[0] == NULL)
		return 0;
	if (!rs->ndjson && rs->n > 0)
		strbuf_addc(rs->body, ',');
	strbuf_add(rs->body, val[0], len[0]);
	if (rs->ndjson)
		strbuf_addc(rs->body, '\n');
	rs->n++;
	return 0;
}

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
	char val[SERVE_MAX_ARGS * 4][MAX_VALUE + 1];
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
		if (strlen(v) > MAX_VALUE)
			return bad(r, k, "too long");
		if (!serve_text_ok(v, strlen(v)))
			return bad(r, k, "not valid UTF-8 text");
		switch (p->kind) {
		case P_FIELD:
			q->cond[q->ncond++] = p;
			snprintf(q->val[q->nval++], MAX_VALUE + 1, "%s", v);
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
			char list[MAX_VALUE + 1], *save, *tok;
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
				snprintf(q->val[q->nval + n++], MAX_VALUE + 1, "%s", tok);
			}
			if (n == 0)
				return bad(r, k, "empty");
			/* Fill the four slots with the last level. */
			for (; n < 4; n++)
				memcpy(q->val[q->nval + n], q->val[q->nval + n - 1], MAX_VALUE + 1);
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

/* The dataset's last load id: 0 if it was never loaded, or a
 * SERVE_DB_ failure (negative). */
static long long
last_load(struct serve_db *db, const char *dataset)
{
	const char *p[1] = { dataset };
	char v[64] = "";
	int rc;

	rc = db->ops->query(db, "SELECT coalesce(max(load_id), 0) FROM nc_loads WHERE dataset = ?",
	    1, p, first_col, v);
	return rc != SERVE_DB_OK ? rc : strtoll(v, NULL, 10);
}

/* 1 if the etag is among If-None-Match's. */
static int
etag_matches(const char *inm, const char *etag)
{
	if (inm == NULL)
		return 0;
	if (strcmp(inm, "*") == 0)
		return 1;
	return strstr(inm, etag) != NULL;
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

/* A record's field in the backend's SQL. */
static void
add_field(struct strbuf *sb, const struct serve_db *db, const char *field)
{
	char buf[128];

	snprintf(buf, sizeof(buf), db->ops->field, field);
	add(sb, buf);
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
			add_field(sb, db, q->cond[i]->field);
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
	rc = db->ops->query(db, sb.s, 0, NULL, first_col, run);
	strbuf_release(&sb);
	*use_run = rc == SERVE_DB_OK && run[0] != '\0';
	return rc;
}

/*
 * The totals of lists, cached: a count reads every record of the run
 * that matches, while the page reads only its own.  A total depends only
 * on the query and its dataset's rows, which change only with a new load
 * of it: the key holds the dataset's last load id, so a load makes new
 * keys and the old ones are overwritten in time.
 */
#define COUNT_SLOTS 64
static struct {
	pthread_mutex_t mu;
	struct { struct strbuf key; long long total; } slot[COUNT_SLOTS];
} counts = { .mu = PTHREAD_MUTEX_INITIALIZER };

static void
count_key(struct strbuf *k, const char *sql, long long load, int np, const char *const *p)
{
	addll(k, load);
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
count_cached(const char *sql, long long load, int np, const char *const *p)
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
count_keep(const char *sql, long long load, int np, const char *const *p, long long total)
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
	struct records rs = { &r->body, rq->ndjson, 0 };
	const char *p[SERVE_MAX_ARGS * 4 + 4];
	char run[64], total_s[64] = "0";
	long long load, total;
	int use_run, rc, np;

	if (check_args(rq, ep->params, &q, r) != 0)
		return;
	if (db_open(r, rq->db, rq->dbpath) != 0)
		return;
	db = *rq->db;
	/* One read transaction: the count and the page see the same loads. */
	if ((rc = db->ops->begin(db)) != SERVE_DB_OK ||
	    (rc = (int)(load = last_load(db, ep->dataset))) < 0) {
		db_fail(r, rq->db, rc, "nc_loads");
		return;
	}
	if (load == 0) {
		db->ops->end(db);
		serve_error(r, 503, "not loaded", ep->dataset);
		r->retry_after = 60;
		return;
	}
	snprintf(r->etag, sizeof(r->etag), "\"%s-%lld-%c\"", ep->dataset, load,
	    rq->ndjson ? 'n' : 'j');
	if (etag_matches(rq->if_none_match, r->etag)) {
		db->ops->end(db);
		r->status = 304;
		return;
	}
	if ((rc = pick_run(db, ep, &q, run, &use_run)) != SERVE_DB_OK) {
		db_fail(r, rq->db, rc, ep->dataset);
		return;
	}
	build_sql(&sql, db, ep, &q, "count(*)", use_run, 0);
	np = query_params(&q, use_run ? run : NULL, 0, p);
	if ((total = count_cached(sql.s, load, np, p)) < 0) {
		rc = db->ops->query(db, sql.s, np, p, first_col, total_s);
		if (rc != SERVE_DB_OK) {
			strbuf_release(&sql);
			db_fail(r, rq->db, rc, ep->dataset);
			return;
		}
		total = strtoll(total_s, NULL, 10);
		count_keep(sql.s, load, np, p, total);
	}

	sql.len = 0;
	build_sql(&sql, db, ep, &q, "record", use_run, 1);
	np = query_params(&q, use_run ? run : NULL, 1, p);
	if (!rq->ndjson)
		add(&r->body, "{\"items\":[");
	rc = db->ops->query(db, sql.s, np, p, add_record, &rs);
	strbuf_release(&sql);
	if (rc != SERVE_DB_OK) {
		db_fail(r, rq->db, rc, ep->dataset);
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

/* Append "name":[records of ds in its newest run with item_id = id]
 * (none when ds was never loaded: its table may not exist). */
static int
item_part(struct serve_db *db, const char *name, const char *ds, long long loaded,
    const char *id, const char *limit, struct serve_reply *r, long *count)
{
	struct strbuf sql = { 0 };
	struct records rs = { &r->body, 0, 0 };
	const char *p[2] = { id, limit };
	int rc = SERVE_DB_OK;

	add(&r->body, ",\"");
	add(&r->body, name);
	add(&r->body, "\":[");
	if (loaded > 0) {
		add(&sql, "SELECT record FROM \"");
		add(&sql, ds);
		add(&sql, "\" WHERE _partition ");
		add(&sql, db->ops->same);
		add(&sql, " (SELECT max(_partition) FROM \"");
		add(&sql, ds);
		add(&sql, "\") AND ");
		add_field(&sql, db, "item_id");
		add(&sql, " = ? ORDER BY _seq LIMIT CAST(? AS INTEGER)");
		strbuf_addc(&sql, '\0');
		rc = db->ops->query(db, sql.s, 2, p, add_record, &rs);
		strbuf_release(&sql);
	}
	add(&r->body, "]");
	*count += rs.n;
	return rc;
}

/* The item's name as a JSON string, from its newest reorder record. */
static int
item_name(void *ctx, int ncols, const char *const *val, const size_t *len)
{
	struct serve_reply *r = ctx;

	if (ncols > 0 && val[0] != NULL) {
		r->body.len -= 4;           /* the "null" put before */
		ndjson_dump_string(&r->body, val[0], len[0]);
	}
	return 1;
}

/* 1 if the dataset's keys (nc_datasets) have item_id: its column is
 * indexed, so an item's rows are found without reading the table. */
static int
keyed_by_item(struct serve_db *db, const char *ds, int *yes)
{
	const char *p[1] = { ds };
	char keys[64] = "";
	int rc;

	rc = db->ops->query(db, "SELECT keys FROM nc_datasets WHERE dataset = ?", 1, p,
	    first_col, keys);
	*yes = strncmp(keys, "item_id,", 8) == 0 || strcmp(keys, "item_id") == 0;
	return rc;
}

/* Append ,"history":[the item's newest HISTORY_DAYS records of silver,
 * the daily demand, newest first], when silver is keyed by item_id. */
#define HISTORY_DAYS "180"
static int
item_history(struct serve_db *db, long long loaded, const char *id, struct serve_reply *r,
    long *count)
{
	struct records rs = { &r->body, 0, 0 };
	const char *p[1] = { id };
	int rc = SERVE_DB_OK, keyed = 0;

	add(&r->body, ",\"history\":[");
	if (loaded > 0 && (rc = keyed_by_item(db, "silver", &keyed)) == SERVE_DB_OK && keyed)
		rc = db->ops->query(db, "SELECT record FROM silver WHERE \"item_id\" = ?"
		    " ORDER BY date DESC LIMIT " HISTORY_DAYS, 1, p, add_record, &rs);
	add(&r->body, "]");
	*count += rs.n;
	return rc;
}

static void
item(struct serve_req *rq, const char *id, struct serve_reply *r)
{
	static const char *const limits[] = { "1000", "100", "100" };
	long long load = 0, loaded[3], silver;
	long count = 0;
	struct serve_db *db;
	struct strbuf sql = { 0 };
	const char *p[1] = { id };
	int rc = SERVE_DB_OK;

	if (rq->too_many || rq->nargs > 0) {
		serve_error(r, 400, "unknown parameter",
		    "/api/v1/items/{item_id} takes no parameters");
		return;
	}
	if (*id == '\0' || strlen(id) > MAX_VALUE || !serve_text_ok(id, strlen(id))) {
		serve_error(r, 400, "bad parameter", "item_id: empty, too long or not UTF-8 text");
		return;
	}
	if (db_open(r, rq->db, rq->dbpath) != 0)
		return;
	db = *rq->db;
	if ((rc = db->ops->begin(db)) != SERVE_DB_OK) {
		db_fail(r, rq->db, rc, "begin");
		return;
	}
	for (size_t i = 0; i < sizeof(endpoints) / sizeof(endpoints[0]); i++) {
		if ((loaded[i] = last_load(db, endpoints[i].dataset)) < 0) {
			db_fail(r, rq->db, (int)loaded[i], "nc_loads");
			return;
		}
		load = loaded[i] > load ? loaded[i] : load;
	}
	if ((silver = last_load(db, "silver")) < 0) {
		db_fail(r, rq->db, (int)silver, "nc_loads");
		return;
	}
	load = silver > load ? silver : load;
	snprintf(r->etag, sizeof(r->etag), "\"items-%lld\"", load);
	if (etag_matches(rq->if_none_match, r->etag)) {
		db->ops->end(db);
		r->status = 304;
		return;
	}
	add(&r->body, "{\"item_id\":");
	ndjson_dump_string(&r->body, id, strlen(id));
	add(&r->body, ",\"item_name\":null");
	if (loaded[1] > 0) {
		add(&sql, "SELECT ");
		add_field(&sql, db, "item_name");
		add(&sql, " FROM reorder WHERE ");
		add_field(&sql, db, "item_id");
		add(&sql, " = ? AND ");
		add_field(&sql, db, "item_name");
		add(&sql, " IS NOT NULL ORDER BY _seq DESC LIMIT 1");
		strbuf_addc(&sql, '\0');
		rc = db->ops->query(db, sql.s, 1, p, item_name, r);
		strbuf_release(&sql);
	}
	for (size_t i = 0; rc == SERVE_DB_OK && i < sizeof(endpoints) / sizeof(endpoints[0]); i++)
		rc = item_part(db, endpoints[i].path, endpoints[i].dataset, loaded[i], id,
		    limits[i], r, &count);
	if (rc == SERVE_DB_OK)
		rc = item_history(db, silver, id, r, &count);
	if (rc != SERVE_DB_OK) {
		db_fail(r, rq->db, rc, "item");
		return;
	}
	db->ops->end(db);
	add(&r->body, "}\n");
	if (count == 0) {
		serve_error(r, 404, "not found", "no forecast, reorder record or alert of that item");
		return;
	}
	r->status = 200;
}

void
serve_api(struct serve_req *rq, struct serve_reply *r)
{
	for (size_t i = 0; i < sizeof(endpoints) / sizeof(endpoints[0]); i++)
		if (strcmp(rq->path, endpoints[i].path) == 0) {
			list(rq, &endpoints[i], r);
			return;
		}
	if (strncmp(rq->path, "items/", 6) == 0 && strchr(rq->path + 6, '/') == NULL) {
		item(rq, rq->path + 6, r);
		return;
	}
	serve_error(r, 404, "not found", "no such endpoint");
}

/* One dataset's last load as JSON. */
static int
health_load(void *ctx, int ncols, const char *const *val, const size_t *len)
{
	struct serve_reply *r = ctx;
	struct tm tm = { 0 };
	long long age = -1;

	(void)len;
	if (ncols < 4)
		return 1;
	add(&r->body, "{\"load_id\":");
	add(&r->body, val[0] ? val[0] : "null");
	add(&r->body, ",\"partition\":");
	if (val[1])
		ndjson_dump_string(&r->body, val[1], strlen(val[1]));
	else
		add(&r->body, "null");
	add(&r->body, ",\"rows\":");
	addll(&r->body, val[2] ? strtoll(val[2], NULL, 10) : 0);
	add(&r->body, ",\"loaded_at\":");
	if (val[3]) {
		ndjson_dump_string(&r->body, val[3], strlen(val[3]));
		if (strptime(val[3], "%Y-%m-%dT%H:%M:%SZ", &tm) != NULL)
			age = (long long)(time(NULL) - timegm(&tm));
	} else
		add(&r->body, "null");
	add(&r->body, ",\"age_seconds\":");
	if (age >= 0)
		addll(&r->body, age);
	else
		add(&r->body, "null");
	strbuf_addc(&r->body, '}');
	return 1;
}

void
serve_health(struct serve_db **dbp, const char *dbpath, struct serve_reply *r)
{
	static const char *const gold[] = { "forecasts", "reorder", "alerts" };
	struct serve_db *db;
	int rc;

	if (db_open(r, dbp, dbpath) != 0)
		return;
	db = *dbp;
	add(&r->body, "{\"status\":\"ok\",\"version\":\"" NC_VERSION "\",\"store\":\"");
	add(&r->body, db->ops->kind);
	add(&r->body, "\",\"datasets\":{");
	for (size_t i = 0; i < sizeof(gold) / sizeof(gold[0]); i++) {
		const char *p[1] = { gold[i] };
		size_t before;

		if (i > 0)
			strbuf_addc(&r->body, ',');
		strbuf_addc(&r->body, '"');
		add(&r->body, gold[i]);
		add(&r->body, "\":");
		before = r->body.len;
		rc = db->ops->query(db, "SELECT load_id, partition, rows, loaded_at FROM nc_loads"
		    " WHERE dataset = ? ORDER BY load_id DESC LIMIT 1", 1, p, health_load, r);
		if (rc != SERVE_DB_OK) {
			db_fail(r, dbp, rc, "nc_loads");
			return;
		}
		if (r->body.len == before)
			add(&r->body, "null");
	}
	add(&r->body, "}}\n");
	r->status = 200;
}
