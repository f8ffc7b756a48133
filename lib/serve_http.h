/*
 * serve_http.h: nc-serve(1)'s HTTP side over libmicrohttpd, split by
 * concern:
 *
 *	serve_conf.c      the configuration (serve_cfg), -l and token parsing
 *	serve_http.c      connection and request hooks, the access log,
 *	                  percent-decoding, replies and their headers, auth
 *	serve_dispatch.c  the routes: serve_dispatch() is the one
 *	                  MHD_AccessHandlerCallback; a new endpoint is a new
 *	                  case in its route table
 *	serve_stream.c    GET /api/v1/alerts/stream (Server-Sent Events)
 *
 * cmd/nc-serve.c only parses options, starts the daemon and waits for a
 * signal.  Nothing here logs a request's data unescaped, nor the token.
 */
#ifndef NC_SERVE_HTTP_H
#define NC_SERVE_HTTP_H

#include <stdatomic.h>
#include <stddef.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>

#include "serve.h"

#define SERVE_MAX_CORS 16

struct serve_conf {
	const char *db;                /* the store: a SQLite path or a PostgreSQL URL */
	char *token;                   /* NULL: no token needed */
	size_t toklen;
	const char *cors[SERVE_MAX_CORS];
	int ncors;
	int keepalive_s;               /* the stream's keepalive comment */
	atomic_int active;             /* requests in flight */
	atomic_int stopping;           /* SIGTERM came */
};
extern struct serve_conf serve_cfg;

/* Per connection (MHD's socket context): whether an escape was bad.
 * Store handles are not per connection: see the pool in serve.h. */
struct serve_conn {
	int bad_escape;
};

/* Per request (MHD's con_cls): what the access log says of it. */
struct serve_hreq {
	struct timespec t0;
	char method[24];
	char path[256];
	char client[64];
	int status;
	unsigned long long bytes;
	int body;
};

/* serve_conf.c */
/* "[address:]port" into ss (address 127.0.0.1 when not given): 0, or -1. */
int serve_parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len, int *v6);
int serve_is_loopback(const struct sockaddr_storage *ss);
/* 1 if a PostgreSQL URL holds a password, -1 if it does not parse, else 0. */
int serve_conf_password_in(const char *db);
/* The store as messages name it: a URL without its password nor its
 * parameters; a file name as it is. */
const char *serve_conf_db_shown(const char *db, char *buf, size_t size);
/* A PEM file's text (malloc'ed); exits 2 if it cannot be read or is not PEM. */
char *serve_conf_read_pem(const char *path, const char *opt);
/* The token from NC_API_TOKEN or NC_API_TOKEN_FILE into serve_cfg; exits on a bad one. */
void serve_conf_token(void);

/* serve_http.c: hooks given to MHD_start_daemon(). */
void serve_mhd_logger(void *cls, const char *fmt, va_list ap);
size_t serve_unescape(void *cls, struct MHD_Connection *c, char *s);
void serve_on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
    enum MHD_ConnectionNotificationCode toe);
void serve_on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe);
/* A new request's record (the access log's fields), counted as active. */
struct serve_hreq *serve_hreq_new(struct MHD_Connection *c, const char *method, const char *url);
/* 1 if "Authorization: Bearer <token>" matches (constant time). */
int serve_token_ok(const char *given);
/* The same for the n bytes at given (no NUL needed): the time depends
 * only on the token's length. */
int serve_token_okn(const char *given, size_t n);
/* The Origin if --cors allows it, else NULL. */
const char *serve_cors_origin(struct MHD_Connection *c);
void serve_common_headers(struct MHD_Connection *c, struct MHD_Response *resp);
/* Queue r (its body is taken) with its headers. */
enum MHD_Result serve_send_reply(struct MHD_Connection *c, struct serve_hreq *rq,
    struct serve_reply *r);
enum MHD_Result serve_send_error(struct MHD_Connection *c, struct serve_hreq *rq, int status,
    const char *e, const char *detail);

/* serve_dispatch.c */
enum MHD_Result serve_dispatch(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload, size_t *upload_size,
    void **con_cls);

/* serve_stream.c */
enum MHD_Result serve_stream(struct MHD_Connection *c, struct serve_hreq *rq,
    struct serve_req *sr);

#endif
