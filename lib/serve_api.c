/*
 * serve_api.c: the answers of nc-serve's API from the store (SQLite or
 * PostgreSQL, through serve_db), read only: the routing of /api/v1/,
 * GET /health, and what the endpoints share (errors, the store's
 * failures as replies, row callbacks, load ids, ETags).  The lists are
 * in serve_list.c, an item's view in serve_item.c.  Every value from a
 * request is checked, then bound: the SQL text is made only of constant
 * fragments and the backend's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nc.h"
#include "ndjson.h"
#include "serve_api.h"

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
void
serve_api_fail(struct serve_reply *r, struct serve_db **db, int rc, const char *what)
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
int
serve_api_open(struct serve_reply *r, struct serve_db **db, const char *where)
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
int
serve_first_col(void *ctx, int ncols, const char *const *val, const size_t *len)
{
	char *out = ctx;

	(void)len;
	snprintf(out, 64, "%s", ncols > 0 && val[0] ? val[0] : "");
	return 1;
}

int
serve_add_record(void *ctx, int ncols, const char *const *val, const size_t *len)
{
	struct serve_records *rs = ctx;

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

/* The dataset's last load id: 0 if it was never loaded, or a
 * SERVE_DB_ failure (negative). */
struct last_load {
	long long id;
	char *tag;
};

static int
last_load_row(void *ctx, int ncols, const char *const *val, const size_t *len)
{
	struct last_load *ll = ctx;

	(void)len;
	if (ncols >= 2 && val[0] != NULL) {
		ll->id = strtoll(val[0], NULL, 10);
		if (ll->tag != NULL)
			snprintf(ll->tag, SERVE_TAG_SIZE, "%.8s", val[1] ? val[1] : "");
	}
	return 1;
}

long long
serve_last_load(struct serve_db *db, const char *dataset, char tag[SERVE_TAG_SIZE])
{
	const char *p[1] = { dataset };
	struct last_load ll = { 0, tag };
	int rc;

	if (tag != NULL)
		tag[0] = '\0';
	/* max() over the (dataset, partition) index, then one row by its id. */
	rc = db->ops->query(db, "SELECT load_id, sha256 FROM nc_loads WHERE load_id ="
	    " (SELECT max(load_id) FROM nc_loads WHERE dataset = ?)", 1, p, last_load_row, &ll);
	return rc != SERVE_DB_OK ? rc : ll.id;
}

/* 1 if the etag is among If-None-Match's. */
int
serve_etag_matches(const char *inm, const char *etag)
{
	if (inm == NULL)
		return 0;
	if (strcmp(inm, "*") == 0)
		return 1;
	return strstr(inm, etag) != NULL;
}

/* A record's field in the backend's SQL. */
void
serve_add_field(struct strbuf *sb, const struct serve_db *db, const char *field)
{
	char buf[128];

	snprintf(buf, sizeof(buf), db->ops->field, field);
	add(sb, buf);
}

void
serve_api(struct serve_req *rq, struct serve_reply *r)
{
	if (serve_list(rq, r))
		return;
	if (strncmp(rq->path, "items/", 6) == 0 && strchr(rq->path + 6, '/') == NULL) {
		serve_item(rq, rq->path + 6, r);
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

	if (serve_api_open(r, dbp, dbpath) != 0)
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
			serve_api_fail(r, dbp, rc, "nc_loads");
			return;
		}
		if (r->body.len == before)
			add(&r->body, "null");
	}
	add(&r->body, "}}\n");
	r->status = 200;
}
