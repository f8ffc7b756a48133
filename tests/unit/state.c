/* Unit tests of lib/state.c: the extractors' state file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "state.h"
#include "tap.h"

static const char *
file_text(const char *path)
{
	static char buf[512];
	FILE *fp = fopen(path, "r");
	size_t n = fp ? fread(buf, 1, sizeof(buf) - 1, fp) : 0;

	if (fp)
		fclose(fp);
	buf[n] = '\0';
	return buf;
}

static void
put(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	fputs(text, fp);
	fclose(fp);
}

int
main(void)
{
	char dir[] = "/tmp/nc-state-test.XXXXXX", path[128], why[256];
	json_t *st;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/state.json", dir);

	ok(state_read(path, &st, why, sizeof(why)) == 0, "a missing file is an empty state");
	ok(state_bookmark(st, "items", "created_at") == NULL, "with no bookmark");
	state_set_bookmark(st, "items", "created_at", json_string("2025-03-30T00:00:00Z"));
	ok(state_write(path, st, why, sizeof(why)) == 0, "written");
	is_str(file_text(path), "{\"bookmarks\":{\"items\":{\"created_at\":\"2025-03-30T00:00:00Z\"}}}\n",
	    "as Singer shapes it");
	json_decref(st);

	put(path, "{\"v\":1,\"bookmarks\":{\"inmet\":{\"date\":\"2025-01-01\"},\"items\":{\"id\":null}}}");
	ok(state_read(path, &st, why, sizeof(why)) == 0, "read back");
	ok(state_bookmark(st, "items", "id") == NULL, "a null bookmark is none");
	is_str(json_string_value(state_bookmark(st, "inmet", "date")), "2025-01-01", "bookmark read");
	state_set_bookmark(st, "items", "id", json_integer(42));
	ok(state_write(path, st, why, sizeof(why)) == 0, "rewritten in place");
	is_str(file_text(path), "{\"v\":1,\"bookmarks\":{\"inmet\":{\"date\":\"2025-01-01\"},\"items\":{\"id\":42}}}\n",
	    "other keys and streams kept");
	json_decref(st);

	put(path, "{\"bookmarks\":");
	ok(state_read(path, &st, why, sizeof(why)) == -1 && strstr(why, "invalid JSON") != NULL,
	    "invalid JSON refused: %s", why);
	put(path, "[1]");
	ok(state_read(path, &st, why, sizeof(why)) == -1 && strstr(why, "not a JSON object") != NULL,
	    "not an object refused");
	put(path, "{\"bookmarks\":3}");
	ok(state_read(path, &st, why, sizeof(why)) == -1, "bookmarks not an object refused");
	put(path, "{}");
	ok(state_read(path, &st, why, sizeof(why)) == 0 && state_bookmark(st, "x", "y") == NULL,
	    "no bookmarks key: an empty state");
	snprintf(path, sizeof(path), "%s/nodir/state.json", dir);
	ok(state_write(path, st, why, sizeof(why)) == -1 && strstr(why, "nodir") != NULL,
	    "a write that fails says where: %s", why);
	json_decref(st);

	snprintf(path, sizeof(path), "rm -rf %s", dir);
	if (system(path) != 0)
		return 1;
	return tap_done();
}
