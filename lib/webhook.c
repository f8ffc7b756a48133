/* webhook.c: POST with retries over libcurl (webhook.h). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "nc.h"
#include "webhook.h"

#define MAX_WAIT_MS 30000L

static int initialised;

/* Keep the start of the answer, for the message when it fails. */
struct answer {
	char text[160];
	size_t len;
};

static size_t
keep_answer(char *p, size_t size, size_t n, void *ctx)
{
	struct answer *a = ctx;
	size_t len = size * n, room = sizeof(a->text) - 1 - a->len;

	if (room > 0) {
		size_t k = len < room ? len : room;

		memcpy(a->text + a->len, p, k);
		a->len += k;
		a->text[a->len] = '\0';
	}
	return len;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0)
		;
}

static int
transient(long status)
{
	return status == 408 || status == 429 || status >= 500;
}

int
webhook_post(const char *url, const char *body, size_t len, const char *content_type,
    const struct webhook_opts *o, char *why, size_t whysize)
{
	long wait = o->delay_ms;
	int rval = -1;
	CURL *c;
	struct curl_slist *hdr = NULL;
	char ctype[128];

	if (!initialised) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
			snprintf(why, whysize, "curl_global_init failed");
			return -1;
		}
		initialised = 1;
	}
	if ((c = curl_easy_init()) == NULL) {
		snprintf(why, whysize, "curl_easy_init failed");
		return -1;
	}
	snprintf(ctype, sizeof(ctype), "Content-Type: %s", content_type);
	hdr = curl_slist_append(hdr, ctype);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, o->timeout_s);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o->timeout_s);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep_answer);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "nc-alert/" NC_VERSION);
	for (long attempt = 0; attempt <= o->retries; attempt++) {
		struct answer a = { .len = 0 };
		long status = 0;
		curl_off_t after = 0;
		CURLcode cc;

		curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
		cc = curl_easy_perform(c);
		if (cc == CURLE_OK) {
			curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
			if (status >= 200 && status < 300) {
				rval = 0;
				break;
			}
			snprintf(why, whysize, "HTTP %ld: %s", status, a.text);
			if (!transient(status))
				break;
			if (curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &after) == CURLE_OK && after > 0)
				wait = after * 1000 < MAX_WAIT_MS ? (long)after * 1000 : MAX_WAIT_MS;
		} else
			snprintf(why, whysize, "%s", curl_easy_strerror(cc));
		if (attempt == o->retries)
			break;
		if (nc_verbose)
			fprintf(stderr, "%s: webhook: %s; retry in %ld ms\n", nc_progname, why, wait);
		sleep_ms(wait);
		wait = wait * 2 < MAX_WAIT_MS ? wait * 2 : MAX_WAIT_MS;
	}
	/* why keeps only printable text: the answer may be binary. */
	for (char *p = why; *p; p++)
		if ((unsigned char)*p < ' ')
			*p = ' ';
	curl_slist_free_all(hdr);
	curl_easy_cleanup(c);
	return rval;
}

void
webhook_cleanup(void)
{
	if (initialised)
		curl_global_cleanup();
	initialised = 0;
}
