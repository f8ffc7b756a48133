/*
 * serve_dispatch.c: nc-serve's routes.  serve_dispatch() is the one
 * handler libmicrohttpd calls for every request: it checks what every
 * request must pass (percent-encoding, UTF-8, method, no body), then
 * route() names the endpoint and the switch at its end answers it.
 * A new endpoint: a value in enum route, a line in route(), a case.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "nc.h"
#include "serve_http.h"

static enum MHD_Result
collect_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct serve_req *sr = cls;

	(void)kind;
	if (sr->nargs == SERVE_MAX_ARGS) {
		sr->too_many = 1;
		return MHD_NO;
	}
	sr->akey[sr->nargs] = key;
	sr->aval[sr->nargs++] = value;
	return MHD_YES;
}

static int
wants_ndjson(struct MHD_Connection *c)
{
	const char *a = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept");

	return a != NULL && strstr(a, "application/x-ndjson") != NULL;
}

enum route { R_NONE, R_PAGE, R_HEALTH, R_API, R_STREAM, R_WS };

static enum route
route(const char *url)
{
	if (strcmp(url, "/") == 0 || strcmp(url, "/index.html") == 0)
		return R_PAGE;
	if (strcmp(url, "/health") == 0)
		return R_HEALTH;
	if (strcmp(url, "/ws") == 0)
		return R_WS;
	if (strcmp(url, "/api/v1/stream") == 0 || strcmp(url, "/api/v1/alerts/stream") == 0)
		return R_STREAM;
	if (strcmp(url, "/api/v1/forecasts") == 0 || strcmp(url, "/api/v1/reorder") == 0 ||
	    strcmp(url, "/api/v1/alerts") == 0 ||
	    (strncmp(url, "/api/v1/items/", 14) == 0 && url[14] != '\0' &&
	    strchr(url + 14, '/') == NULL))
		return R_API;
	return R_NONE;
}

#define POOL_WAIT_MS 5000

/* Every handle of the store busy for POOL_WAIT_MS: 503. */
static enum MHD_Result
busy(struct MHD_Connection *c, struct serve_hreq *rq)
{
	struct serve_reply r = SERVE_REPLY_INIT;

	serve_error(&r, 503, "busy", "every handle of the store is in use; try again");
	r.retry_after = 1;
	return serve_send_reply(c, rq, &r);
}

/*
 * A pooled handle that failed may only have gone stale (a PostgreSQL
 * server restarted, a SQLite file replaced): it was closed; answer once
 * more from a fresh one before telling the client 503.  1 if so (r is
 * emptied for it).
 */
static int
stale(int reused, const struct serve_db *db, struct serve_reply *r)
{
	if (!reused || db != NULL || r->status != 503)
		return 0;
	strbuf_release(&r->body);
	*r = (struct serve_reply)SERVE_REPLY_INIT;
	return 1;
}

