/* reject.c: -r FILE and -m N, shared by every filter. */
#include <err.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nc.h"
#include "ndjson.h"
#include "reject.h"

void
rejects_open(struct rejects *r, const char *path, long max)
{
	memset(r, 0, sizeof(*r));
	r->path = path;
	r->max = max;
	if (path != NULL && (r->fp = fopen(path, "w")) == NULL)
		err(NC_FAIL, "%s", path);
}

static void
write_entry(struct rejects *r, const json_t *record, const char *raw,
    const char *input, unsigned long line, const char *reason)
{
	json_t *o = json_object();
	static struct strbuf sb;

	if (record != NULL)
		json_object_set_new(o, "_reject", json_deep_copy(record));
	else
		json_object_set_new(o, "_reject",
		    raw ? json_stringn_nocheck(raw, strlen(raw)) : json_null());
	json_object_set_new(o, "reason", json_string(reason));
	json_object_set_new(o, "tool", json_string(nc_progname));
	json_object_set_new(o, "input", json_string(input));
	json_object_set_new(o, "line", json_integer((json_int_t)line));
	sb.len = 0;
	ndjson_dump(&sb, o);
	strbuf_addc(&sb, '\n');
	if (fwrite(sb.s, 1, sb.len, r->fp) != sb.len)
		err(NC_FAIL, "%s: write error", r->path);
	json_decref(o);
}

void
reject_record(struct rejects *r, const json_t *record, const char *raw,
    const char *input, unsigned long line, const char *reason)
{
	r->count++;
	if (r->fp != NULL)
		write_entry(r, record, raw, input, line, reason);
	else
		warnx("%s:%lu: %s", input, line, reason);
}

void
reject_line(struct rejects *r, int is_object, const char *line, size_t len,
    const char *input, unsigned long lineno, const char *reason, size_t reason_len)
{
	json_t *rec = is_object ? ndjson_parse(line, len, NULL, 0) : NULL;
	char *why = xstrndup(reason, reason_len);

	reject_record(r, rec, rec ? NULL : line, input, lineno, why);
	free(why);
	json_decref(rec);
}

void
reject_aside(struct rejects *r, const json_t *record,
    const char *input, unsigned long line, const char *reason)
{
	r->other++;
	if (r->fp != NULL)
		write_entry(r, record, NULL, input, line, reason);
}

int
rejects_close(struct rejects *r)
{
	if (r->fp != NULL && (fflush(r->fp) != 0 || ferror(r->fp) || fclose(r->fp) != 0))
		err(NC_FAIL, "%s: write error", r->path);
	r->fp = NULL;
	if (r->count > 0 && r->path != NULL)
		warnx("%lu record%s rejected, see %s", r->count,
		    r->count == 1 ? "" : "s", r->path);
	if (r->max >= 0 && r->count > (unsigned long)r->max) {
		warnx("error: %lu rejected, more than -m %ld allows", r->count, r->max);
		return NC_REJECTS;
	}
	return NC_OK;
}
