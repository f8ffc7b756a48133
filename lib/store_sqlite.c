/*
 * store_sqlite.c: the SQLite backend of store.h: one file, WAL, a busy
 * timeout, loads in BEGIN IMMEDIATE transactions (so that two loads at
 * once wait for each other instead of failing "database is locked").
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "nc.h"
#include "ndjson.h"
#include "store.h"

#define BUSY_TIMEOUT_MS (10 * 60 * 1000)   /* an overlapping cron run */

struct sq {
	struct store base;
	sqlite3 *db;
	sqlite3_stmt *ins;
	sqlite3_stmt *del;      /* a key with a null: NULLs are distinct */
	char *path;
	long long load_id;
	struct store_load *load;
};

static void
die(struct sq *q, const char *what)
{
	errx(NC_FAIL, "error: %s: %s: %s", q->path, what, sqlite3_errmsg(q->db));
}

static void
exec(struct sq *q, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(q->db, sql, NULL, NULL, &msg) != SQLITE_OK)
		errx(NC_FAIL, "error: %s: %s", q->path, msg ? msg : sqlite3_errmsg(q->db));
}

static sqlite3_stmt *
prepare(struct sq *q, const char *sql)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK)
		die(q, "prepare");
	return st;
}

static void
bind_text(struct sq *q, sqlite3_stmt *st, int i, const char *s, size_t n)
{
	int rc = s ? sqlite3_bind_text(st, i, s, (int)n, SQLITE_STATIC) :
	    sqlite3_bind_null(st, i);

	if (rc != SQLITE_OK)
		die(q, "bind");
}

/* Run st to its end (it may return rows, which are ignored) and reset. */
static void
step_done(struct sq *q, sqlite3_stmt *st)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE)
		die(q, "step");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS nc_meta (key TEXT PRIMARY KEY, value TEXT);"
    "INSERT OR IGNORE INTO nc_meta VALUES ('layout', '" STORE_LAYOUT_VERSION "');"
    "CREATE TABLE IF NOT EXISTS nc_datasets ("
    " dataset TEXT PRIMARY KEY, keys TEXT NOT NULL, created_at TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS nc_loads ("
    " load_id INTEGER PRIMARY KEY,"
    " dataset TEXT NOT NULL REFERENCES nc_datasets(dataset),"
    " partition TEXT, rows INTEGER, rejected INTEGER, sha256 TEXT,"
    " source TEXT, extracted_at TEXT, loaded_at TEXT, schema_version TEXT,"
    " program_version TEXT);"
    "CREATE INDEX IF NOT EXISTS nc_loads_dataset ON nc_loads (dataset, partition);";

static void
sq_query(struct store *s, const char *sql, int nparams, const char *const *params,
    store_query_fn *fn, void *ctx)
{
	struct sq *q = (struct sq *)s;
	sqlite3_stmt *st = prepare(q, sql);
	const char *val[64];
	int rc, n;

	for (int i = 0; i < nparams; i++)
		bind_text(q, st, i + 1, params[i], params[i] ? strlen(params[i]) : 0);
	n = sqlite3_column_count(st);
	if (n > 64)
		n = 64;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < n; i++)
			val[i] = (const char *)sqlite3_column_text(st, i);
		if (fn)
			fn(ctx, n, val);
	}
	if (rc != SQLITE_DONE)
		die(q, "query");
	sqlite3_finalize(st);
}

