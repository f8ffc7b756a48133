/*
 * serve_api.c: the answers of nc-serve's API from a SQLite store, read
 * only.  Every value from a request is checked, then bound: the SQL text
 * is made only of the constant fragments below.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "date.h"
#include "nc.h"
#include "ndjson.h"
#include "serve.h"

#define BUSY_MS 2000            /* a load's commit, at most */
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

int
serve_db_open(sqlite3 **db, const char *path, char *why, size_t whysize)
{
	if (*db != NULL)
		return 0;
	if (sqlite3_open_v2(path, db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK) {
		snprintf(why, whysize, "cannot open the store: %s",
		    *db ? sqlite3_errmsg(*db) : "out of memory");
		sqlite3_close(*db);
		*db = NULL;
		return -1;
	}
	sqlite3_busy_timeout(*db, BUSY_MS);
	/* A cache per connection: small, the kernel's page cache is shared. */
	sqlite3_exec(*db, "PRAGMA cache_size = -256", NULL, NULL, NULL);
	return 0;
}

/* A database failure as a reply: 503 when it may pass (a lock, a store
 * not there yet), else 500; the handle is dropped so the next request
 * opens the file anew. */
static void
db_fail(struct serve_reply *r, sqlite3 **db, const char *what)
{
	int rc = *db ? sqlite3_errcode(*db) : SQLITE_CANTOPEN;
	char detail[256];

	snprintf(detail, sizeof(detail), "%s: %s", what,
	    *db ? sqlite3_errmsg(*db) : "no store");
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED || rc == SQLITE_CANTOPEN ||
	    rc == SQLITE_ERROR || rc == SQLITE_NOTADB || rc == SQLITE_IOERR) {
		serve_error(r, 503, "store unavailable", detail);
		r->retry_after = 5;
	} else
		serve_error(r, 500, "store error", detail);
	sqlite3_exec(*db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(*db);
	*db = NULL;
}

/* The parameters an endpoint takes. */
enum pkind { P_FIELD, P_DATE_GE, P_DATE_LE, P_LEVEL, P_SINCE, P_ASOF, P_LIMIT, P_OFFSET };

struct param {
	const char *name;
	enum pkind kind;
	const char *sql;        /* the condition, with one ? per value */
};

struct endpoint {
	const char *path, *dataset;
	const struct param *params;
	const char *order;
};

#define FIELD(f) { f, P_FIELD, "json_extract(record, '$." f "') = ?" }
#define PAGING { "as_of", P_ASOF, NULL }, { "limit", P_LIMIT, NULL }, \
	{ "offset", P_OFFSET, NULL }

static const struct param fc_params[] = {
	FIELD("item_id"), FIELD("site_id"), FIELD("family"),
	{ "start_date", P_DATE_GE, "date >= ?" },
	{ "end_date", P_DATE_LE, "date <= ?" },
	PAGING, { NULL, 0, NULL }
};
static const struct param ro_params[] = {
	FIELD("item_id"), FIELD("site_id"), FIELD("family"), FIELD("stocking"),
	PAGING, { NULL, 0, NULL }
};
static const struct param al_params[] = {
	FIELD("item_id"), FIELD("site_id"), FIELD("family"),
	{ "level", P_LEVEL, "json_extract(record, '$.level') IN (?, ?, ?, ?)" },
	{ "since", P_SINCE, "json_extract(record, '$.created_at') >= ?" },
	PAGING, { NULL, 0, NULL }
};

static const struct endpoint endpoints[] = {
	{ "forecasts", "forecasts", fc_params, "_seq" },
	{ "reorder", "reorder", ro_params, "_seq" },
	{ "alerts", "alerts", al_params, "_seq" },
};

static const char *const levels[] = { "VERDE", "AMARELO", "VERMELHO", "ENCOMENDA" };

/* The query's conditions and their values, checked. */
struct query {
	const char *cond[SERVE_MAX_ARGS];
	char val[SERVE_MAX_ARGS * 4][MAX_VALUE + 1];
	int ncond, nval;
	char as_of[DATE_BUFSZ];
	int has_as_of, has_since;
	long limit, offset;
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
			q->cond[q->ncond++] = p->sql;
			snprintf(q->val[q->nval++], MAX_VALUE + 1, "%s", v);
			break;
		case P_DATE_GE:
		case P_DATE_LE:
			if (parse_date(v, q->val[q->nval]) != 0)
				return bad(r, k, "not a date (YYYY-MM-DD)");
			q->cond[q->ncond++] = p->sql;
			q->nval++;
			break;
		case P_SINCE:
			if (parse_since(v, q->val[q->nval]) != 0)
				return bad(r, k, "not a date or a timestamp (YYYY-MM-DDTHH:MM:SSZ)");
			q->cond[q->ncond++] = p->sql;
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
			q->cond[q->ncond++] = p->sql;
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

static int
prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
	return sqlite3_prepare_v2(db, sql, -1, st, NULL) == SQLITE_OK ? 0 : -1;
}

/* The dataset's last load id: 0 if it was never loaded, -1 on failure. */
static long long
last_load(sqlite3 *db, const char *dataset)
{
	sqlite3_stmt *st;
	long long id = -1;

	if (prepare(db, "SELECT coalesce(max(load_id), 0) FROM nc_loads WHERE dataset = ?",
	    &st) != 0)
		return -1;
	sqlite3_bind_text(st, 1, dataset, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
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

/* Build "SELECT what FROM ds WHERE ..." for the query. */
static void
build_sql(struct strbuf *sb, const struct endpoint *ep, const struct query *q,
    const char *what, int run, int page)
{
	add(sb, "SELECT ");
	add(sb, what);
	add(sb, " FROM \"");
	add(sb, ep->dataset);
	add(sb, "\" WHERE 1");
	if (run)
		add(sb, " AND _partition IS ?");
	for (int i = 0; i < q->ncond; i++) {
		add(sb, " AND ");
		add(sb, q->cond[i]);
	}
	if (page) {
		add(sb, " ORDER BY ");
		add(sb, ep->order);
		add(sb, " LIMIT ? OFFSET ?");
	}
	strbuf_addc(sb, '\0');
}

static void
bind_query(sqlite3_stmt *st, const struct query *q, const char *run, int page)
{
	int b = 1;

	if (run != NULL)
		sqlite3_bind_text(st, b++, run, -1, SQLITE_TRANSIENT);
	for (int i = 0; i < q->nval; i++)
		sqlite3_bind_text(st, b++, q->val[i], -1, SQLITE_STATIC);
	if (page) {
		sqlite3_bind_int64(st, b++, q->limit);
		sqlite3_bind_int64(st, b, q->offset);
	}
}

/*
 * The run to answer from: as_of, or the newest partition; *use_run is 0
 * when the dataset has no partitions, or for alerts with since= and no
 * as_of (every run).
 */
static int
pick_run(sqlite3 *db, const struct endpoint *ep, const struct query *q,
    char run[DATE_BUFSZ + 32], int *use_run)
{
	struct strbuf sb = { 0 };
	sqlite3_stmt *st;
	int rc;

	*use_run = 0;
	if (q->has_as_of) {
		snprintf(run, DATE_BUFSZ + 32, "%s", q->as_of);
		*use_run = 1;
		return 0;
	}
	if (q->has_since)
		return 0;
	add(&sb, "SELECT max(_partition) FROM \"");
	add(&sb, ep->dataset);
	add(&sb, "\"");
	strbuf_addc(&sb, '\0');
	rc = prepare(db, sb.s, &st);
	strbuf_release(&sb);
	if (rc != 0)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		snprintf(run, DATE_BUFSZ + 32, "%s", (const char *)sqlite3_column_text(st, 0));
		*use_run = 1;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static void
list(struct serve_req *rq, const struct endpoint *ep, struct serve_reply *r)
{
	struct query q = { 0 };
	struct strbuf sql = { 0 };
	sqlite3_stmt *st;
	char why[256], run[DATE_BUFSZ + 32];
	long long load, total = 0;
	long n = 0;
	int use_run, rc;

	if (check_args(rq, ep->params, &q, r) != 0)
		return;
	if (serve_db_open(rq->db, rq->dbpath, why, sizeof(why)) != 0) {
		serve_error(r, 503, "store unavailable", why);
		r->retry_after = 5;
		return;
	}
	/* One read transaction: the count and the page see the same loads. */
	if (sqlite3_exec(*rq->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    (load = last_load(*rq->db, ep->dataset)) < 0) {
		db_fail(r, rq->db, "nc_loads");
		return;
	}
	if (load == 0) {
		sqlite3_exec(*rq->db, "ROLLBACK", NULL, NULL, NULL);
		serve_error(r, 503, "not loaded", ep->dataset);
		r->retry_after = 60;
		return;
	}
	snprintf(r->etag, sizeof(r->etag), "\"%s-%lld-%c\"", ep->dataset, load,
	    rq->ndjson ? 'n' : 'j');
	if (etag_matches(rq->if_none_match, r->etag)) {
		sqlite3_exec(*rq->db, "ROLLBACK", NULL, NULL, NULL);
		r->status = 304;
		return;
	}
	if (pick_run(*rq->db, ep, &q, run, &use_run) != 0) {
		db_fail(r, rq->db, ep->dataset);
		return;
	}
	build_sql(&sql, ep, &q, "count(*)", use_run, 0);
	if (prepare(*rq->db, sql.s, &st) != 0) {
		strbuf_release(&sql);
		db_fail(r, rq->db, ep->dataset);
		return;
	}
	bind_query(st, &q, use_run ? run : NULL, 0);
	if (sqlite3_step(st) == SQLITE_ROW)
		total = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);

	sql.len = 0;
	build_sql(&sql, ep, &q, "record", use_run, 1);
	rc = prepare(*rq->db, sql.s, &st);
	strbuf_release(&sql);
	if (rc != 0) {
		db_fail(r, rq->db, ep->dataset);
		return;
	}
	bind_query(st, &q, use_run ? run : NULL, 1);
	if (!rq->ndjson)
		add(&r->body, "{\"items\":[");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!rq->ndjson && n > 0)
			strbuf_addc(&r->body, ',');
		strbuf_add(&r->body, (const char *)sqlite3_column_text(st, 0),
		    (size_t)sqlite3_column_bytes(st, 0));
		if (rq->ndjson)
			strbuf_addc(&r->body, '\n');
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		db_fail(r, rq->db, ep->dataset);
		return;
	}
	sqlite3_exec(*rq->db, "COMMIT", NULL, NULL, NULL);
	if (q.offset + n < total)
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

/* Append "name":[records of ds in its newest run with item_id = id]. */
static int
item_part(sqlite3 *db, const char *name, const char *ds, const char *id, int limit,
    struct serve_reply *r, long *count)
{
	struct strbuf sql = { 0 };
	sqlite3_stmt *st;
	int rc, n = 0;

	add(&sql, "SELECT record FROM \"");
	add(&sql, ds);
	add(&sql, "\" WHERE _partition IS (SELECT max(_partition) FROM \"");
	add(&sql, ds);
	add(&sql, "\") AND json_extract(record, '$.item_id') = ? ORDER BY _seq LIMIT ?");
	strbuf_addc(&sql, '\0');
	rc = prepare(db, sql.s, &st);
	strbuf_release(&sql);
	add(&r->body, ",\"");
	add(&r->body, name);
	add(&r->body, "\":[");
	if (rc != 0) {
		/* A dataset never loaded: no such table, nothing of it. */
		if (strstr(sqlite3_errmsg(db), "no such table") != NULL) {
			add(&r->body, "]");
			return 0;
		}
		return -1;
	}
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n++ > 0)
			strbuf_addc(&r->body, ',');
		strbuf_add(&r->body, (const char *)sqlite3_column_text(st, 0),
		    (size_t)sqlite3_column_bytes(st, 0));
	}
	sqlite3_finalize(st);
	add(&r->body, "]");
	*count += n;
	return rc == SQLITE_DONE ? 0 : -1;
}

static void
item(struct serve_req *rq, const char *id, struct serve_reply *r)
{
	char why[256];
	long long load = 0, l;
	long count = 0;
	sqlite3_stmt *st;

	if (rq->too_many || rq->nargs > 0) {
		serve_error(r, 400, "unknown parameter",
		    "/api/v1/items/{item_id} takes no parameters");
		return;
	}
	if (*id == '\0' || strlen(id) > MAX_VALUE || !serve_text_ok(id, strlen(id))) {
		serve_error(r, 400, "bad parameter", "item_id: empty, too long or not UTF-8 text");
		return;
	}
	if (serve_db_open(rq->db, rq->dbpath, why, sizeof(why)) != 0) {
		serve_error(r, 503, "store unavailable", why);
		r->retry_after = 5;
		return;
	}
	if (sqlite3_exec(*rq->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		db_fail(r, rq->db, "begin");
		return;
	}
	for (size_t i = 0; i < sizeof(endpoints) / sizeof(endpoints[0]); i++) {
		if ((l = last_load(*rq->db, endpoints[i].dataset)) < 0) {
			db_fail(r, rq->db, "nc_loads");
			return;
		}
		load = l > load ? l : load;
	}
	snprintf(r->etag, sizeof(r->etag), "\"items-%lld\"", load);
	if (etag_matches(rq->if_none_match, r->etag)) {
		sqlite3_exec(*rq->db, "ROLLBACK", NULL, NULL, NULL);
		r->status = 304;
		return;
	}
	add(&r->body, "{\"item_id\":");
	ndjson_dump_string(&r->body, id, strlen(id));
	add(&r->body, ",\"item_name\":");
	/* The name, from the newest reorder record, else an alert. */
	if (prepare(*rq->db, "SELECT json_extract(record, '$.item_name') FROM reorder"
	    " WHERE json_extract(record, '$.item_id') = ?"
	    " AND json_extract(record, '$.item_name') IS NOT NULL"
	    " ORDER BY _seq DESC LIMIT 1", &st) == 0) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			const char *name = (const char *)sqlite3_column_text(st, 0);
			ndjson_dump_string(&r->body, name, strlen(name));
		} else
			add(&r->body, "null");
		sqlite3_finalize(st);
	} else
		add(&r->body, "null");
	if (item_part(*rq->db, "forecasts", "forecasts", id, 1000, r, &count) != 0 ||
	    item_part(*rq->db, "reorder", "reorder", id, 100, r, &count) != 0 ||
	    item_part(*rq->db, "alerts", "alerts", id, 100, r, &count) != 0) {
		db_fail(r, rq->db, "item");
		return;
	}
	sqlite3_exec(*rq->db, "COMMIT", NULL, NULL, NULL);
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

void
serve_health(sqlite3 **db, const char *dbpath, struct serve_reply *r)
{
	static const char *const gold[] = { "forecasts", "reorder", "alerts" };
	char why[256];
	sqlite3_stmt *st;
	time_t now = time(NULL);

	if (serve_db_open(db, dbpath, why, sizeof(why)) != 0) {
		serve_error(r, 503, "store unavailable", why);
		r->retry_after = 5;
		return;
	}
	if (prepare(*db, "SELECT load_id, partition, rows, loaded_at FROM nc_loads"
	    " WHERE dataset = ? ORDER BY load_id DESC LIMIT 1", &st) != 0) {
		db_fail(r, db, "nc_loads");
		return;
	}
	add(&r->body, "{\"status\":\"ok\",\"version\":\"" NC_VERSION "\",\"store\":\"sqlite\","
	    "\"datasets\":{");
	for (size_t i = 0; i < sizeof(gold) / sizeof(gold[0]); i++) {
		int rc;

		sqlite3_bind_text(st, 1, gold[i], -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (i > 0)
			strbuf_addc(&r->body, ',');
		strbuf_addc(&r->body, '"');
		add(&r->body, gold[i]);
		add(&r->body, "\":");
		if (rc == SQLITE_ROW) {
			const char *part = (const char *)sqlite3_column_text(st, 1);
			const char *at = (const char *)sqlite3_column_text(st, 3);
			struct tm tm = { 0 };
			long long age = -1;

			add(&r->body, "{\"load_id\":");
			addll(&r->body, sqlite3_column_int64(st, 0));
			add(&r->body, ",\"partition\":");
			if (part)
				ndjson_dump_string(&r->body, part, strlen(part));
			else
				add(&r->body, "null");
			add(&r->body, ",\"rows\":");
			addll(&r->body, sqlite3_column_int64(st, 2));
			add(&r->body, ",\"loaded_at\":");
			if (at) {
				ndjson_dump_string(&r->body, at, strlen(at));
				if (strptime(at, "%Y-%m-%dT%H:%M:%SZ", &tm) != NULL)
					age = (long long)(now - timegm(&tm));
			} else
				add(&r->body, "null");
			add(&r->body, ",\"age_seconds\":");
			if (age >= 0)
				addll(&r->body, age);
			else
				add(&r->body, "null");
			strbuf_addc(&r->body, '}');
		} else if (rc == SQLITE_DONE)
			add(&r->body, "null");
		else {
			sqlite3_finalize(st);
			db_fail(r, db, "nc_loads");
			return;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	add(&r->body, "}}\n");
	r->status = 200;
}
