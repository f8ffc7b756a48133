/* http.c: one HTTP request with retries, whole body in memory (http.h). */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "http.h"
#include "nc.h"

static int initialised;

struct sink {
	char *s;
	size_t len, cap, max;
	int too_big;
};

static size_t
sink_write(char *data, size_t size, size_t nmemb, void *arg)
{
	struct sink *k = arg;
	size_t n = size * nmemb;

	if (k->len + n > k->max) {
		k->too_big = 1;
		return 0;
	}
	if (k->len + n + 1 > k->cap) {
		size_t cap = k->cap ? k->cap : 16384;

		while (cap < k->len + n + 1)
			cap *= 2;
		k->s = xrealloc(k->s, cap);
		k->cap = cap;
	}
	memcpy(k->s + k->len, data, n);
	k->len += n;
	k->s[k->len] = '\0';
	return n;
}

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int
http_status_transient(long status)
{
	switch (status) {
	case 408: case 429: case 500: case 502: case 503: case 504:
		return 1;
	default:
		return 0;
	}
}

/* Transport failures worth another attempt. */
static int
curl_transient(CURLcode cc)
{
	switch (cc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_PARTIAL_FILE:
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return 1;
	default:
		return 0;
	}
}

char *
http_redact(const struct http_opts *o, const char *text, size_t n,
    char *buf, size_t bufsize)
{
	size_t j = 0;

	if (bufsize == 0)
		return buf;
	for (size_t i = 0; i < n && text[i] != '\0' && j + 1 < bufsize;) {
		size_t hit = 0;

		for (const char *const *s = o ? o->secrets : NULL; s && *s; s++) {
			size_t sl = strlen(*s);

			if (sl > 0 && sl <= n - i && memcmp(text + i, *s, sl) == 0) {
				hit = sl;
				break;
			}
		}
		if (hit > 0) {
			for (const char *m = "***"; *m && j + 1 < bufsize; m++)
				buf[j++] = *m;
			i += hit;
			continue;
		}
		buf[j++] = (unsigned char)text[i] < ' ' || text[i] == 0x7f ? ' ' : text[i];
		i++;
	}
	buf[j] = '\0';
	return buf;
}

static void
init_once(void)
{
	if (!initialised) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
			errx(NC_FAIL, "curl_global_init failed");
		initialised = 1;
	}
}

/* Configure the handle for one attempt with at most left_ms to go. */
static void
setup(CURL *c, const struct http_opts *o, const char *method, const char *url,
    struct curl_slist *hdr, const char *body, size_t len, struct sink *k, long left_ms)
{
	static char ua[96];

	if (ua[0] == '\0')
		snprintf(ua, sizeof(ua), "nc/%s (%s)", NC_VERSION,
		    nc_progname ? nc_progname : "nc");
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_USERAGENT, ua);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
	    o->connect_timeout_ms < left_ms ? o->connect_timeout_ms : left_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, o->timeout_ms < left_ms ? o->timeout_ms : left_ms);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, k);
	if (hdr != NULL)
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	if (body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	}
	if (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0)
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	else if (strcmp(method, "POST") == 0 && body == NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
	}
}

/* "HTTP 503: <excerpt>" or the transport error, redacted, into why. */
static void
describe(const struct http_opts *o, const char *url, CURLcode cc, long status,
    const struct sink *k, char *why, size_t whysize)
{
	char u[512], ex[160];

	http_redact(o, url, strlen(url), u, sizeof(u));
	if (k->too_big)
		snprintf(why, whysize, "%s: answer larger than %zu bytes", u, o->max_bytes);
	else if (cc != CURLE_OK)
		snprintf(why, whysize, "%s: %s", u, curl_easy_strerror(cc));
	else {
		http_redact(o, k->s ? k->s : "", k->len, ex, sizeof(ex));
		snprintf(why, whysize, "%s: HTTP %ld%s%s", u, status, ex[0] ? ": " : "", ex);
	}
}

int
http_request(const struct http_opts *o, const char *method, const char *url,
    const char *const *headers, const char *body, size_t len,
    struct http_response *r, char *why, size_t whysize)
{
	long start = now_ms(), wait = o->delay_ms > 0 ? o->delay_ms : 1;
	struct curl_slist *hdr = NULL;
	int rval = -1;
	CURL *c;