static int
sq_has_tables(struct store *s)
{
	struct sq *q = (struct sq *)s;
	sqlite3_stmt *st = prepare(q,
	    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'nc_datasets'");
	int rc = sqlite3_step(st);

	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		die(q, "schema");
	sqlite3_finalize(st);
	return rc == SQLITE_ROW;
}

static int
sq_dataset(struct store *s, const char *name, struct store_dataset *ds)
{
	struct sq *q = (struct sq *)s;
	sqlite3_stmt *st;
	char why[128];
	int rc, found = 0;

	if (!sq_has_tables(s))
		return 0;
	st = prepare(q, "SELECT keys FROM nc_datasets WHERE dataset = ?");
	bind_text(q, st, 1, name, strlen(name));
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(ds->name, sizeof(ds->name), "%s", name);
		if (store_keys_split(ds, (const char *)sqlite3_column_text(st, 0),
		    why, sizeof(why)) != 0)
			errx(NC_FAIL, "error: %s: dataset '%s': %s", q->path, name, why);
		found = 1;
	} else if (rc != SQLITE_DONE)
		die(q, "dataset");
	sqlite3_finalize(st);
	return found;
}

static void
add(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

static const struct store_sql_types sq_types = {
	.seq = "INTEGER PRIMARY KEY",
	.text = "TEXT",
	.load = "INTEGER NOT NULL REFERENCES nc_loads(load_id)",
	.record = "TEXT",
	.unique = "",
	.key_order = "",
};

static void
sq_load_begin(struct store *s, struct store_load *l)
{
	struct sq *q = (struct sq *)s;
	struct store_dataset *ds = &l->ds;
	struct strbuf sb = { 0 };
	sqlite3_stmt *st;
	char keys[1024];
	int exists;

	q->load = l;
	/* Take the write lock now: a second load waits here. */
	exec(q, "BEGIN IMMEDIATE");
	exec(q, schema);
	exists = sq_dataset(s, l->dataset, ds);
	store_load_dataset(l, exists);
	if (!exists) {
		store_keys_join(ds, keys, sizeof(keys));
		st = prepare(q, "INSERT INTO nc_datasets VALUES (?, ?, "
		    "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
		bind_text(q, st, 1, ds->name, strlen(ds->name));
		bind_text(q, st, 2, keys, strlen(keys));
		step_done(q, st);
		sqlite3_finalize(st);
	}
	store_table_ddl(&sb, ds, &sq_types);
	strbuf_addc(&sb, '\0');
	exec(q, sb.s);
	sb.len = 0;

	/* The load's row, completed at commit. */
	st = prepare(q, "INSERT INTO nc_loads (dataset, partition, program_version)"
	    " VALUES (?, ?, ?)");
	bind_text(q, st, 1, ds->name, strlen(ds->name));
	bind_text(q, st, 2, l->partition, l->partition ? strlen(l->partition) : 0);
	bind_text(q, st, 3, NC_VERSION, strlen(NC_VERSION));
	step_done(q, st);
	sqlite3_finalize(st);
	q->load_id = sqlite3_last_insert_rowid(q->db);

	if (l->partition != NULL) {
		add(&sb, "DELETE FROM \"");
		add(&sb, ds->name);
		add(&sb, "\" WHERE _partition = ?");
		strbuf_addc(&sb, '\0');
		st = prepare(q, sb.s);
		bind_text(q, st, 1, l->partition, strlen(l->partition));
		step_done(q, st);
		sqlite3_finalize(st);
		sb.len = 0;
	}

	add(&sb, "INSERT INTO \"");
	add(&sb, ds->name);
	add(&sb, "\" (_partition, _load");
	for (int i = 0; i < ds->nkeys; i++) {
		add(&sb, ", \"");
		add(&sb, ds->keys[i]);
		add(&sb, "\"");
	}
	if (!ds->date_is_key)
		add(&sb, ", date");
	add(&sb, ", record) VALUES (?, ?");
	for (int i = 0; i < ds->nkeys + !ds->date_is_key + 1; i++)
		add(&sb, ", ?");
	add(&sb, ")");
	if (ds->nkeys > 0) {
		add(&sb, " ON CONFLICT (");
		for (int i = 0; i < ds->nkeys; i++) {
			add(&sb, i ? ", \"" : "\"");
			add(&sb, ds->keys[i]);
			add(&sb, "\"");
		}
		add(&sb, ") DO UPDATE SET _partition = excluded._partition,"
		    " _load = excluded._load, record = excluded.record");
		if (!ds->date_is_key)
			add(&sb, ", date = excluded.date");
	}
	strbuf_addc(&sb, '\0');
	q->ins = prepare(q, sb.s);
	if (ds->nkeys > 0) {
		sb.len = 0;
		add(&sb, "DELETE FROM \"");
		add(&sb, ds->name);
		add(&sb, "\" WHERE ");
		for (int i = 0; i < ds->nkeys; i++) {
			add(&sb, i ? " AND \"" : "\"");
			add(&sb, ds->keys[i]);
			add(&sb, "\" IS ?");
		}
		strbuf_addc(&sb, '\0');
		q->del = prepare(q, sb.s);
	}
	strbuf_release(&sb);
}

static void
sq_load_put(struct store *s, const struct store_row *r)
{
	struct sq *q = (struct sq *)s;
	const struct store_dataset *ds = &q->load->ds;
	sqlite3_stmt *st = q->ins;
	int c = 1, rc, nulls = 0;

	for (int i = 0; i < ds->nkeys; i++)
		nulls += r->key[i] == NULL;
	if (nulls > 0) {
		/* The unique index does not see two null keys as equal. */
		for (int i = 0; i < ds->nkeys; i++)
			bind_text(q, q->del, i + 1, r->key[i], r->keylen[i]);
		step_done(q, q->del);
	}
	bind_text(q, st, c++, q->load->partition,
	    q->load->partition ? strlen(q->load->partition) : 0);
	if (sqlite3_bind_int64(st, c++, q->load_id) != SQLITE_OK)
		die(q, "bind");
	for (int i = 0; i < ds->nkeys; i++)
		bind_text(q, st, c++, r->key[i], r->keylen[i]);
	if (!ds->date_is_key)
		bind_text(q, st, c++, r->date, r->datelen);
	bind_text(q, st, c, r->record, r->len);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		die(q, "insert");
	sqlite3_reset(st);
}

static long long
sq_load_commit(struct store *s, const struct store_load_info *info)
{
	struct sq *q = (struct sq *)s;
	sqlite3_stmt *st;

	sqlite3_finalize(q->ins);
	sqlite3_finalize(q->del);
	q->ins = q->del = NULL;
	st = prepare(q, "UPDATE nc_loads SET rows = ?, rejected = ?, sha256 = ?,"
	    " source = ?, extracted_at = ?, loaded_at = ?, schema_version = ?"
	    " WHERE load_id = ?");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)info->rows);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)info->rejected);
	bind_text(q, st, 3, info->sha256, strlen(info->sha256));
	bind_text(q, st, 4, info->source, info->source ? strlen(info->source) : 0);
	bind_text(q, st, 5, info->extracted_at,
	    info->extracted_at ? strlen(info->extracted_at) : 0);
	bind_text(q, st, 6, info->loaded_at, strlen(info->loaded_at));
	bind_text(q, st, 7, info->schema_version,
	    info->schema_version ? strlen(info->schema_version) : 0);
	sqlite3_bind_int64(st, 8, q->load_id);
	step_done(q, st);
	sqlite3_finalize(st);
	exec(q, "COMMIT");
	return q->load_id;
}

