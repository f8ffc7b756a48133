/*
 * http.h: one HTTP request over libcurl, answered whole in memory, with
 * the retries, timeouts and redaction that every nc program talking to a
 * server needs (nc-extract-inmet, nc-extract-bcb; nc-alert's webhooks).
 * Owner: nc-extract-inmet/nc-extract-bcb; http_post() added for nc-alert.
 *
 * What http_request() does:
 *  - TLS verification on, a User-Agent "nc/VERSION (PROG)", proxies from
 *    the environment (libcurl's http_proxy, https_proxy, no_proxy);
 *  - a connect timeout and a timeout per attempt, both cut to the time
 *    left of the total bound;
 *  - retries of transport failures (refused or reset connections,
 *    timeouts, truncated bodies) and of HTTP 408, 429, 500, 502, 503, 504:
 *    the wait starts at delay_ms and doubles up to max_delay_ms; a
 *    Retry-After (seconds or an HTTP date) replaces the wait; when the wait
 *    would pass the total bound the request fails at once;
 *  - the body is kept whole (up to max_bytes), so that a caller parses a
 *    complete page or nothing;
 *  - every message it writes (why, -v lines) has the secrets replaced by
 *    "***": a token in a URL never reaches a log.
 *
 * Ownership: http_request() copies nothing it is given and keeps nothing;
 * the response's body and content_type belong to the response, freed by
 * http_response_release().  The secrets array and its strings must live
 * as long as the options.
 *
 *	struct http_opts o = HTTP_OPTS_INIT;
 *	struct http_response r;
 *	const char *secrets[] = { token, NULL };
 *	o.secrets = secrets;
 *	if (http_request(&o, "GET", url, NULL, NULL, 0, &r, why, sizeof(why)) != 0)
 *		errx(1, "error: %s", why);      // why names the URL with "***"
 *	if (r.status == 200 && http_type_is(&r, "application/json", why, sizeof(why)) == 0)
 *		parse(r.body, r.len);          // body is NUL-terminated too
 *	http_response_release(&r);
 */
#ifndef NC_HTTP_H
#define NC_HTTP_H

#include <stddef.h>

struct http_opts {
	long connect_timeout_ms;   /* per attempt, to connect */
	long timeout_ms;           /* per attempt, whole transfer */
	long total_ms;             /* bound on the call: attempts and waits */
	long retries;              /* attempts after the first */
	long delay_ms;             /* first wait; doubles */
	long max_delay_ms;         /* cap of a wait (Retry-After included) */
	size_t max_bytes;          /* a longer body is an error */
	const char *const *secrets;   /* NULL-terminated; replaced by "***" */
	int verbose;               /* 1: retries on stderr; 2: URLs too */
};

#define HTTP_OPTS_INIT { 10000, 60000, 300000, 5, 1000, 60000, \
	(size_t)256 << 20, NULL, 0 }

struct http_response {
	long status;            /* HTTP status of the last attempt */
	char *body;             /* NUL-terminated; len excludes the NUL */
	size_t len;
	char *content_type;     /* as sent, or NULL */
	long attempts;          /* how many were made */
};

/*
 * Make the request; headers is NULL or a NULL-terminated list of
 * "Name: value" lines; body (len bytes) is sent when not NULL.  Returns 0
 * with a response whose status is final: not retried, or retried to the
 * end of the retries (check r->status).  Returns -1 with a reason in why
 * when no response came (after the retries) or the time bound ran out.
 * On -1 the response is empty and needs no release.
 */
int http_request(const struct http_opts *o, const char *method, const char *url,
    const char *const *headers, const char *body, size_t len,
    struct http_response *r, char *why, size_t whysize);

/* GET with no extra header. */
int http_get(const struct http_opts *o, const char *url, struct http_response *r,
    char *why, size_t whysize);

/*
 * POST body (len bytes) with a "Content-Type: content_type" header (none
 * when content_type is NULL), with http_request()'s retries; as
 * http_request(), 0 with a final response (check r->status) or -1 with a
 * reason in why.  Used by nc-alert's webhooks.
 *
 *	if (http_post(&o, url, "application/json", "{}", 2, &r, why, sizeof(why)) != 0 ||
 *	    r.status / 100 != 2) ...
 */
int http_post(const struct http_opts *o, const char *url, const char *content_type,
    const char *body, size_t len, struct http_response *r, char *why, size_t whysize);

/* 1 for 408, 429, 500, 502, 503 and 504: worth another attempt. */
int http_status_transient(long status);

/*
 * 0 when the response's media type (before any ';', case ignored) is
 * type, else -1 with a reason in why: "expected application/json, got
 * text/html".  An HTML error page answered with 200 is caught here.
 */
int http_type_is(const struct http_response *r, const char *type, char *why, size_t whysize);

/*
 * Copy at most n bytes of text into buf (size bufsize) with the secrets
 * replaced by "***" and control bytes by spaces: for URLs and excerpts of
 * bodies in messages.  Returns buf.
 */
char *http_redact(const struct http_opts *o, const char *text, size_t n,
    char *buf, size_t bufsize);

void http_response_release(struct http_response *r);

/*
 * The options every HTTP program shares, for getopt_long(3):
 *   --timeout S  --connect-timeout S  --max-time S  --retries N
 * Put HTTP_LONGOPTS in the option table and pass each unknown option code
 * to http_option(), which returns 1 when it was one of these (a bad value
 * is a usage error, exit 2), else 0.
 */
enum {
	HTTP_OPT_TIMEOUT = 0x4800, HTTP_OPT_CONNECT_TIMEOUT, HTTP_OPT_MAX_TIME,
	HTTP_OPT_RETRIES
};
#define HTTP_LONGOPTS \
	{ "connect-timeout", required_argument, NULL, HTTP_OPT_CONNECT_TIMEOUT }, \
	{ "max-time", required_argument, NULL, HTTP_OPT_MAX_TIME }, \
	{ "retries", required_argument, NULL, HTTP_OPT_RETRIES }, \
	{ "timeout", required_argument, NULL, HTTP_OPT_TIMEOUT }
int http_option(struct http_opts *o, int opt, const char *arg);

/* Release libcurl's global state (optional, at exit). */
void http_cleanup(void);

#endif
