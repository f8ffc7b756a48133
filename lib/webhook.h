/*
 * webhook.h: POST one message to a URL with libcurl, retrying transient
 * failures (nc-alert's --webhook).  Owner: nc-alert.  To be replaced by
 * lib/http.h's retries once that lands.
 *
 * Retried: connection failures and timeouts, HTTP 408, 429 and 5xx; the
 * wait starts at delay_ms and doubles, up to 30 s, and a Retry-After header
 * (seconds) is honoured up to the same cap.  Anything else (a 4xx) fails
 * at once.  Ownership: nothing given is kept.
 *
 *	struct webhook_opts wo = WEBHOOK_OPTS_INIT;
 *	if (webhook_post(url, body, len, "application/json", &wo, why, sizeof(why)) != 0)
 *		warnx("webhook: %s", why);
 */
#ifndef NC_WEBHOOK_H
#define NC_WEBHOOK_H

#include <stddef.h>

struct webhook_opts {
	long retries;           /* further attempts after the first */
	long delay_ms;          /* first wait */
	long timeout_s;         /* per attempt */
};

#define WEBHOOK_OPTS_INIT { 3, 1000, 20 }

/* Returns 0 on a 2xx answer, -1 with a reason in why (after the retries). */
int webhook_post(const char *url, const char *body, size_t len, const char *content_type,
    const struct webhook_opts *o, char *why, size_t whysize);

/* Release libcurl's global state (at exit). */
void webhook_cleanup(void);

#endif