static void
sq_dump(struct store *s, const struct store_dump *d, store_row_fn *fn, void *ctx)
{
	struct sq *q = (struct sq *)s;
	const struct store_dataset *ds = d->ds;
	struct strbuf sb = { 0 };
	struct store_row row;
	sqlite3_stmt *st;
	int rc, nb = 0, nk;

	/* Rows: [key columns (--shard),] record. */
	add(&sb, "SELECT ");
	nk = d->want_keys ? ds->nkeys : 0;
	for (int i = 0; i < nk; i++) {
		add(&sb, "\"");
		add(&sb, ds->keys[i]);
		add(&sb, "\", ");
	}
	add(&sb, "record FROM \"");
	add(&sb, ds->name);
	add(&sb, "\" WHERE 1");
	if (d->since)
		add(&sb, " AND date >= ?");
	if (d->until)
		add(&sb, " AND date <= ?");
	if (d->partition)
		add(&sb, " AND _partition = ?");
	for (int i = 0; i < d->nw; i++) {
		/* -w key=null: a null key too, as on the other fields. */
		add(&sb, " AND (\"");
		add(&sb, d->wcol[i]);
		add(&sb, "\" = ?");
		if (strcmp(d->wval[i], "null") == 0) {
			add(&sb, " OR \"");
			add(&sb, d->wcol[i]);
			add(&sb, "\" IS NULL");
		}
		add(&sb, ")");
	}
	/* TEXT columns compare with BINARY, byte by byte; NULLs first. */
	add(&sb, " ORDER BY ");
	for (int i = 0; i < ds->nkeys; i++) {
		add(&sb, "\"");
		add(&sb, ds->keys[i]);
		add(&sb, "\", ");
	}
	if (!ds->date_is_key)
		add(&sb, "date, ");
	add(&sb, "_seq");
	strbuf_addc(&sb, '\0');
	st = prepare(q, sb.s);
	strbuf_release(&sb);
	if (d->since)
		bind_text(q, st, ++nb, d->since, strlen(d->since));
	if (d->until)
		bind_text(q, st, ++nb, d->until, strlen(d->until));
	if (d->partition)
		bind_text(q, st, ++nb, d->partition, strlen(d->partition));
	for (int i = 0; i < d->nw; i++)
		bind_text(q, st, ++nb, d->wval[i], strlen(d->wval[i]));
	memset(&row, 0, sizeof(row));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < nk; i++) {
			row.key[i] = (const char *)sqlite3_column_text(st, i);
			row.keylen[i] = (size_t)sqlite3_column_bytes(st, i);
		}
		row.record = (const char *)sqlite3_column_text(st, nk);
		row.len = (size_t)sqlite3_column_bytes(st, nk);
		if (fn(ctx, &row) != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		die(q, "dump");
	sqlite3_finalize(st);
}

