/* Unit tests of lib/store.c: names, keys, the shard hash and the DDL. */
#include <stdint.h>
#include <string.h>

#include "store.h"
#include "tap.h"

static uint64_t
fnv(const char *s)
{
	return store_fnv1a64(STORE_FNV_OFFSET, s, strlen(s));
}

int
main(void)
{
	struct store_dataset ds = { .nkeys = 0 };
	struct store_sql_types ty = { "INTEGER PRIMARY KEY", "TEXT", "INTEGER", "TEXT", "", "" };
	struct strbuf sb = { 0 };
	char why[128], buf[64];
	uint64_t h;

	/* The published FNV-1a 64 test vectors. */
	ok(fnv("") == 0xcbf29ce484222325ULL, "fnv1a64 of nothing is the offset basis");
	ok(fnv("a") == 0xaf63dc4c8601ec8cULL, "fnv1a64(\"a\")");
	ok(fnv("foobar") == 0x85944171f73967e8ULL, "fnv1a64(\"foobar\")");
	h = store_fnv1a64(STORE_FNV_OFFSET, "foo", 3);
	ok(store_fnv1a64(h, "bar", 3) == fnv("foobar"), "fnv1a64 continues over pieces");

	ok(store_valid_dataset("silver") && store_valid_dataset("bronze_erp_2"), "dataset names");
	ok(!store_valid_dataset("Silver") && !store_valid_dataset("nc_loads") &&
	    !store_valid_dataset("1x") && !store_valid_dataset("a-b") &&
	    !store_valid_dataset(""), "bad dataset names");
	ok(store_valid_key("item_id") && store_valid_key("Site"), "key names");
	ok(!store_valid_key("_seq") && !store_valid_key("record") && !store_valid_key("a b"),
	    "reserved and bad key names");

	ok(store_keys_split(&ds, "item_id,site_id,date", why, sizeof(why)) == 0 &&
	    ds.nkeys == 3 && ds.date_is_key, "keys split");
	store_keys_join(&ds, buf, sizeof(buf));
	is_str(buf, "item_id,site_id,date", "keys join back");
	snprintf(ds.name, sizeof(ds.name), "silver");
	store_table_ddl(&sb, &ds, &ty);
	strbuf_addc(&sb, '\0');
	ok(strstr(sb.s, "\"site_id\" TEXT, \"date\" TEXT, record TEXT NOT NULL);") != NULL &&
	    strstr(sb.s, "CREATE UNIQUE INDEX IF NOT EXISTS \"silver_key\" ON \"silver\" "
	    "(\"item_id\", \"site_id\", \"date\");") != NULL &&
	    strstr(sb.s, "silver_date") == NULL, "DDL: key columns, unique index, no date index");
	store_dataset_release(&ds);
	strbuf_release(&sb);
	ok(store_keys_split(&ds, "a,a", why, sizeof(why)) == -1 &&
	    strstr(why, "twice") != NULL, "a key given twice");
	store_dataset_release(&ds);
	ok(store_keys_split(&ds, "a,", why, sizeof(why)) == -1, "an empty key");
	store_dataset_release(&ds);
	return tap_done();
}
