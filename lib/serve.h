/*
 * serve.h: the pieces of nc-serve(1) that do not speak HTTP: the API's
 * answers (serve_api.c, serve_list.c, serve_item.c), the store behind
 * them (serve_db*.c), the live feed of loads and alerts (serve_feed.c)
 * and the buyers' page (serve_page.c).
 *
 * Ownership: a struct serve_reply owns its body (strbuf_release() it);
 * a struct serve_req only points at strings its caller keeps alive for
 * the call.  Nothing here logs a request's data.
 *
 *	struct serve_req rq = { .path = "alerts", .db = &db, .dbpath = p };   // db: NULL at first
 *	struct serve_reply r = SERVE_REPLY_INIT;
 *	serve_api(&rq, &r);            // r.status, r.body, r.etag, ...
 */
#ifndef NC_SERVE_H
#define NC_SERVE_H

#include <stdatomic.h>
#include <stddef.h>

#include "ndjson.h"

#define SERVE_MAX_ARGS 32

struct serve_req {
	const char *path;              /* after "/api/v1/" */
	int ndjson;                    /* Accept: application/x-ndjson */
	const char *if_none_match;     /* or NULL */
	const char *akey[SERVE_MAX_ARGS], *aval[SERVE_MAX_ARGS];   /* aval may be NULL */
	int nargs, too_many;
	struct serve_db **db;          /* the connection's handle, opened on demand */
	const char *dbpath;
};

struct serve_reply {
	int status;
	struct strbuf body;
	const char *ctype;
	char etag[48];                 /* "" for none */
	char link[1024];               /* the next page's URL, "" for none */
	long long total;               /* -1: no X-Total-Count */
	int retry_after;               /* seconds; 0: no Retry-After */
};
#define SERVE_REPLY_INIT { 0, { 0 }, "application/json", "", "", -1, 0 }

/* The answer to GET /api/v1/<path>, or an error reply. */
void serve_api(struct serve_req *rq, struct serve_reply *r);
/* The answer to GET /health. */
void serve_health(struct serve_db **db, const char *dbpath, struct serve_reply *r);
/* An error reply: {"error": error, "detail": detail}. */
void serve_error(struct serve_reply *r, int status, const char *error, const char *detail);

/*
 * The store, read only, behind one interface: serve_db_sqlite.c (a
 * SQLite file) and serve_db_pg.c (a PostgreSQL URL, as nc-store takes
 * it).  The API writes its SQL once, with ? for every value (all bound
 * as text) and the backend's fragments for what differs; the backend
 * runs it.  A failure is classed: SERVE_DB_BUSY may pass (a lock, a
 * store not there, a server down: 503), SERVE_DB_FAIL will not (500).
 * After a failure the caller closes the handle; the next request opens
 * the store anew.
 */
enum { SERVE_DB_OK = 0, SERVE_DB_BUSY = -1, SERVE_DB_FAIL = -2 };

/* One result row: its columns as text (NULL: SQL null); 0 to go on. */
typedef int serve_row_fn(void *ctx, int ncols, const char *const *val, const size_t *len);

struct serve_db;
struct serve_db_ops {
	const char *kind;              /* "sqlite" or "postgresql" */
	const char *field;             /* a record's field, %s its name (a constant) */
	const char *same;              /* null-safe "=": "IS" or "IS NOT DISTINCT FROM" */
	/* A read-only snapshot until end(). */
	int (*begin)(struct serve_db *);
	void (*end)(struct serve_db *);
	int (*query)(struct serve_db *, const char *sql, int nparams,
	    const char *const *params, serve_row_fn *fn, void *ctx);
	/*
	 * The feed: 1 if a load may have been committed since the last
	 * call (waits up to wait_ms for it where the store can say so),
	 * 0 if not, a SERVE_DB_ failure.  The first call arms it.
	 */
	int (*changed)(struct serve_db *, int wait_ms);
	void (*close)(struct serve_db *);
};

struct serve_db {
	const struct serve_db_ops *ops;
	char err[256];                 /* the last failure, never a password */
};

/* Open the store read-only (*db stays NULL on failure, why says why):
 * 0 if open, else a SERVE_DB_ failure. */
int serve_db_open(struct serve_db **db, const char *where, char *why, size_t whysize);
void serve_db_close(struct serve_db **db);
/* 1 if where names PostgreSQL: postgresql:// or postgres://. */
int serve_db_is_pg(const char *where);
struct serve_db *serve_db_sqlite_open(const char *path, char *why, size_t whysize, int *rc);
struct serve_db *serve_db_pg_open(const char *url, char *why, size_t whysize, int *rc);
/*
 * The pool of handles (serve_db.c): take a slot, and an idle handle if
 * one is open (else *db is NULL: open it with serve_db_open); waits up
 * to wait_ms for a slot: 0, or -1 (all busy).  Give it back (NULL when
 * it was closed on a failure); drain closes the idle ones at exit.
 */
#define SERVE_DB_POOL 8
int serve_pool_get(struct serve_db **db, int wait_ms);
void serve_pool_put(struct serve_db *db);
void serve_pool_drain(void);
/* Moved when the store is found replaced (another SQLite file in its
 * place): what was learnt of the old one no longer holds. */
extern atomic_uint serve_db_generation;
/* sql with its ? as $1, $2, ... (outside quotes), into sb. */
void serve_db_dollar(struct strbuf *sb, const char *sql);

/* 1 if s[0..n) is valid UTF-8 without control characters. */
int serve_text_ok(const char *s, size_t n);

/*
 * The feed: a thread polls the store (PRAGMA data_version every
 * interval_ms, nc_loads when it moved) and keeps the last events in a
 * ring.  An event is one SSE message: "load" for every load, "alert" for
 * every record of a load of the alerts dataset.
 */
struct serve_event {
	unsigned long long seq;
	char kind[8];                  /* "load" or "alert" */
	char level[16];                /* an alert's level, else "" */
	char *item_id;                 /* an alert's item_id, else NULL */
	char *data;                    /* the JSON text */
};

int serve_feed_start(const char *dbpath, int interval_ms);
void serve_feed_stop(void);
/* The next event's seq: a new client starts there. */
unsigned long long serve_feed_head(void);
/*
 * Copy the event numbered seq into ev (its strings malloc'ed, the
 * caller frees them): 1.  0: none yet (waited up to wait_ms, or the feed
 * stops).  -1: seq has left the ring: the client is too slow.
 */
int serve_feed_get(unsigned long long seq, struct serve_event *ev, int wait_ms);
/* Wake every waiting client (shutdown). */
void serve_feed_wake(void);
void serve_event_release(struct serve_event *ev);

/* The buyers' page. */
extern const char serve_page_html[];

#endif