static void
sq_close(struct store *s)
{
	struct sq *q = (struct sq *)s;

	sqlite3_finalize(q->ins);
	sqlite3_finalize(q->del);
	if (sqlite3_close(q->db) != SQLITE_OK)
		warnx("%s: close: %s", q->path, sqlite3_errmsg(q->db));
	free(q->path);
	free(q);
}

static const struct store_ops sq_ops = {
	.load_begin = sq_load_begin,
	.load_put = sq_load_put,
	.load_commit = sq_load_commit,
	.dataset = sq_dataset,
	.dump = sq_dump,
	.query = sq_query,
	.has_tables = sq_has_tables,
	.close = sq_close,
};

struct store *
store_sqlite_open(const char *path)
{
	struct sq *q = xcalloc(1, sizeof(*q));
	int rc;

	q->base.ops = &sq_ops;
	q->base.kind = "sqlite";
	q->path = xstrdup(path);
	if (sqlite3_open_v2(path, &q->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	    NULL) != SQLITE_OK)
		die(q, "open");
	sqlite3_busy_timeout(q->db, BUSY_TIMEOUT_MS);
	/*
	 * Switching to WAL needs an exclusive lock, for which the busy
	 * handler is not always called: retry for a while.
	 */
	for (int tries = 0;; tries++) {
		char *msg = NULL;

		rc = sqlite3_exec(q->db, "PRAGMA journal_mode = WAL", NULL, NULL, &msg);
		sqlite3_free(msg);
		if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
			break;
		if (tries == 6000)
			die(q, "journal_mode");
		usleep(10000);
	}
	if (rc != SQLITE_OK)
		die(q, "journal_mode");
	exec(q, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;"
	    " PRAGMA cache_size = -16000; PRAGMA temp_store = FILE");
	return &q->base;
}
