/*
 * serve_db_pg.c: nc-serve's store in PostgreSQL, read only, over libpq.
 * The URL is nc-store's (postgresql://user@host:port/db?...); the
 * password comes from PGPASSWORD or ~/.pgpass (libpq reads them), never
 * from argv, and no message here shows the URL.  Every value is a bound
 * parameter (PQexecParams).  A reader never waits for a load (MVCC);
 * lock_timeout and statement_timeout bound what else could hold it.
 * The feed LISTENs on the channel nc_loads, which nc-store's load
 * NOTIFYs in its transaction: the notification comes at its commit.
 */
#include <err.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "nc.h"
#include "ndjson.h"
#include "serve.h"

#define MAX_COLS 8

struct pg {
	struct serve_db base;
	PGconn *conn;
	int listening;
};

/* The server's message, first line only; a class by SQLSTATE. */
static int
fail(struct pg *g, PGresult *r)
{
	const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(g->conn);
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	snprintf(g->base.err, sizeof(g->base.err), "%.*s", (int)strcspn(msg, "\n"), msg);
	if (PQstatus(g->conn) != CONNECTION_OK || state == NULL)
		return SERVE_DB_BUSY;
	/* 08: connection; 40: rollback; 53: resources; 55P03: lock;
	 * 57: cancel, shutdown; 42P01: no such table (nothing loaded yet). */
	if (strncmp(state, "08", 2) == 0 || strncmp(state, "40", 2) == 0 ||
	    strncmp(state, "53", 2) == 0 || strcmp(state, "55P03") == 0 ||
	    strncmp(state, "57", 2) == 0 || strcmp(state, "42P01") == 0)
		return SERVE_DB_BUSY;
	return SERVE_DB_FAIL;
}

static int
cmd(struct pg *g, const char *sql)
{
	PGresult *r = PQexec(g->conn, sql);
	int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? SERVE_DB_OK : fail(g, r);

	PQclear(r);
	return rc;
}

static int
pg_begin(struct serve_db *d)
{
	return cmd((struct pg *)d, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
}

static void
pg_end(struct serve_db *d)
{
	struct pg *g = (struct pg *)d;

	if (PQtransactionStatus(g->conn) != PQTRANS_IDLE)
		cmd(g, "ROLLBACK");
}

static int
pg_query(struct serve_db *d, const char *sql, int nparams, const char *const *params,
    serve_row_fn *fn, void *ctx)
{
	struct pg *g = (struct pg *)d;
	struct strbuf sb = { 0 };
	const char *val[MAX_COLS];
	size_t len[MAX_COLS];
	PGresult *r;
	int ncols, rc = SERVE_DB_OK;

	serve_db_dollar(&sb, sql);
	r = PQexecParams(g->conn, sb.s, nparams, NULL, params, NULL, NULL, 0);
	strbuf_release(&sb);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		rc = fail(g, r);
		PQclear(r);
		return rc;
	}
	ncols = PQnfields(r);
	if (ncols > MAX_COLS)
		ncols = MAX_COLS;
	for (int i = 0; i < PQntuples(r); i++) {
		for (int j = 0; j < ncols; j++) {
			val[j] = PQgetisnull(r, i, j) ? NULL : PQgetvalue(r, i, j);
			len[j] = (size_t)PQgetlength(r, i, j);
		}
		if (fn(ctx, ncols, val, len) != 0)
			break;
	}
	PQclear(r);
	return rc;
}

static int
pg_changed(struct serve_db *d, int wait_ms)
{
	struct pg *g = (struct pg *)d;
	struct pollfd pfd;
	PGnotify *n;
	int got = 0, rc;

	if (!g->listening) {
		if ((rc = cmd(g, "LISTEN nc_loads")) != SERVE_DB_OK)
			return rc;
		g->listening = 1;
		return 1;           /* armed: what came before, the caller reads */
	}
	pfd.fd = PQsocket(g->conn);
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (pfd.fd < 0)
		return fail(g, NULL);
	if (poll(&pfd, 1, wait_ms) > 0 && PQconsumeInput(g->conn) != 1)
		return fail(g, NULL);
	while ((n = PQnotifies(g->conn)) != NULL) {
		got = 1;
		PQfreemem(n);
	}
	if (PQstatus(g->conn) != CONNECTION_OK)
		return fail(g, NULL);
	return got;
}

static void
pg_close(struct serve_db *d)
{
	struct pg *g = (struct pg *)d;

	PQfinish(g->conn);
	free(g);
}

static const struct serve_db_ops pg_ops = {
	.kind = "postgresql",
	.field = "(record->>'%s')",
	.same = "IS NOT DISTINCT FROM",
	.begin = pg_begin,
	.end = pg_end,
	.query = pg_query,
	.changed = pg_changed,
	.close = pg_close,
};

/*
 * A failure to connect, logged once until a connection succeeds: while
 * the server is down every request and the feed's retries fail alike.
 * m NULL: connected.
 */
static void
log_once(const char *m)
{
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	static char last[256];
	char now[256];

	snprintf(now, sizeof(now), "%.*s", m ? (int)strcspn(m, "\n") : 0, m ? m : "");
	pthread_mutex_lock(&mu);
	if (m != NULL && strcmp(now, last) != 0)
		warnx("warning: PostgreSQL: %s", now);
	memcpy(last, now, sizeof(last));
	pthread_mutex_unlock(&mu);
}

struct serve_db *
serve_db_pg_open(const char *url, char *why, size_t whysize, int *rc)
{
	/* The URL's own settings come last: they win. */
	static const char *const kw[] = {
		"connect_timeout", "application_name", "options", "dbname", NULL
	};
	const char *val[5] = {
		"5", "nc-serve", "-c lock_timeout=2000 -c statement_timeout=10000", url, NULL
	};
	struct pg *g = xcalloc(1, sizeof(*g));

	g->base.ops = &pg_ops;
	g->conn = PQconnectdbParams(kw, val, 1);
	if (g->conn == NULL || PQstatus(g->conn) != CONNECTION_OK) {
		const char *m = g->conn ? PQerrorMessage(g->conn) : "out of memory";

		/* The server's address is for the log, not for the clients. */
		log_once(m);
		snprintf(why, whysize, "cannot connect to the store (PostgreSQL)");
		PQfinish(g->conn);
		free(g);
		*rc = SERVE_DB_BUSY;
		return NULL;
	}
	log_once(NULL);
	return &g->base;
}
