/*
 * nc-serve: answer HTTP from nc-store's datasets (forecasts, reorder,
 * alerts): a JSON/NDJSON API, a live stream of new alerts as Server-Sent
 * Events, and a page for the buyers.  libmicrohttpd, one thread per
 * connection (at most -c), read-only SQLite connections.
 */
#include <arpa/inet.h>
#include <err.h>
#include <malloc.h>
#include <getopt.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <sqlite3.h>

#include "nc.h"
#include "ndjson.h"
#include "serve.h"

static const char synopsis[] =
    "usage: nc-serve [-d db] [-l [address:]port] [-c connections] [-t seconds]\n"
    "                [-s bytes] [-i ms] [--cors origin ...]\n";

#define MAX_CORS 16

static struct {
	const char *db;
	char *token;
	size_t toklen;
	const char *cors[MAX_CORS];
	int ncors;
	int keepalive_s;
	atomic_int active;
	atomic_int stopping;
} cfg;

/* Per connection: its store handle, whether an escape was bad. */
struct conn {
	sqlite3 *db;
	int bad_escape;
};

/* Per request: what the access log says of it. */
struct req {
	struct timespec t0;
	char method[24];
	char path[256];
	char client[64];
	int status;
	unsigned long long bytes;
	int body;
};

/* A stream client. */
struct stream {
	struct req *rq;
	unsigned long long next;
	unsigned levels;            /* bit per level; 0: all */
	char *item_id;              /* or NULL: all */
	struct strbuf pend;
	size_t off;
	time_t last;
	int hello;
};

static const char *const levels[] = { "VERDE", "AMARELO", "VERMELHO", "ENCOMENDA" };

static void
logger(void *cls, const char *fmt, va_list ap)
{
	char buf[512];
	size_t n;

	(void)cls;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	fprintf(stderr, "%s: warning: %s\n", nc_progname, buf);
}

/* Copy s for a log: bytes outside '!'..'~' and '%' as %XX, at most size. */
static void
log_escape(char *dst, size_t size, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p && n + 4 < size; p++) {
		if (*p > ' ' && *p < 0x7f && *p != '%')
			dst[n++] = (char)*p;
		else {
			dst[n++] = '%';
			dst[n++] = hex[*p >> 4];
			dst[n++] = hex[*p & 15];
		}
	}
	dst[n] = '\0';
}

/* Decode %XX in place; a bad escape is kept and marks the connection. */
static size_t
unescape(void *cls, struct MHD_Connection *c, char *s)
{
	const union MHD_ConnectionInfo *ci;
	int bad;
	size_t n = serve_percent_decode(s, &bad);

	(void)cls;
	if (bad && (ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT)) &&
	    ci->socket_context != NULL)
		((struct conn *)ci->socket_context)->bad_escape = 1;
	return n;
}

static void
on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
    enum MHD_ConnectionNotificationCode toe)
{
	struct conn *cn = *socket_context;

