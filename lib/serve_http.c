/*
 * serve_http.c: nc-serve's HTTP plumbing over libmicrohttpd: the
 * connection and request hooks, the access log (one line per request,
 * written in one call), percent-decoding, the token check, CORS, and
 * the replies with their headers.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nc.h"
#include "serve_http.h"

void
serve_mhd_logger(void *cls, const char *fmt, va_list ap)
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
size_t
serve_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	const union MHD_ConnectionInfo *ci;
	int bad;
	size_t n = serve_percent_decode(s, &bad);

	(void)cls;
	if (bad && (ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT)) &&
	    ci->socket_context != NULL)
		((struct serve_conn *)ci->socket_context)->bad_escape = 1;
	return n;
}

void
serve_on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
    enum MHD_ConnectionNotificationCode toe)
{
	struct serve_conn *cn = *socket_context;

	(void)cls;
	(void)c;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED)
		*socket_context = xcalloc(1, sizeof(struct serve_conn));
	else if (cn != NULL) {
		free(cn);
		*socket_context = NULL;
	}
}

struct serve_hreq *
serve_hreq_new(struct MHD_Connection *c, const char *method, const char *url)
{
	struct serve_hreq *rq = xcalloc(1, sizeof(*rq));
	const union MHD_ConnectionInfo *ci;

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
	atomic_fetch_add(&serve_cfg.active, 1);
	return rq;
}

void
serve_on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct serve_hreq *rq = *con_cls;
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
	atomic_fetch_sub(&serve_cfg.active, 1);
}

/* Constant time in the length of the configured token. */
int
serve_token_ok(const char *given)
{
	return serve_token_okn(given, given ? strlen(given) : 0);
}

int
serve_token_okn(const char *given, size_t n)
{
	unsigned char diff = (unsigned char)(n != serve_cfg.toklen);

	for (size_t i = 0; i < serve_cfg.toklen; i++)
		diff |= (unsigned char)(serve_cfg.token[i] ^ (i < n ? given[i] : 0));
	return diff == 0;
}

const char *
serve_cors_origin(struct MHD_Connection *c)
{
	const char *o = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");

	if (o == NULL)
		return NULL;
	for (int i = 0; i < serve_cfg.ncors; i++)
		if (strcmp(o, serve_cfg.cors[i]) == 0)
			return serve_cfg.cors[i];
	return NULL;
}

void
serve_common_headers(struct MHD_Connection *c, struct MHD_Response *resp)
{
	const char *o = serve_cors_origin(c);

	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (o != NULL) {
		MHD_add_response_header(resp, "Access-Control-Allow-Origin", o);
		MHD_add_response_header(resp, "Access-Control-Expose-Headers",
		    "ETag, Link, X-Total-Count");
		MHD_add_response_header(resp, "Vary", "Origin");
	}
}

enum MHD_Result
serve_send_reply(struct MHD_Connection *c, struct serve_hreq *rq, struct serve_reply *r)
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
	serve_common_headers(c, resp);
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

enum MHD_Result
serve_send_error(struct MHD_Connection *c, struct serve_hreq *rq, int status, const char *e,
    const char *detail)
{
	struct serve_reply r = SERVE_REPLY_INIT;

	serve_error(&r, status, e, detail);
	return serve_send_reply(c, rq, &r);
}

