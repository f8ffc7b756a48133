/*
 * serve_db.c: nc-serve's store, whichever backend: open by what -d or
 * NC_DB names, close, the pool of handles the requests share, and the
 * placeholders PostgreSQL wants.
 *
 * The pool: a request takes a handle for its queries and gives it back.
 * At most SERVE_DB_POOL requests hold one at a time (the others wait,
 * holding nothing), and idle handles are kept open for the next: so the
 * memory of the store's handles (SQLite's page cache and schema, or
 * PostgreSQL's server processes) does not grow with the connections.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "nc.h"
#include "ndjson.h"
#include "serve.h"

int
serve_db_is_pg(const char *where)
{
	return strncmp(where, "postgresql://", 13) == 0 || strncmp(where, "postgres://", 11) == 0;
}

int
serve_db_open(struct serve_db **db, const char *where, char *why, size_t whysize)
{
	int rc = SERVE_DB_OK;

	if (*db != NULL)
		return SERVE_DB_OK;
	if (serve_db_is_pg(where))
		*db = serve_db_pg_open(where, why, whysize, &rc);
	else
		*db = serve_db_sqlite_open(where, why, whysize, &rc);
	return *db != NULL ? SERVE_DB_OK : rc;
}

void
serve_db_close(struct serve_db **db)
{
	if (*db != NULL)
		(*db)->ops->close(*db);
	*db = NULL;
}

void
serve_db_dollar(struct strbuf *sb, const char *sql)
{
	char num[24];
	int n = 0, quoted = 0;

	for (const char *p = sql; *p; p++) {
		if (*p == '\'')
			quoted = !quoted;
		if (*p == '?' && !quoted) {
			strbuf_addc(sb, '$');
			strbuf_add(sb, num, (size_t)ndjson_fmt_long(num, ++n));
		} else
			strbuf_addc(sb, *p);
	}
	strbuf_addc(sb, '\0');
}

atomic_uint serve_db_generation;

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cond;
	struct serve_db *idle[SERVE_DB_POOL];
	int nidle, busy;
} pool = { .mu = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER };

int
serve_pool_get(struct serve_db **db, int wait_ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
	ts.tv_sec += wait_ms / 1000 + ts.tv_nsec / 1000000000L;
	ts.tv_nsec %= 1000000000L;
	*db = NULL;
	pthread_mutex_lock(&pool.mu);
	while (pool.busy == SERVE_DB_POOL)
		if (pthread_cond_timedwait(&pool.cond, &pool.mu, &ts) == ETIMEDOUT) {
			pthread_mutex_unlock(&pool.mu);
			return -1;
		}
	pool.busy++;
	if (pool.nidle > 0)
		*db = pool.idle[--pool.nidle];
	pthread_mutex_unlock(&pool.mu);
	return 0;
}

void
serve_pool_put(struct serve_db *db)
{
	if (db != NULL)
		db->ops->end(db);       /* never kept inside a transaction */
	pthread_mutex_lock(&pool.mu);
	if (db != NULL && pool.nidle < SERVE_DB_POOL) {
		pool.idle[pool.nidle++] = db;
		db = NULL;
	}
	pool.busy--;
	pthread_cond_signal(&pool.cond);
	pthread_mutex_unlock(&pool.mu);
	serve_db_close(&db);
}

void
serve_pool_drain(void)
{
	pthread_mutex_lock(&pool.mu);
	while (pool.nidle > 0)
		serve_db_close(&pool.idle[--pool.nidle]);
	pthread_mutex_unlock(&pool.mu);
}