	memset(r, 0, sizeof(*r));
	init_once();
	if ((c = curl_easy_init()) == NULL) {
		snprintf(why, whysize, "curl_easy_init failed");
		return -1;
	}
	for (const char *const *h = headers; h && *h; h++)
		hdr = curl_slist_append(hdr, *h);
	if (o->verbose >= 2) {
		char u[512];

		fprintf(stderr, "%s: %s %s\n", nc_progname, method,
		    http_redact(o, url, strlen(url), u, sizeof(u)));
	}
	for (long attempt = 0;; attempt++) {
		struct sink k = { .max = o->max_bytes };
		long left = o->total_ms - (now_ms() - start), status = 0;
		curl_off_t after = 0;
		char *ctype = NULL;
		CURLcode cc;
		int again;

		if (left <= 0) {
			size_t n = attempt ? strlen(why) : 0;

			snprintf(why + n, whysize - n, "%sgave up: the total time bound of %ld ms"
			    " ran out", n ? "; " : "", o->total_ms);
			break;
		}
		setup(c, o, method, url, hdr, body, len, &k, left);
		cc = curl_easy_perform(c);
		r->attempts = attempt + 1;
		if (cc == CURLE_OK) {
			curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
			curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ctype);
			curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &after);
		}
		again = !k.too_big && (cc == CURLE_OK ? http_status_transient(status) : curl_transient(cc));
		if (!again || attempt >= o->retries) {
			if (cc == CURLE_OK) {
				r->status = status;
				r->body = k.s ? k.s : xstrdup("");
				r->len = k.len;
				r->content_type = ctype ? xstrdup(ctype) : NULL;
				rval = 0;
			} else {
				describe(o, url, cc, status, &k, why, whysize);
				free(k.s);
			}
			break;
		}
		describe(o, url, cc, status, &k, why, whysize);
		free(k.s);
		if (after > 0)   /* 0: no Retry-After */
			wait = after * 1000 < o->max_delay_ms ? (long)after * 1000 : o->max_delay_ms;
		left = o->total_ms - (now_ms() - start);
		if (wait >= left) {
			size_t n = strlen(why);

			snprintf(why + n, whysize - n, "; gave up: a wait of %ld ms would pass the"
			    " total time bound of %ld ms", wait, o->total_ms);
			break;
		}
		if (o->verbose)
			fprintf(stderr, "%s: %s; retry %ld of %ld in %ld ms\n", nc_progname, why,
			    attempt + 1, o->retries, wait);
		sleep_ms(wait);
		wait = wait * 2 < o->max_delay_ms ? wait * 2 : o->max_delay_ms;
	}
	curl_slist_free_all(hdr);
	curl_easy_cleanup(c);
	return rval;
}

int
http_get(const struct http_opts *o, const char *url, struct http_response *r,
    char *why, size_t whysize)
{
	return http_request(o, "GET", url, NULL, NULL, 0, r, why, whysize);
}

int
http_post(const struct http_opts *o, const char *url, const char *content_type,
    const char *body, size_t len, struct http_response *r, char *why, size_t whysize)
{
	char *ct = NULL;
	const char *headers[2] = { NULL, NULL };
	int rval;

	if (content_type != NULL) {
		size_t n = strlen(content_type) + sizeof("Content-Type: ");

		ct = xmalloc(n);
		snprintf(ct, n, "Content-Type: %s", content_type);
		headers[0] = ct;
	}
	rval = http_request(o, "POST", url, headers, body != NULL ? body : "", len, r, why,
	    whysize);
	free(ct);
	return rval;
}

int
http_type_is(const struct http_response *r, const char *type, char *why, size_t whysize)
{
	const char *ct = r->content_type ? r->content_type : "";
	size_t n = strcspn(ct, "; \t"), tl = strlen(type);

	if (n == tl && strncasecmp(ct, type, n) == 0)
		return 0;
	snprintf(why, whysize, "expected %s, got %.*s", type, (int)(n ? n : 4),
	    n ? ct : "none");
	for (char *p = why; *p; p++)
		if ((unsigned char)*p < ' ')
			*p = ' ';
	return -1;
}

void
http_response_release(struct http_response *r)
{
	free(r->body);
	free(r->content_type);
	memset(r, 0, sizeof(*r));
}

int
http_option(struct http_opts *o, int opt, const char *arg)
{
	switch (opt) {
	case HTTP_OPT_TIMEOUT:
		o->timeout_ms = nc_parse_long(arg, 1, 86400, "--timeout") * 1000;
		return 1;
	case HTTP_OPT_CONNECT_TIMEOUT:
		o->connect_timeout_ms = nc_parse_long(arg, 1, 86400, "--connect-timeout") * 1000;
		return 1;
	case HTTP_OPT_MAX_TIME:
		o->total_ms = nc_parse_long(arg, 1, 86400, "--max-time") * 1000;
		return 1;
	case HTTP_OPT_RETRIES:
		o->retries = nc_parse_long(arg, 0, 100, "--retries");
		return 1;
	default:
		return 0;
	}
}

void
http_cleanup(void)
{
	if (initialised)
		curl_global_cleanup();
	initialised = 0;
}
