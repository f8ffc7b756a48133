/* Unit tests of lib/serve_api.c: text checks, parameter checks (made
 * before the store is read), errors as JSON, a store that is not there. */
#include <stdlib.h>
#include <string.h>

#include "serve.h"
#include "tap.h"

/* The status of GET /api/v1/<path>?<k=v...> on a store that is not there. */
static int
get(const char *path, int n, const char *const *kv, const char **detail)
{
	static char body[512];
	struct serve_req rq = { 0 };
	struct serve_reply r = SERVE_REPLY_INIT;
	struct serve_db *db = NULL;
	int st;

	rq.path = path;
	rq.db = &db;
	rq.dbpath = "/nonexistent/dir/nc.db";
	for (int i = 0; i < n; i++) {
		rq.akey[i] = kv[2 * i];
		rq.aval[i] = kv[2 * i + 1];
	}
	rq.nargs = n;
	serve_api(&rq, &r);
	st = r.status;
	snprintf(body, sizeof(body), "%.*s", (int)r.body.len, r.body.s ? r.body.s : "");
	*detail = body;
	strbuf_release(&r.body);
	serve_db_close(&db);
	return st;
}

int
main(void)
{
	const char *d;
	const char *lim0[] = { "limit", "0" }, *lim1000[] = { "limit", "1000" };
	const char *twice[] = { "level", "VERDE", "level", "AMARELO" };
	const char *date[] = { "start_date", "2026-02-29" }, *since[] = { "since", "2026-11-26T23:59:60Z" };
	const char *unk[] = { "colour", "red" }, *novalue[] = { "item_id", NULL };

	ok(serve_text_ok("abc", 3), "ASCII is text");
	ok(serve_text_ok("EL\xc3\x89TRICO", 9), "UTF-8 is text");
	ok(!serve_text_ok("\xff", 1), "0xff is not");
	ok(!serve_text_ok("\xc0\xaf", 2), "an overlong form is not");
	ok(!serve_text_ok("\xed\xa0\x80", 3), "a surrogate is not");
	ok(!serve_text_ok("\xe2\x82", 2), "a cut sequence is not");
	ok(!serve_text_ok("a\nb", 3), "a control character is not");
	ok(serve_text_ok("\xf0\x9f\x93\xa6", 4), "a 4-byte character is text");

	ok(get("forecasts", 1, lim0, &d) == 400, "limit=0 is 400");
	ok(strstr(d, "\"error\":\"bad parameter\"") && strstr(d, "\"detail\":\"limit: "), "as JSON: %s", d);
	ok(get("forecasts", 1, lim1000, &d) == 503, "limit=1000 passes the checks; no store is 503");
	ok(strstr(d, "store unavailable") != NULL, "and says so: %s", d);
	ok(get("alerts", 2, twice, &d) == 400, "a parameter twice is 400");
	ok(get("forecasts", 1, date, &d) == 400, "2026-02-29 is 400");
	ok(get("alerts", 1, since, &d) == 400, "a leap second is refused");
	ok(get("reorder", 1, unk, &d) == 400 && strstr(d, "unknown parameter"), "an unknown parameter is 400");
	ok(get("reorder", 1, novalue, &d) == 400, "a parameter without a value is 400");
	ok(get("nothing", 0, NULL, &d) == 404, "an unknown endpoint is 404");
	ok(get("items/010825", 0, NULL, &d) == 503, "an item without a store is 503");
	ok(get("items/010825", 1, lim0, &d) == 400, "an item takes no parameters");

	/* PostgreSQL's placeholders: ? outside quotes only. */
	{
		struct strbuf sb = { 0 };

		serve_db_dollar(&sb, "SELECT record->>'a?b' FROM t WHERE x = ? AND y IN (?, ?)");
		ok(strcmp(sb.s, "SELECT record->>'a?b' FROM t WHERE x = $1 AND y IN ($2, $3)") == 0,
		    "? as $n outside quotes: %s", sb.s);
		strbuf_release(&sb);
	}
	/* The pool: 8 slots, then a wait that times out; a slot given back is free. */
	{
		struct serve_db *h[SERVE_DB_POOL + 1];
		int got = 0;

		for (int i = 0; i < SERVE_DB_POOL; i++)
			got += serve_pool_get(&h[i], 100) == 0 && h[i] == NULL;
		ok(got == SERVE_DB_POOL, "%d slots, no handle open yet", got);
		ok(serve_pool_get(&h[SERVE_DB_POOL], 100) == -1, "the ninth waits and times out");
		serve_pool_put(NULL);
		ok(serve_pool_get(&h[SERVE_DB_POOL], 100) == 0, "a slot given back is taken");
		for (int i = 0; i < SERVE_DB_POOL; i++)
			serve_pool_put(NULL);
	}
	/* A store that is not there opens with a reason, classed as passing. */
	{
		struct serve_db *db = NULL;
		char why[256];

		ok(serve_db_open(&db, "/nonexistent/dir/nc.db", why, sizeof(why)) == SERVE_DB_BUSY &&
		    db == NULL && strstr(why, "cannot open the store") != NULL, "a missing file: %s", why);
		ok(serve_db_open(&db, "postgresql://nobody@127.0.0.1:1/nc?connect_timeout=2", why,
		    sizeof(why)) == SERVE_DB_BUSY && db == NULL && strstr(why, "cannot connect") != NULL,
		    "a PostgreSQL server that is not there: %s", why);
	}
	return tap_done();
}
