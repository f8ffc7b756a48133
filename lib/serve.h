/*
 * serve.h: the pieces of nc-serve(1) that do not speak HTTP: the API's
 * answers from the store (serve_api.c), the live feed of loads and
 * alerts (serve_feed.c) and the buyers' page (serve_page.c).
 *
 * Ownership: a struct serve_reply owns its body (strbuf_release() it);
 * a struct serve_req only points at strings its caller keeps alive for
 * the call.  Nothing here logs a request's data.
 *
 *	struct serve_req rq = { .path = "alerts", .db = &db, .dbpath = p };
 *	struct serve_reply r = SERVE_REPLY_INIT;
 *	serve_api(&rq, &r);            // r.status, r.body, r.etag, ...
 */
#ifndef NC_SERVE_H
#define NC_SERVE_H

#include <stddef.h>
#include <sqlite3.h>

#include "ndjson.h"

#define SERVE_MAX_ARGS 32

struct serve_req {
	const char *path;              /* after "/api/v1/" */
	int ndjson;                    /* Accept: application/x-ndjson */
	const char *if_none_match;     /* or NULL */
	const char *akey[SERVE_MAX_ARGS], *aval[SERVE_MAX_ARGS];   /* aval may be NULL */
	int nargs, too_many;
	sqlite3 **db;                  /* the connection's handle, opened on demand */
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
void serve_health(sqlite3 **db, const char *dbpath, struct serve_reply *r);
/* An error reply: {"error": error, "detail": detail}. */
void serve_error(struct serve_reply *r, int status, const char *error, const char *detail);

/* Open the store read-only (*db stays NULL on failure, why says why). */
int serve_db_open(sqlite3 **db, const char *path, char *why, size_t whysize);

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
