/*
 * serve_item.c: GET /api/v1/items/{item_id}: the item's name, its
 * records in the newest run of forecasts, reorder and alerts, and its
 * daily demand from silver.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nc.h"
#include "ndjson.h"
#include "serve_api.h"

/* The datasets of an item's view, and how many of its records each. */
static const struct {
	const char *name, *limit;
} parts[] = { { "forecasts", "1000" }, { "reorder", "100" }, { "alerts", "100" } };

/* Append "name":[records of ds in its newest run with item_id = id]
 * (none when ds was never loaded: its table may not exist). */
static int
item_part(struct serve_db *db, const char *name, const char *ds, long long loaded,
    const char *id, const char *limit, struct serve_reply *r, long *count)
{
	struct strbuf sql = { 0 };
	struct serve_records rs = { &r->body, 0, 0 };
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
		serve_add_field(&sql, db, "item_id");
		add(&sql, " = ? ORDER BY _seq LIMIT CAST(? AS INTEGER)");
		strbuf_addc(&sql, '\0');
		rc = db->ops->query(db, sql.s, 2, p, serve_add_record, &rs);
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
	    serve_first_col, keys);
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
	struct serve_records rs = { &r->body, 0, 0 };
	const char *p[1] = { id };
	int rc = SERVE_DB_OK, keyed = 0;

	add(&r->body, ",\"history\":[");
	if (loaded > 0 && (rc = keyed_by_item(db, "silver", &keyed)) == SERVE_DB_OK && keyed)
		rc = db->ops->query(db, "SELECT record FROM silver WHERE \"item_id\" = ?"
		    " ORDER BY date DESC LIMIT " HISTORY_DAYS, 1, p, serve_add_record, &rs);
	add(&r->body, "]");
	*count += rs.n;
	return rc;
}

void
serve_item(struct serve_req *rq, const char *id, struct serve_reply *r)
{
	long long load = 0, loaded[3], silver;
	char tag[SERVE_TAG_SIZE], newest[SERVE_TAG_SIZE] = "";
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
	if (*id == '\0' || strlen(id) > SERVE_MAX_VALUE || !serve_text_ok(id, strlen(id))) {
		serve_error(r, 400, "bad parameter", "item_id: empty, too long or not UTF-8 text");
		return;
	}
	if (serve_api_open(r, rq->db, rq->dbpath) != 0)
		return;
	db = *rq->db;
	if ((rc = db->ops->begin(db)) != SERVE_DB_OK) {
		serve_api_fail(r, rq->db, rc, "begin");
		return;
	}
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if ((loaded[i] = serve_last_load(db, parts[i].name, tag)) < 0) {
			serve_api_fail(r, rq->db, (int)loaded[i], "nc_loads");
			return;
		}
		if (loaded[i] > load) {
			load = loaded[i];
			memcpy(newest, tag, sizeof(newest));
		}
	}
	if ((silver = serve_last_load(db, "silver", tag)) < 0) {
		serve_api_fail(r, rq->db, (int)silver, "nc_loads");
		return;
	}
	if (silver > load) {
		load = silver;
		memcpy(newest, tag, sizeof(newest));
	}
	snprintf(r->etag, sizeof(r->etag), "\"items-%lld-%s\"", load, newest);
	if (serve_etag_matches(rq->if_none_match, r->etag)) {
		db->ops->end(db);
		r->status = 304;
		return;
	}
	add(&r->body, "{\"item_id\":");
	ndjson_dump_string(&r->body, id, strlen(id));
	add(&r->body, ",\"item_name\":null");
	if (loaded[1] > 0) {
		add(&sql, "SELECT ");
		serve_add_field(&sql, db, "item_name");
		add(&sql, " FROM reorder WHERE ");
		serve_add_field(&sql, db, "item_id");
		add(&sql, " = ? AND ");
		serve_add_field(&sql, db, "item_name");
		add(&sql, " IS NOT NULL ORDER BY _seq DESC LIMIT 1");
		strbuf_addc(&sql, '\0');
		rc = db->ops->query(db, sql.s, 1, p, item_name, r);
		strbuf_release(&sql);
	}
	for (size_t i = 0; rc == SERVE_DB_OK && i < sizeof(parts) / sizeof(parts[0]); i++)
		rc = item_part(db, parts[i].name, parts[i].name, loaded[i], id,
		    parts[i].limit, r, &count);
	if (rc == SERVE_DB_OK)
		rc = item_history(db, silver, id, r, &count);
	if (rc != SERVE_DB_OK) {
		serve_api_fail(r, rq->db, rc, "item");
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