/* OPTIONS: what is allowed, and CORS's preflight answer. */
static enum MHD_Result
options(struct MHD_Connection *c, struct serve_hreq *rq)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(0, (void *)"",
	    MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	serve_common_headers(c, resp);
	MHD_add_response_header(resp, "Allow", "GET, HEAD, OPTIONS");
	if (serve_cors_origin(c) != NULL) {
		MHD_add_response_header(resp, "Access-Control-Allow-Methods",
		    "GET, HEAD, OPTIONS");
		MHD_add_response_header(resp, "Access-Control-Allow-Headers",
		    "Authorization, Accept, If-None-Match");
		MHD_add_response_header(resp, "Access-Control-Max-Age", "600");
	}
	rq->status = 204;
	ret = MHD_queue_response(c, MHD_HTTP_NO_CONTENT, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* GET /: the buyers' page. */
static enum MHD_Result
page(struct MHD_Connection *c, struct serve_hreq *rq)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(strlen(serve_page_html),
	    (void *)serve_page_html, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	MHD_add_response_header(resp, "Content-Type", "text/html; charset=utf-8");
	MHD_add_response_header(resp, "Cache-Control", "no-cache");
	MHD_add_response_header(resp, "Content-Security-Policy",
	    "default-src 'self'; script-src 'unsafe-inline' 'self'; "
	    "style-src 'unsafe-inline' 'self'; img-src 'self' data:");
	serve_common_headers(c, resp);
	rq->status = 200;
	rq->bytes = strlen(serve_page_html);
	ret = MHD_queue_response(c, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result
count_protocol(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	(void)value;
	if (strcasecmp(key, "Sec-WebSocket-Protocol") == 0)
		(*(int *)cls)++;
	return MHD_YES;
}

/*
 * /ws: the token from Authorization or, since a browser cannot set that
 * on a WebSocket, from the subprotocol nc.bearer.TOKEN offered beside
 * nc.v1 (lib/serve_ws.c ws_protocols); each one given must be right.
 * Neither is ever logged nor quoted.  Then the handshake
 * (lib/serve_ws_shake.c).
 */
static enum MHD_Result
ws(struct MHD_Connection *c, struct serve_hreq *rq, const char *method, const char *version)
{
	struct ws_proto p;
	const char *why, *auth;
	int n = 0, given, right;

	MHD_get_connection_values(c, MHD_HEADER_KIND, count_protocol, &n);
	if (n > 1)
		return serve_send_error(c, rq, 400, "bad request",
		    "Sec-WebSocket-Protocol: give it once");
	if (ws_protocols(MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    "Sec-WebSocket-Protocol"), &p, &why) != 0)
		return serve_send_error(c, rq, 400, "bad request", why);
	if (serve_cfg.token != NULL) {
		auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
		given = auth != NULL || p.tok != NULL;
		right = given &&
		    (auth == NULL || (strncmp(auth, "Bearer ", 7) == 0 && serve_token_ok(auth + 7)));
		right &= p.tok == NULL || serve_token_okn(p.tok, p.toklen);
		if (!right)
			return serve_send_error(c, rq, 401, "unauthorized",
			    given ? "the token is not right" : "a token is needed: Authorization: "
			    "Bearer, or the subprotocol nc.bearer.TOKEN beside nc.v1");
	}
	return serve_ws_answer(c, method, version, serve_cors_origin(c) != NULL, p.v1,
	    &rq->status) == MHD_YES ? MHD_YES : MHD_NO;
}

/*
 * /api/v1/...: the token first (it is never logged), then the query.
 */
static enum MHD_Result
api(struct MHD_Connection *c, struct serve_hreq *rq, enum route rt, const char *url,
    const char *method, const char *version)
{
	struct serve_reply r = SERVE_REPLY_INIT;
	struct serve_req sr = { 0 };
	struct serve_db *db;
	const char *auth;
	int reused;

	if (rt == R_WS)
		return ws(c, rq, method, version);
	if (serve_cfg.token != NULL) {
		auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
		if (auth == NULL || strncmp(auth, "Bearer ", 7) != 0 || !serve_token_ok(auth + 7))
			return serve_send_error(c, rq, 401, "unauthorized",
			    auth ? "the token is not right" : "an Authorization: Bearer token is needed");
	}
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, &sr);
	if (rt == R_STREAM)
		return serve_stream(c, rq, &sr);
	sr.path = url + 8;
	sr.ndjson = wants_ndjson(c);
	sr.if_none_match = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
	if (serve_pool_get(&db, POOL_WAIT_MS) != 0)
		return busy(c, rq);
	sr.db = &db;
	sr.dbpath = serve_cfg.db;
	reused = db != NULL;
	serve_api(&sr, &r);
	if (stale(reused, db, &r))
		serve_api(&sr, &r);
	serve_pool_put(db);
	return serve_send_reply(c, rq, &r);
}

enum MHD_Result
serve_dispatch(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct serve_hreq *rq = *con_cls;
	struct serve_conn *cn;
	const union MHD_ConnectionInfo *ci;
	struct serve_reply r = SERVE_REPLY_INIT;
	struct serve_db *db;
	enum route rt;
	int reused;

	(void)cls;
	(void)upload;
	if (rq == NULL) {
		*con_cls = serve_hreq_new(c, method, url);
		return MHD_YES;
	}
	if (*upload_size != 0) {
		rq->body = 1;           /* read and dropped: a GET takes none */
		*upload_size = 0;
		return MHD_YES;
	}
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	cn = ci ? ci->socket_context : NULL;
	if (cn == NULL)
		return MHD_NO;
	if (cn->bad_escape) {
		cn->bad_escape = 0;
		return serve_send_error(c, rq, 400, "bad request", "bad percent-encoding");
	}
	if (!serve_text_ok(url, strlen(url)))
		return serve_send_error(c, rq, 400, "bad request", "the path is not UTF-8 text");
	rt = route(url);
	if (rt == R_NONE)
		return serve_send_error(c, rq, 404, "not found", "no such path");
	if (strcmp(method, "OPTIONS") == 0)
		return options(c, rq);
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return serve_send_error(c, rq, 405, "method not allowed", "only GET, HEAD and OPTIONS");
	if (rq->body)
		return serve_send_error(c, rq, 400, "bad request", "a GET takes no body");
	switch (rt) {
	case R_PAGE:
		return page(c, rq);
	case R_HEALTH:
		if (serve_pool_get(&db, POOL_WAIT_MS) != 0)
			return busy(c, rq);
		reused = db != NULL;
		serve_health(&db, serve_cfg.db, &r);
		if (stale(reused, db, &r))
			serve_health(&db, serve_cfg.db, &r);
		serve_pool_put(db);
		return serve_send_reply(c, rq, &r);
	case R_NONE:
		break;
	case R_STREAM:
	case R_API:
	case R_WS:
		return api(c, rq, rt, url, method, version);
	}
	return MHD_NO;
}