	(void)cls;
	(void)c;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED)
		*socket_context = xcalloc(1, sizeof(struct conn));
	else if (cn != NULL) {
		sqlite3_close(cn->db);
		free(cn);
		*socket_context = NULL;
	}
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct req *rq = *con_cls;
	struct timespec t1;
	struct tm tm;
	char ts[32];
	long long us;

	(void)cls;
	(void)c;
	if (rq == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	us = (long long)(t1.tv_sec - rq->t0.tv_sec) * 1000000 +
	    (t1.tv_nsec - rq->t0.tv_nsec) / 1000;
	{
		time_t now = time(NULL);
		gmtime_r(&now, &tm);
	}
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	/* One line, one write: lines of two threads never mix. */
	fprintf(stderr, "%s: access %s %s %s %s %d %llu %lld%s\n", nc_progname, ts,
	    rq->client, rq->method, rq->path, rq->status, rq->bytes, us,
	    toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted");
	free(rq);
	*con_cls = NULL;
	atomic_fetch_sub(&cfg.active, 1);
}

/* Constant time in the length of the configured token. */
static int
token_ok(const char *given)
{
	size_t n = given ? strlen(given) : 0;
	unsigned char diff = (unsigned char)(n != cfg.toklen);

	for (size_t i = 0; i < cfg.toklen; i++)
		diff |= (unsigned char)(cfg.token[i] ^ (i < n ? given[i] : 0));
	return diff == 0;
}

static const char *
cors_origin(struct MHD_Connection *c)
{
	const char *o = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");

	if (o == NULL)
		return NULL;
	for (int i = 0; i < cfg.ncors; i++)
		if (strcmp(o, cfg.cors[i]) == 0)
			return cfg.cors[i];
	return NULL;
}

static void
common_headers(struct MHD_Connection *c, struct MHD_Response *resp)
{
	const char *o = cors_origin(c);

	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (o != NULL) {
		MHD_add_response_header(resp, "Access-Control-Allow-Origin", o);
		MHD_add_response_header(resp, "Access-Control-Expose-Headers",
		    "ETag, Link, X-Total-Count");
		MHD_add_response_header(resp, "Vary", "Origin");
	}
}

static enum MHD_Result
send_reply(struct MHD_Connection *c, struct req *rq, struct serve_reply *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char buf[64];

	if (r->status == 304) {
		strbuf_release(&r->body);
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	} else {
		resp = MHD_create_response_from_buffer(r->body.len, r->body.s ? r->body.s : (void *)"",
		    r->body.s ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
		rq->bytes = r->body.len;
		MHD_add_response_header(resp, "Content-Type", r->ctype);
	}
	if (resp == NULL) {
		strbuf_release(&r->body);
		return MHD_NO;
	}
	common_headers(c, resp);
	if (r->etag[0]) {
		MHD_add_response_header(resp, "ETag", r->etag);
		MHD_add_response_header(resp, "Cache-Control", "private, no-cache");
		MHD_add_response_header(resp, "Vary", "Accept, Authorization");
	} else if (r->status >= 400)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (r->total >= 0) {
		snprintf(buf, sizeof(buf), "%lld", r->total);
		MHD_add_response_header(resp, "X-Total-Count", buf);
	}
	if (r->link[0]) {
		char link[1100];

		snprintf(link, sizeof(link), "<%s>; rel=\"next\"", r->link);
		MHD_add_response_header(resp, "Link", link);
	}
	if (r->retry_after > 0) {
		snprintf(buf, sizeof(buf), "%d", r->retry_after);
		MHD_add_response_header(resp, "Retry-After", buf);
	}
	if (r->status == 401)
		MHD_add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"nc\"");
	if (r->status == 405)
		MHD_add_response_header(resp, "Allow", "GET, HEAD, OPTIONS");
	rq->status = r->status;
	ret = MHD_queue_response(c, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result
send_error(struct MHD_Connection *c, struct req *rq, int status, const char *e,
    const char *detail)
{
	struct serve_reply r = SERVE_REPLY_INIT;

	serve_error(&r, status, e, detail);
	return send_reply(c, rq, &r);
}

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

/* ---- the stream ---- */

static int
stream_wants(const struct stream *s, const struct serve_event *ev)
{
	if (strcmp(ev->kind, "alert") != 0)
		return s->levels == 0 && s->item_id == NULL;
	if (s->item_id != NULL && (ev->item_id == NULL || strcmp(s->item_id, ev->item_id) != 0))
		return 0;
	if (s->levels != 0) {
		for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
			if (strcmp(ev->level, levels[i]) == 0)
				return (s->levels >> i) & 1;
		return 0;
	}
	return 1;
}

static ssize_t
stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *s = cls;
	struct serve_event ev;
	size_t n;

	(void)pos;
	while (s->off == s->pend.len) {
		int rc;

		s->pend.len = s->off = 0;
		if (!s->hello) {
			static const char hello[] = "retry: 2000\n: nc-serve stream\n\n";

			strbuf_add(&s->pend, hello, sizeof(hello) - 1);
			s->hello = 1;
			break;
		}
		if (s->hello == 2)
			return MHD_CONTENT_READER_END_WITH_ERROR;
		if (atomic_load(&cfg.stopping))
			return MHD_CONTENT_READER_END_OF_STREAM;
		rc = serve_feed_get(s->next, &ev, 1000);
		if (rc < 0) {
			static const char slow[] = "event: error\ndata: {\"error\":\"too slow\"}\n\n";

			s->rq->bytes += sizeof(slow) - 1;
			if (max < sizeof(slow) - 1)
				return MHD_CONTENT_READER_END_WITH_ERROR;
			memcpy(buf, slow, sizeof(slow) - 1);
			s->hello = 2;           /* and the next call ends it */
			return (ssize_t)(sizeof(slow) - 1);
		}
		if (rc == 1) {
			char num[24];

			s->next = ev.seq + 1;
			if (stream_wants(s, &ev)) {
				strbuf_add(&s->pend, "id: ", 4);
				strbuf_add(&s->pend, num, (size_t)ndjson_fmt_long(num, (long long)ev.seq));
				strbuf_add(&s->pend, "\nevent: ", 8);
				strbuf_add(&s->pend, ev.kind, strlen(ev.kind));
				strbuf_add(&s->pend, "\ndata: ", 7);
				strbuf_add(&s->pend, ev.data, strlen(ev.data));
				strbuf_add(&s->pend, "\n\n", 2);
			}
			serve_event_release(&ev);
		} else if (time(NULL) - s->last >= cfg.keepalive_s)
			strbuf_add(&s->pend, ": keepalive\n\n", 13);
	}
	n = s->pend.len - s->off;
	if (n > max)
		n = max;
	memcpy(buf, s->pend.s + s->off, n);
	s->off += n;
	s->rq->bytes += n;
	s->last = time(NULL);
	return (ssize_t)n;
}

static void
stream_free(void *cls)
{
	struct stream *s = cls;

	strbuf_release(&s->pend);
	free(s->item_id);
	free(s);
}

static enum MHD_Result
stream(struct MHD_Connection *c, struct req *rq, struct serve_req *sr)
{
	struct stream *s = xcalloc(1, sizeof(*s));
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char detail[96];

	s->rq = rq;
	s->last = time(NULL);
	for (int i = 0; i < sr->nargs; i++) {
		const char *k = sr->akey[i], *v = sr->aval[i];

		for (int j = 0; j < i; j++)
			if (strcmp(sr->akey[j], k) == 0) {
				stream_free(s);
				snprintf(detail, sizeof(detail), "%.40s: given twice", k);
				return send_error(c, rq, 400, "bad parameter", detail);
			}
		if (v == NULL || *v == '\0' || strlen(v) > 200 || !serve_text_ok(v, strlen(v))) {
			stream_free(s);
			return send_error(c, rq, 400, "bad parameter",
			    "a value is empty, too long or not UTF-8 text");
		}
		if (strcmp(k, "item_id") == 0)
			s->item_id = xstrdup(v);
		else if (strcmp(k, "level") == 0) {
			char list[201], *save, *tok;

			snprintf(list, sizeof(list), "%s", v);
			for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
				size_t l;

				for (l = 0; l < sizeof(levels) / sizeof(levels[0]); l++)
					if (strcmp(tok, levels[l]) == 0)
						break;
				if (l == sizeof(levels) / sizeof(levels[0])) {
					stream_free(s);
					return send_error(c, rq, 400, "bad parameter",
					    "level: not VERDE, AMARELO, VERMELHO or ENCOMENDA");
				}
				s->levels |= 1u << l;
			}
		} else {
			stream_free(s);
			return send_error(c, rq, 400, "unknown parameter",
			    serve_text_ok(k, strlen(k)) && strlen(k) < 40 ? k : "(not shown)");
		}
	}
	if (sr->too_many) {
		stream_free(s);
		return send_error(c, rq, 400, "bad parameter", "query: too many parameters");
	}
	/* Only what is loaded from now on. */
	s->next = serve_feed_head();
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, stream_read, s,
	    stream_free);
	if (resp == NULL) {
		stream_free(s);
		return MHD_NO;
	}
	common_headers(c, resp);
	MHD_add_response_header(resp, "Content-Type", "text/event-stream; charset=utf-8");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Accel-Buffering", "no");
	rq->status = 200;
	ret = MHD_queue_response(c, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* ---- dispatch ---- */

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

static enum MHD_Result
handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct req *rq = *con_cls;
	struct conn *cn;
	const union MHD_ConnectionInfo *ci;
	struct serve_reply r = SERVE_REPLY_INIT;
	struct serve_req sr = { 0 };
	enum route rt;
	const char *auth;

	(void)cls;
	(void)upload;
	if (rq == NULL) {
		rq = xcalloc(1, sizeof(*rq));
		clock_gettime(CLOCK_MONOTONIC, &rq->t0);
		log_escape(rq->method, sizeof(rq->method), method);
		log_escape(rq->path, sizeof(rq->path), url);
		snprintf(rq->client, sizeof(rq->client), "-");
		ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if (ci != NULL && ci->client_addr != NULL) {
			const struct sockaddr *sa = ci->client_addr;

			if (sa->sa_family == AF_INET)
				inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
				    rq->client, sizeof(rq->client));
			else if (sa->sa_family == AF_INET6)
				inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
				    rq->client, sizeof(rq->client));
		}
		*con_cls = rq;
		atomic_fetch_add(&cfg.active, 1);
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
		return send_error(c, rq, 400, "bad request", "bad percent-encoding");
	}
	if (!serve_text_ok(url, strlen(url)))
		return send_error(c, rq, 400, "bad request", "the path is not UTF-8 text");
	rt = route(url);
	if (rt == R_NONE)
		return send_error(c, rq, 404, "not found", "no such path");
	if (strcmp(method, "OPTIONS") == 0) {
		struct MHD_Response *resp = MHD_create_response_from_buffer(0, (void *)"",
		    MHD_RESPMEM_PERSISTENT);
		enum MHD_Result ret;

		common_headers(c, resp);
		MHD_add_response_header(resp, "Allow", "GET, HEAD, OPTIONS");
		if (cors_origin(c) != NULL) {
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
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return send_error(c, rq, 405, "method not allowed", "only GET, HEAD and OPTIONS");
	if (rq->body)
		return send_error(c, rq, 400, "bad request", "a GET takes no body");
	if (rt == R_PAGE) {
		struct MHD_Response *resp = MHD_create_response_from_buffer(strlen(serve_page_html),
		    (void *)serve_page_html, MHD_RESPMEM_PERSISTENT);
		enum MHD_Result ret;

		MHD_add_response_header(resp, "Content-Type", "text/html; charset=utf-8");
		MHD_add_response_header(resp, "Cache-Control", "no-cache");
		MHD_add_response_header(resp, "Content-Security-Policy",
		    "default-src 'self'; script-src 'unsafe-inline' 'self'; "
		    "style-src 'unsafe-inline' 'self'; img-src 'self' data:");
		common_headers(c, resp);
		rq->status = 200;
		rq->bytes = strlen(serve_page_html);
		ret = MHD_queue_response(c, MHD_HTTP_OK, resp);
		MHD_destroy_response(resp);
		return ret;
	}
	if (rt == R_HEALTH) {
		serve_health(&cn->db, cfg.db, &r);
		if (r.status == 200)
			r.ctype = "application/json";
		return send_reply(c, rq, &r);
	}
	/* The API: the token first; it is never logged. */
	if (cfg.token != NULL) {
		auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
		if (auth == NULL || strncmp(auth, "Bearer ", 7) != 0 || !token_ok(auth + 7))
			return send_error(c, rq, 401, "unauthorized",
			    auth ? "the token is not right" : "an Authorization: Bearer token is needed");
	}
	if (rt == R_WS)             /* lib/serve_ws_hub.c */
		return serve_ws_answer(c, method, version, cors_origin(c) != NULL,
		    &rq->status) == MHD_YES ? MHD_YES : MHD_NO;
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, &sr);
	if (rt == R_STREAM)
		return stream(c, rq, &sr);
	sr.path = url + 8;
	sr.ndjson = wants_ndjson(c);
	sr.if_none_match = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
	sr.db = &cn->db;
	sr.dbpath = cfg.db;
	serve_api(&sr, &r);
	return send_reply(c, rq, &r);
}

