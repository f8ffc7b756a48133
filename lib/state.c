/* state.c: the extractors' state file (see state.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nc.h"
#include "ndjson.h"
#include "state.h"

json_t *
state_new(void)
{
	json_t *st = json_object();

	json_object_set_new(st, "bookmarks", json_object());
	return st;
}

int
state_read(const char *path, json_t **state, char *why, size_t whysize)
{
	json_error_t e;
	json_t *st, *bm;
	FILE *fp;

	*state = NULL;
	fp = fopen(path, "r");
	if (fp == NULL) {
		if (errno == ENOENT) {
			*state = state_new();
			return 0;
		}
		snprintf(why, whysize, "%s: %s", path, strerror(errno));
		return -1;
	}
	st = json_loadf(fp, JSON_REJECT_DUPLICATES, &e);
	if (st == NULL && ferror(fp))
		snprintf(why, whysize, "%s: %s", path, strerror(errno));
	else if (st == NULL)
		snprintf(why, whysize, "%s:%d: invalid JSON: %s", path, e.line, e.text);
	fclose(fp);
	if (st == NULL)
		return -1;
	if (!json_is_object(st)) {
		snprintf(why, whysize, "%s: not a JSON object", path);
		json_decref(st);
		return -1;
	}
	bm = json_object_get(st, "bookmarks");
	if (bm == NULL) {
		json_object_set_new(st, "bookmarks", json_object());
	} else if (!json_is_object(bm)) {
		snprintf(why, whysize, "%s: \"bookmarks\" is not an object", path);
		json_decref(st);
		return -1;
	}
	*state = st;
	return 0;
}

json_t *
state_bookmark(const json_t *state, const char *stream, const char *key)
{
	json_t *s = json_object_get(json_object_get(state, "bookmarks"), stream);
	json_t *v = json_object_get(s, key);

	return json_is_null(v) ? NULL : v;
}

void
state_set_bookmark(json_t *state, const char *stream, const char *key, json_t *value)
{
	json_t *bm = json_object_get(state, "bookmarks"), *s;

	if (!json_is_object(bm)) {
		bm = json_object();
		json_object_set_new(state, "bookmarks", bm);
	}
	s = json_object_get(bm, stream);
	if (!json_is_object(s)) {
		s = json_object();
		json_object_set_new(bm, stream, s);
	}
	json_object_set_new(s, key, value);
}

/* Write all of buf to fd; 0 or -1 with errno. */
static int
write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int
state_write(const char *path, const json_t *state, char *why, size_t whysize)
{
	struct strbuf sb = { 0 };
	size_t plen = strlen(path);
	char *tmp = xmalloc(plen + sizeof(".XXXXXX"));
	mode_t um = umask(0);
	int fd, e;

	umask(um);

	memcpy(tmp, path, plen);
	memcpy(tmp + plen, ".XXXXXX", sizeof(".XXXXXX"));
	fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(why, whysize, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	ndjson_dump(&sb, state);
	strbuf_addc(&sb, '\n');
	if (write_all(fd, sb.s, sb.len) != 0 || fchmod(fd, 0666 & ~um) != 0 || fsync(fd) != 0) {
		e = errno;
		close(fd);
		goto fail;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		e = errno;
		goto fail;
	}
	strbuf_release(&sb);
	free(tmp);
	return 0;
fail:
	snprintf(why, whysize, "%s: %s", path, strerror(e));
	unlink(tmp);
	strbuf_release(&sb);
	free(tmp);
	return -1;
}
