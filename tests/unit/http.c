/*
 * tests/unit/http.c: lib/http's pure parts, and http_post() against a
 * one-shot server on 127.0.0.1 (no network).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http.h"
#include "tap.h"

/* A server that takes one request, keeps it, and answers 201 "made". */
struct one_shot {
	int fd;
	char req[4096];
	size_t len;
};

static void *
serve_one(void *arg)
{
	struct one_shot *srv = arg;
	static const char answer[] = "HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\n"
	    "Content-Length: 4\r\nConnection: close\r\n\r\nmade";
	int c = accept(srv->fd, NULL, NULL);
	ssize_t n;

	if (c < 0)
		return NULL;
	/* Headers, then the body of the Content-Length they announce. */
	while (srv->len < sizeof(srv->req) - 1 &&
	    (n = read(c, srv->req + srv->len, sizeof(srv->req) - 1 - srv->len)) > 0) {
		char *end, *cl;

		srv->len += (size_t)n;
		srv->req[srv->len] = '\0';
		if ((end = strstr(srv->req, "\r\n\r\n")) != NULL &&
		    (cl = strcasestr(srv->req, "Content-Length: ")) != NULL &&
		    srv->len >= (size_t)(end + 4 - srv->req) + strtoul(cl + 16, NULL, 10))
			break;
	}
	if (write(c, answer, sizeof(answer) - 1) < 0)
		perror("write");
	close(c);
	return NULL;
}

static void
test_post(void)
{
	struct one_shot srv = { .len = 0 };
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	struct http_opts o = HTTP_OPTS_INIT;
	struct http_response r;
	pthread_t th;
	char url[64], why[256];
	int rc;

	setenv("no_proxy", "127.0.0.1", 1);     /* a proxy of the environment: not here */
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	srv.fd = socket(AF_INET, SOCK_STREAM, 0);
	if (srv.fd < 0 || bind(srv.fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    listen(srv.fd, 1) != 0 || getsockname(srv.fd, (struct sockaddr *)&a, &alen) != 0) {
		ok(0, "a local server for http_post");
		return;
	}
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook", ntohs(a.sin_port));
	pthread_create(&th, NULL, serve_one, &srv);
	o.retries = 0;
	rc = http_post(&o, url, "application/json", "{\"a\":1}", 7, &r, why, sizeof(why));
	pthread_join(th, NULL);
	close(srv.fd);
	ok(rc == 0 && r.status == 201 && r.attempts == 1, "http_post: one attempt, status 201");
	is_str(rc == 0 ? r.body : "", "made", "http_post: the answer's body");
	ok(strncmp(srv.req, "POST /hook HTTP/1.1\r\n", 21) == 0, "http_post: a POST to the path");
	ok(strstr(srv.req, "\r\nContent-Type: application/json\r\n") != NULL,
	    "http_post: the Content-Type given");
	ok(strstr(srv.req, "\r\nUser-Agent: nc/") != NULL, "http_post: the toolkit's User-Agent");
	ok(srv.len >= 7 && memcmp(srv.req + srv.len - 7, "{\"a\":1}", 7) == 0,
	    "http_post: the body, whole");
	if (rc == 0)
		http_response_release(&r);
	/* Nobody listens there now: refused, and the reason names the URL. */
	o.secrets = (const char *[]){ "/hook", NULL };
	rc = http_post(&o, url, NULL, NULL, 0, &r, why, sizeof(why));
	ok(rc == -1 && strstr(why, "/hook") == NULL && strstr(why, "***") != NULL,
	    "http_post: a refused connection is -1, the secret path redacted");
}

int
main(void)
{
	struct http_opts o = HTTP_OPTS_INIT;
	const char *secrets[] = { "s3cr3t", "tok", NULL };
	struct http_response r = { 0 };
	char buf[64], why[128];

	is_str(http_redact(&o, "a/b", 3, buf, sizeof(buf)), "a/b", "no secrets: unchanged");
	o.secrets = secrets;
	is_str(http_redact(&o, "/x/s3cr3t/y?t=tok", 17, buf, sizeof(buf)), "/x/***/y?t=***",
	    "every secret becomes ***");
	is_str(http_redact(&o, "s3cr3", 5, buf, sizeof(buf)), "s3cr3", "a prefix of a secret stays");
	is_str(http_redact(&o, "a\nb\tc", 5, buf, sizeof(buf)), "a b c", "control bytes become spaces");
	is_str(http_redact(&o, "abcdef", 3, buf, sizeof(buf)), "abc", "at most n bytes");
	is_str(http_redact(&o, "0123456789", 10, buf, 5), "0123", "cut to the buffer");
	is_str(http_redact(&o, "xs3cr3t", 7, buf, 6), "x***", "a secret cut by the buffer is not shown");
	ok(http_status_transient(429) && http_status_transient(503) && http_status_transient(408),
	    "408, 429, 503 are transient");
	ok(!http_status_transient(404) && !http_status_transient(406) && !http_status_transient(501),
	    "404, 406, 501 are not");
	r.content_type = "application/json; charset=utf-8";
	ok(http_type_is(&r, "application/json", why, sizeof(why)) == 0, "media type before ';'");
	r.content_type = "Application/JSON";
	ok(http_type_is(&r, "application/json", why, sizeof(why)) == 0, "case ignored");
	r.content_type = "text/html; charset=iso-8859-1";
	ok(http_type_is(&r, "application/json", why, sizeof(why)) == -1, "text/html refused");
	is_str(why, "expected application/json, got text/html", "the reason names both");
	r.content_type = NULL;
	ok(http_type_is(&r, "application/json", why, sizeof(why)) == -1, "no Content-Type refused");
	is_str(why, "expected application/json, got none", "the reason says none");
	test_post();
	http_cleanup();
	return tap_done();
}