/* ---- start-up ---- */

static void
usage(int to_stdout)
{
	nc_usage(synopsis, to_stdout);
}

static char *
read_token_file(const char *path)
{
	FILE *fp = fopen(path, "r");
	char buf[1024];
	size_t n;

	if (fp == NULL)
		err(NC_USAGE, "NC_API_TOKEN_FILE: %s", path);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return xstrdup(buf);
}

/* "[address:]port" into sa; 0, or -1. */
static int
parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len, int *v6)
{
	char host[128] = "127.0.0.1";
	const char *port = s, *colon = strrchr(s, ':');
	long p;
	char *end;

	if (colon != NULL) {
		size_t n = (size_t)(colon - s);

		if (n == 0 || n >= sizeof(host))
			return -1;
		if (s[0] == '[' && s[n - 1] == ']') {
			memcpy(host, s + 1, n - 2);
			host[n - 2] = '\0';
		} else {
			memcpy(host, s, n);
			host[n] = '\0';
		}
		port = colon + 1;
	}
	p = strtol(port, &end, 10);
	if (*port == '\0' || *end != '\0' || p < 0 || p > 65535)
		return -1;
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;

		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)p);
		*len = sizeof(*in);
		*v6 = 0;
		return 0;
	}
	if (inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)ss)->sin6_addr) == 1) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)p);
		*len = sizeof(*in6);
		*v6 = 1;
		return 0;
	}
	return -1;
}

