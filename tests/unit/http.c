/* tests/unit/http.c: lib/http's pure parts (no network). */
#include <string.h>

#include "http.h"
#include "tap.h"

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
	return tap_done();
}
