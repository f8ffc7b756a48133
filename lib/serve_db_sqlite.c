/*
 * serve_db_sqlite.c: nc-serve's store in a SQLite file, read only.  The
 * store is in WAL mode (nc-store): a load never blocks a reader.  What
 * can (another process holding the file in exclusive locking mode, a
 * WAL recovery) is waited for up to BUSY_MS a lock, then answered 503.
 * The feed asks "PRAGMA data_version", a number that moves only when
 * another connection commits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "nc.h"
#include "serve.h"

#define BUSY_MS 1000            /* per lock wait: a 503 comes within about 2 s */
#define MAX_COLS 8
#define STMT_CACHE 16           /* the API makes about a dozen distinct statements */

struct lite {
	struct serve_db base;
	sqlite3 *db;
	char *path;
	dev_t dev;                  /* the file opened: one put in its place is */
	ino_t ino;                  /* another store */
	long long version;          /* the feed's last data_version; -1: not armed */
	sqlite3_stmt *cache[STMT_CACHE];   /* prepared, most recent first */
	int ncache;
};

/* A failure of the handle: classed, and its message kept. */
static int
fail(struct lite *l, int rc)
{
	snprintf(l->base.err, sizeof(l->base.err), "%s", sqlite3_errmsg(l->db));
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_CANTOPEN:
	case SQLITE_NOTADB:
	case SQLITE_IOERR:
	case SQLITE_ERROR:          /* no such table: nothing loaded yet */
	case SQLITE_SCHEMA:
		return SERVE_DB_BUSY;
	default:
		return SERVE_DB_FAIL;
	}
}

/*
 * A handle reads the file it opened even when another replaced it (a
 * restore, a copy moved in place): then it is done.  1 if so.
 */
static int
replaced(struct lite *l)
{
	struct stat st;

	if (stat(l->path, &st) == 0 && st.st_dev == l->dev && st.st_ino == l->ino)
		return 0;
	snprintf(l->base.err, sizeof(l->base.err), "the store file was replaced or removed");
	atomic_fetch_add(&serve_db_generation, 1);
	return 1;
}

static int
lite_begin(struct serve_db *d)
{
	struct lite *l = (struct lite *)d;
	int rc;

	if (replaced(l))
		return SERVE_DB_BUSY;
	rc = sqlite3_exec(l->db, "BEGIN", NULL, NULL, NULL);

	return rc == SQLITE_OK ? SERVE_DB_OK : fail(l, rc);
}

static void
lite_end(struct serve_db *d)
{
	struct lite *l = (struct lite *)d;

	if (!sqlite3_get_autocommit(l->db))
		sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL);
}

/*
 * The statement for sql: from the handle's cache (the handles are pooled,
 * so the same few statements come back), else prepared.  Taken out of
 * the cache while in use; put back by done().
 */
static int
prepare(struct lite *l, const char *sql, sqlite3_stmt **st)
{
	for (int i = 0; i < l->ncache; i++)
		if (strcmp(sqlite3_sql(l->cache[i]), sql) == 0) {
			*st = l->cache[i];
			memmove(&l->cache[i], &l->cache[i + 1], (size_t)(l->ncache - i - 1) * sizeof(*st));
			l->ncache--;
			return SQLITE_OK;
		}
	return sqlite3_prepare_v3(l->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
}

static void
done(struct lite *l, sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (l->ncache == STMT_CACHE)
		sqlite3_finalize(l->cache[--l->ncache]);
	memmove(&l->cache[1], &l->cache[0], (size_t)l->ncache * sizeof(st));
	l->cache[0] = st;
	l->ncache++;
}

static int
lite_query(struct serve_db *d, const char *sql, int nparams, const char *const *params,
    serve_row_fn *fn, void *ctx)
{
	struct lite *l = (struct lite *)d;
	const char *val[MAX_COLS];
	size_t len[MAX_COLS];
	sqlite3_stmt *st;
	int rc, ncols;

	rc = prepare(l, sql, &st);
	if (rc != SQLITE_OK)
		return fail(l, rc);
	for (int i = 0; i < nparams; i++)
		sqlite3_bind_text(st, i + 1, params[i], -1, SQLITE_STATIC);
	ncols = sqlite3_column_count(st);
	if (ncols > MAX_COLS)
		ncols = MAX_COLS;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < ncols; i++) {
			val[i] = (const char *)sqlite3_column_text(st, i);
			len[i] = (size_t)sqlite3_column_bytes(st, i);
		}
		if (fn(ctx, ncols, val, len) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc != SQLITE_DONE) {
		rc = fail(l, rc);
		sqlite3_finalize(st);
		return rc;
	}
	done(l, st);
	return SERVE_DB_OK;
}

static int
lite_changed(struct serve_db *d, int wait_ms)
{
	struct lite *l = (struct lite *)d;
	sqlite3_stmt *st;
	long long v = -1;
	int rc, moved;

	(void)wait_ms;              /* SQLite cannot say: the feed polls */
	if (replaced(l))
		return SERVE_DB_BUSY;
	if ((rc = sqlite3_prepare_v2(l->db, "PRAGMA data_version", -1, &st, NULL)) != SQLITE_OK)
		return fail(l, rc);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	else
		rc = fail(l, rc);
	sqlite3_finalize(st);
	if (v < 0)
		return rc;
	moved = v != l->version;
	l->version = v;
	return moved;
}

static void
lite_close(struct serve_db *d)
{
	struct lite *l = (struct lite *)d;

	if (!sqlite3_get_autocommit(l->db))
		sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
	for (int i = 0; i < l->ncache; i++)
		sqlite3_finalize(l->cache[i]);
	sqlite3_close(l->db);
	free(l->path);
	free(l);
}

static const struct serve_db_ops lite_ops = {
	.kind = "sqlite",
	.field = "json_extract(record, '$.%s')",
	.same = "IS",
	.begin = lite_begin,
	.end = lite_end,
	.query = lite_query,
	.changed = lite_changed,
	.close = lite_close,
};

struct serve_db *
serve_db_sqlite_open(const char *path, char *why, size_t whysize, int *rc)
{
	struct lite *l = xcalloc(1, sizeof(*l));
	struct stat st;
	int e;

	l->base.ops = &lite_ops;
	l->version = -1;
	e = sqlite3_open_v2(path, &l->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
	if (e != SQLITE_OK) {
		snprintf(why, whysize, "cannot open the store: %s",
		    l->db ? sqlite3_errmsg(l->db) : "out of memory");
		sqlite3_close(l->db);
		free(l);
		*rc = SERVE_DB_BUSY;
		return NULL;
	}
	/* The file as it is now (opening made it exist, or it did). */
	if (stat(path, &st) == 0) {
		l->dev = st.st_dev;
		l->ino = st.st_ino;
	}
	l->path = xstrdup(path);
	sqlite3_busy_timeout(l->db, BUSY_MS);
	/* A cache per connection: small, the kernel's page cache is shared. */
	sqlite3_exec(l->db, "PRAGMA cache_size = -256", NULL, NULL, NULL);
	return &l->base;
}
