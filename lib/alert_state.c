/*
 * alert_state.c: nc-alert's state file (--state): what was sent, so that
 * an alert goes out when new, escalated, undelivered or due again, and
 * not every day (nc-alert(1), "Which alerts go out").
 */
#include <err.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alert.h"
#include "nc.h"

/* Should this alert go out, given its state entry?  Sets *why. */
int
alert_due(const struct alert_opts *o, const json_t *entry, enum alert_level lv,
    const char **why)
{
	const char *prev, *sent;
	long long sent_at;

	if (entry == NULL) {
		*why = "new";
		return 1;
	}
	prev = json_string_value(json_object_get(entry, "level"));
	/* Up to VERMELHO, or between an order on request and a stock alert:
	 * a new action for the buyer. */
	if (prev != NULL && ((lv == AL_VERMELHO && strcmp(prev, "VERMELHO") != 0) ||
	    (lv == AL_ENCOMENDA) != (strcmp(prev, "ENCOMENDA") == 0))) {
		*why = "escalated";
		return 1;
	}
	sent = json_string_value(json_object_get(entry, "sent_at"));
	if (sent == NULL || ts_parse(sent, 0, &sent_at) != 0) {
		*why = "unsent";
		return 1;
	}
	if (o->renotify > 0 && o->now - sent_at >= o->renotify * 86400LL) {
		*why = "renotify";
		return 1;
	}
	return 0;
}

void
alert_state_read(struct alert_opts *o)
{
	json_error_t e;
	FILE *fp;

	o->state = NULL;
	if (o->state_path != NULL && !o->all) {
		if ((fp = fopen(o->state_path, "r")) != NULL) {
			o->state = json_loadf(fp, 0, &e);
			fclose(fp);
			if (o->state == NULL || !json_is_object(json_object_get(o->state, "alerts")))
				errx(NC_FAIL, "error: %s: not an nc-alert state file%s%s",
				    o->state_path, o->state ? "" : ": ", o->state ? "" : e.text);
		} else if (errno != ENOENT)
			err(NC_FAIL, "error: %s", o->state_path);
	}
	if (o->state == NULL)
		o->state = json_pack("{s:i,s:{}}", "version", 1, "alerts");
}

/* Write the state to a temporary file beside it, then rename it over. */
void
alert_state_write(const struct alert_opts *o)
{
	char *dirbuf = xstrdup(o->state_path), tmp[PATH_MAX];
	struct strbuf sb = { 0 };
	FILE *fp;
	int fd;

	snprintf(tmp, sizeof(tmp), "%s/.nc-alert-state.XXXXXX", dirname(dirbuf));
	free(dirbuf);
	if ((fd = mkstemp(tmp)) == -1)
		err(NC_FAIL, "error: %s", tmp);
	if ((fp = fdopen(fd, "w")) == NULL)
		err(NC_FAIL, "error: %s", tmp);
	ndjson_dump(&sb, o->state);
	strbuf_addc(&sb, '\n');
	if (fwrite(sb.s, 1, sb.len, fp) != sb.len || fflush(fp) != 0 || fsync(fd) != 0) {
		unlink(tmp);
		err(NC_FAIL, "error: %s: write error", o->state_path);
	}
	if (fclose(fp) != 0 || rename(tmp, o->state_path) != 0) {
		unlink(tmp);
		err(NC_FAIL, "error: %s", o->state_path);
	}
	strbuf_release(&sb);
}

