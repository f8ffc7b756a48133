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

/*
 * WebSocket (RFC 6455), serve_ws.c: the protocol without sockets.
 *
 *	struct ws_reader r = { .max_message = WS_MAX_MESSAGE };
 *	struct ws_event ev;
 *	size_t used = ws_read(&r, buf, len, &ev);   // 0: ev.got is WS_MORE or WS_FAIL
 */
#define WS_ACCEPT_LEN 28
#define WS_MAX_CONTROL 125
#define WS_MAX_MESSAGE 16384           /* a client's message, bytes */
#define WS_MAX_ITEMS 256               /* item ids in one subscribe */
#define WS_MAX_ITEM_LEN 200

/* Sec-WebSocket-Accept of a Sec-WebSocket-Key: 0, or -1 if the key is
 * not the base64 of 16 bytes. */
int ws_accept_key(const char *key, char accept[WS_ACCEPT_LEN + 1]);
/* 1 if a close frame may carry code. */
int ws_close_code_ok(int code);

/*
 * The subprotocols a client offers (Sec-WebSocket-Protocol): browsers
 * cannot set Authorization on a WebSocket, so a page offers
 * "nc.v1, nc.bearer.TOKEN" and the server selects nc.v1.
 *
 *	ws_protocols("nc.v1, nc.bearer.s3cr3t", &p, &why)  // 0, p.v1, p.tok "s3cr3t" (6)
 *	ws_protocols(NULL, &p, &why)                       // 0, nothing offered
 *	ws_protocols("nc.v1,,x", &p, &why)                 // -1, why says what is wrong
 *
 * 0, or -1 with *why (a static string that never quotes the header) if
 * the value is not a comma-separated list of tokens, has two nc.bearer.
 * elements or an empty one, or does not offer nc.v1.  p->tok points into
 * h (not NUL-terminated).
 */
struct ws_proto {
	int offered;                   /* the header is there */
	int v1;                        /* nc.v1 is among them */
	const char *tok;               /* nc.bearer.TOKEN's TOKEN, or NULL */
	size_t toklen;
};
int ws_protocols(const char *h, struct ws_proto *p, const char **why);

struct ws_reader {
	size_t max_message;            /* set by the caller */
	int op;                        /* the message being put together: 1 text, 2 binary */
	int done;
	struct strbuf msg;
};

enum ws_got { WS_MORE, WS_PART, WS_TEXT, WS_BINARY, WS_PING, WS_PONG, WS_CLOSE, WS_FAIL };

struct ws_event {
	enum ws_got got;
	const char *data;              /* the message or control payload, until the next call */
	size_t len;
	size_t need;                   /* WS_MORE: the bytes the frame needs at least */
	int code;                      /* WS_CLOSE: the peer's (1005: none); WS_FAIL: to send */
	const char *why;               /* WS_FAIL: the reason, for the close frame */
};

/*
 * Read a client's frame at buf[0..len): the bytes it took, or 0 (ev.got
 * WS_MORE: ev.need bytes are needed; WS_FAIL: close with ev.code).  A
 * fragment that does not end its message is WS_PART.  The
 * payload is unmasked in place.  A text or binary message comes out once
 * its last fragment is in.
 */
size_t ws_read(struct ws_reader *r, unsigned char *buf, size_t len, struct ws_event *ev);
void ws_reader_release(struct ws_reader *r);
/* Append a server frame (final, unmasked) or a close frame (1005: no code). */
void ws_frame(struct strbuf *sb, int opcode, const void *data, size_t len);
void ws_close_frame(struct strbuf *sb, int code, const char *reason);

/* What a client subscribed to: no items and no levels is everything. */
struct ws_sub {
	int active;
	unsigned levels;               /* bit per level */
	char **items;
	size_t nitems;
};
#define WS_SUBSCRIBE 1
#define WS_UNSUBSCRIBE 2
/* A client's message: WS_SUBSCRIBE (s replaced), WS_UNSUBSCRIBE, or -1
 * (s unchanged, why says why). */
int ws_sub_parse(struct ws_sub *s, const char *msg, size_t len, char *why, size_t whysize);
int ws_sub_wants(const struct ws_sub *s, const struct serve_event *ev);
void ws_sub_release(struct ws_sub *s);
/* {"type": kind, "id": seq, "data": record}. */
void ws_event_message(struct strbuf *sb, const struct serve_event *ev);

/* Decode %XX in place: the new length; *bad if an escape is malformed or
 * decodes to NUL (the escape is then kept as it was). */
size_t serve_percent_decode(char *s, int *bad);

/*
 * The WebSocket connections, serve_ws_hub.c: one thread, epoll, every
 * socket non-blocking; each client reads the feed at its pace through a
 * bounded queue.
 */
struct MHD_Connection;
/* Start the hub (timeout: a client silent or not reading that long is
 * dropped; keepalive: ping after that long idle). */
int serve_ws_start(int timeout_s, int keepalive_s);
/* Close every client with 1001 and stop. */
void serve_ws_stop(void);
/* Answer GET /ws (the token already checked): 101 and the socket goes
 * to the hub, or an error; with v1, the 101 selects the subprotocol
 * nc.v1.  Returns MHD_YES or MHD_NO; *status is the HTTP status sent.
 * In serve_ws_shake.c, as are serve_raise_nofile() and the handshake's
 * other checks. */
int serve_ws_answer(struct MHD_Connection *c, const char *method, const char *version,
    int origin_ok, int v1, int *status);
/* 1 while the hub takes new sockets (not stopping). */
int serve_ws_open(void);
/* A 101 response whose socket goes to the hub, or NULL. */
struct MHD_Response *serve_ws_response(void);
/* Raise the soft limit of open files to hold conns connections. */
void serve_raise_nofile(long conns);
/* The feed writes to fd (an eventfd) after each new event. */
void serve_feed_notify(int fd);

/* The buyers' page. */
extern const char serve_page_html[];

#endif
