/*
 * serve_ws_shake.c: the checks of a WebSocket handshake (GET /ws) after
 * the token (serve_dispatch.c): method, version, no parameters, Upgrade
 * and Connection, Sec-WebSocket-Version and -Key, Origin; then the 101
 * that hands the socket to the hub (serve_ws_hub.c).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>

#include <microhttpd.h>

#include "nc.h"
#include "serve.h"

/* 1 if the comma-separated header value h has the token t (any case). */
static int
has_token(const char *h, const char *t)
{
	size_t tl = strlen(t);

	while (h != NULL && *h) {
		const char *e;

		while (*h == ' ' || *h == '\t' || *h == ',')
			h++;
		e = h;
		while (*e && *e != ',')
			e++;
		{
			const char *end = e;

			while (end > h && (end[-1] == ' ' || end[-1] == '\t'))
				end--;
			if ((size_t)(end - h) == tl && strncasecmp(h, t, tl) == 0)
				return 1;
		}
		h = e;
	}
	return 0;
}

/* The Origin is this server's own (http or https, the Host header). */
static int
same_origin(const char *origin, const char *host)
{
	const char *rest;

	if (host == NULL)
		return 0;
	if (strncmp(origin, "http://", 7) == 0)
		rest = origin + 7;
	else if (strncmp(origin, "https://", 8) == 0)
		rest = origin + 8;
	else
		return 0;
	return strcasecmp(rest, host) == 0;
}

static int
answer_error(struct MHD_Connection *c, int status, const char *error, const char *detail,
    int *st)
{
	struct serve_reply r = SERVE_REPLY_INIT;
	struct MHD_Response *resp;
	int ret;

	serve_error(&r, status, error, detail);
	resp = MHD_create_response_from_buffer(r.body.len, r.body.s, MHD_RESPMEM_MUST_COPY);
	strbuf_release(&r.body);
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", "application/json");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (status == 426) {
		MHD_add_response_header(resp, "Sec-WebSocket-Version", "13");
		MHD_add_response_header(resp, "Upgrade", "websocket");
	}
	*st = status;
	ret = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

int
serve_ws_answer(struct MHD_Connection *c, const char *method, const char *version,
    int origin_ok, int v1, int *st)
{
	const char *key, *ver, *origin;
	char accept[WS_ACCEPT_LEN + 1];
	struct MHD_Response *resp;
	int ret;

	if (strcmp(method, "GET") != 0)
		return answer_error(c, 400, "bad request", "a WebSocket handshake is a GET", st);
	if (strcmp(version, MHD_HTTP_VERSION_1_1) != 0)
		return answer_error(c, 400, "bad request", "a WebSocket handshake needs HTTP/1.1", st);
	if (MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, NULL, NULL) > 0)
		return answer_error(c, 400, "unknown parameter",
		    "/ws takes no parameters: subscribe with a message", st);
	if (!has_token(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Upgrade"), "websocket") ||
	    !has_token(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Connection"), "upgrade"))
		return answer_error(c, 426, "upgrade required",
		    "/ws is a WebSocket: Upgrade: websocket and Connection: Upgrade", st);
	ver = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-WebSocket-Version");
	if (ver == NULL || strcmp(ver, "13") != 0)
		return answer_error(c, 426, "upgrade required", "Sec-WebSocket-Version: 13 only", st);
	key = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-WebSocket-Key");
	if (ws_accept_key(key, accept) != 0)
		return answer_error(c, 400, "bad request",
		    "Sec-WebSocket-Key: not the base64 of 16 bytes", st);
	/* A page of another site must not open a socket with the user's
	 * credentials: its Origin is ours or given with --cors. */
	origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
	if (origin != NULL && !origin_ok &&
	    !same_origin(origin, MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host")))
		return answer_error(c, 403, "forbidden", "Origin: not this server nor a --cors origin",
		    st);
	if (!serve_ws_open())
		return answer_error(c, 503, "unavailable", "the server is stopping", st);
	resp = serve_ws_response();
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_UPGRADE, "websocket");
	MHD_add_response_header(resp, "Sec-WebSocket-Accept", accept);
	if (v1)
		MHD_add_response_header(resp, "Sec-WebSocket-Protocol", "nc.v1");
	*st = 101;
	ret = MHD_queue_response(c, MHD_HTTP_SWITCHING_PROTOCOLS, resp);
	MHD_destroy_response(resp);
	return ret;
}

void
serve_raise_nofile(long conns)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)conns + 64;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur < want)
		fprintf(stderr, "%s: warning: open files limited to %llu: fewer than -c %ld "
		    "connections can be held (raise ulimit -n)\n", nc_progname,
		    (unsigned long long)rl.rlim_cur, conns);
}