static int
is_loopback(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr) >> 24) == 127;
	return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)ss)->sin6_addr);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "cors", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 }
	};
	struct sockaddr_storage ss;
	socklen_t sslen;
	const char *listen = "8080", *tok, *tokfile;
	long conns = 64, timeout = 30, memlimit = 32768, interval = 500;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *di;
	unsigned flags;
	sigset_t set;
	int ch, sig, v6;

	nc_init(argv[0]);
	/* One malloc arena per thread would hold each thread's freed pages. */
	mallopt(M_ARENA_MAX, 2);
	while ((ch = getopt_long(argc, argv, "c:d:hi:l:s:t:V", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': conns = nc_parse_long(optarg, 1, 10000, "-c"); break;
		case 'd': cfg.db = optarg; break;
		case 'h': usage(1); break;
		case 'i': interval = nc_parse_long(optarg, 50, 60000, "-i"); break;
		case 'l': listen = optarg; break;
		case 's': memlimit = nc_parse_long(optarg, 4096, 1 << 24, "-s"); break;
		case 't': timeout = nc_parse_long(optarg, 1, 86400, "-t"); break;
		case 'V': nc_print_version(); break;
		case 'C':
			if (cfg.ncors == MAX_CORS)
				errx(NC_USAGE, "--cors: at most %d origins", MAX_CORS);
			cfg.cors[cfg.ncors++] = optarg;
			break;
		default: usage(0);
		}
	}
	if (optind != argc)
		usage(0);
	if (cfg.db == NULL && (cfg.db = getenv("NC_DB")) == NULL) {
		warnx("no database: give -d or set NC_DB");
		usage(0);
	}
	if (strncmp(cfg.db, "postgres", 8) == 0 || strchr(cfg.db, '=') != NULL)
		errx(NC_USAGE, "error: PostgreSQL stores are not served yet; give a SQLite file");
	if (parse_listen(listen, &ss, &sslen, &v6) != 0)
		errx(NC_USAGE, "-l: not [address:]port: '%s'", listen);
	if ((tok = getenv("NC_API_TOKEN")) != NULL && *tok != '\0')
		cfg.token = xstrdup(tok);
	else if ((tokfile = getenv("NC_API_TOKEN_FILE")) != NULL && *tokfile != '\0')
		cfg.token = read_token_file(tokfile);
	if (cfg.token != NULL && *cfg.token == '\0')
		errx(NC_USAGE, "error: the API token is empty");
	if (cfg.token == NULL && !is_loopback(&ss))
		errx(NC_USAGE, "error: set NC_API_TOKEN or NC_API_TOKEN_FILE to listen beyond loopback");
	cfg.toklen = cfg.token ? strlen(cfg.token) : 0;
	cfg.keepalive_s = timeout > 20 ? 10 : (int)(timeout / 2 > 0 ? timeout / 2 : 1);

	/* The threads inherit the mask: signals come to sigwait below. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (serve_feed_start(cfg.db, (int)interval) != 0)
		errx(NC_FAIL, "error: cannot start the feed thread");
	serve_raise_nofile(conns);
	if (serve_ws_start((int)timeout, cfg.keepalive_s) != 0)
		errx(NC_FAIL, "error: cannot start the WebSocket thread");
	flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_POLL | MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_ALLOW_UPGRADE |
	    (v6 ? MHD_USE_IPv6 : 0);
	d = MHD_start_daemon(flags, 0, NULL, NULL, handle, NULL,
	    MHD_OPTION_EXTERNAL_LOGGER, logger, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)conns,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)timeout,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)memlimit,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)conns,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	    MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
	    MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
	    MHD_OPTION_END);
	if (d == NULL) {
		serve_feed_stop();
		errx(NC_FAIL, "error: cannot listen on %s", listen);
	}
	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	{
		char host[64] = "";

		if (ss.ss_family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof(host));
		else
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof(host));
		/* The tests read the port of -l ...:0 from this line. */
		fprintf(stderr, "%s: listening on %s%s%s:%u, store %s%s\n", nc_progname,
		    v6 ? "[" : "", host, v6 ? "]" : "", di ? di->port : 0, cfg.db,
		    cfg.token ? "" : ", no token: the API is open to local users");
	}
	fflush(stderr);

	do
		sigwait(&set, &sig);
	while (sig == SIGHUP);

	/* Stop taking connections; let the requests in flight finish. */
	atomic_store(&cfg.stopping, 1);
	serve_feed_wake();
	{
		MHD_socket fd = MHD_quiesce_daemon(d);

		if (fd != MHD_INVALID_SOCKET)
			close(fd);
	}
	serve_ws_stop();            /* close 1001 to every WebSocket */
	for (int i = 0; i < 1000 && atomic_load(&cfg.active) > 0; i++)
		usleep(10000);
	MHD_stop_daemon(d);
	serve_feed_stop();
	free(cfg.token);
	fprintf(stderr, "%s: stopped on signal %d\n", nc_progname, sig);
	return NC_OK;
}
