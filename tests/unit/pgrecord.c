/* Unit tests of lib/pgrecord.c: PostgreSQL text values as JSON. */
#include "pgrecord.h"
#include "tap.h"

static struct strbuf vbuf;

/* The JSON of one value, in vbuf. */
static const char *
val(enum pgrec_kind k, const char *text)
{
	vbuf.len = 0;
	strbuf_add(&vbuf, "", 0);
	pgrec_append_value(&vbuf, k, text, text ? strlen(text) : 0);
	return vbuf.s;
}

int
main(void)
{
	struct pgrec_cols c;
	struct strbuf sb = { 0 };
	const char *names[] = { "a", "b\"c", "a" };
	unsigned int oids[] = { PGOID_INT4, PGOID_TEXT, PGOID_BOOL };
	char why[128];

	ok(pgrec_kind_of(PGOID_INT8) == PGREC_INT, "int8 is an integer");
	ok(pgrec_kind_of(PGOID_JSONB) == PGREC_JSON, "jsonb is JSON");
	ok(pgrec_kind_of(PGOID_VARCHAR) == PGREC_TEXT, "varchar is text");
	ok(pgrec_kind_of(2950) == PGREC_TEXT, "uuid (not listed) is text");

	is_str(val(PGREC_INT, NULL), "null", "SQL NULL is null");
	is_str(val(PGREC_INT, "-42"), "-42", "an integer as it is");
	is_str(val(PGREC_FLOAT, "1e-07"), "1e-07", "a float as the server prints it");
	is_str(val(PGREC_FLOAT, "NaN"), "null", "float NaN is null");
	is_str(val(PGREC_FLOAT, "-Infinity"), "null", "float -Infinity is null");
	is_str(val(PGREC_NUMERIC, "12.50"), "12.50", "numeric keeps its scale");
	is_str(val(PGREC_NUMERIC, "12345678901234567.89"), "12345678901234567.89",
	    "numeric keeps all its digits");
	is_str(val(PGREC_NUMERIC, "9223372036854775807"), "9223372036854775807",
	    "numeric: int64 max stays an integer");
	is_str(val(PGREC_NUMERIC, "9223372036854775808"), "9223372036854775808.0",
	    "numeric: past int64 max gets .0");
	is_str(val(PGREC_NUMERIC, "-9223372036854775808"), "-9223372036854775808",
	    "numeric: int64 min stays an integer");
	is_str(val(PGREC_NUMERIC, "-9223372036854775809"), "-9223372036854775809.0",
	    "numeric: below int64 min gets .0");
	ok(val(PGREC_NUMERIC, "1" "000000000000000000000000000000000000000000000000000000000000"
	    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
	    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
	    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000")[0] == '"',
	    "numeric beyond a double's range is a string");
	is_str(val(PGREC_NUMERIC, "Infinity"), "null", "numeric Infinity is null");
	is_str(val(PGREC_BOOL, "t"), "true", "t is true");
	is_str(val(PGREC_BOOL, "f"), "false", "f is false");
	is_str(val(PGREC_DATE, "2024-02-29"), "\"2024-02-29\"", "a date is a string");
	is_str(val(PGREC_TIMESTAMP, "2024-01-01 12:00:00"), "\"2024-01-01T12:00:00Z\"",
	    "timestamp as RFC 3339 UTC");
	is_str(val(PGREC_TIMESTAMP, "2024-01-01 12:00:00.000001+00"),
	    "\"2024-01-01T12:00:00.000001Z\"", "timestamptz in UTC, microseconds kept");
	is_str(val(PGREC_TIMESTAMP, "12024-01-01 12:00:00+00"), "\"12024-01-01T12:00:00Z\"",
	    "a five-digit year");
	is_str(val(PGREC_TIMESTAMP, "2024-01-01 12:00:00-03"), "\"2024-01-01 12:00:00-03\"",
	    "an offset other than UTC is left as text");
	is_str(val(PGREC_TIMESTAMP, "0044-03-15 12:00:00+00 BC"), "\"0044-03-15 12:00:00+00 BC\"",
	    "BC is left as text");
	is_str(val(PGREC_TIMESTAMP, "infinity"), "\"infinity\"", "infinity is left as text");
	is_str(val(PGREC_JSON, "{\"a\": [1, 2],\n \"b\": \"x \\\" y\"}"),
	    "{\"a\":[1,2],\"b\":\"x \\\" y\"}", "JSON made compact, strings untouched");
	is_str(val(PGREC_TEXT, "tab\there \"q\""), "\"tab\\there \\\"q\\\"\"", "text escaped");

	ok(pgrec_cols_init(&c, 2, names, oids, why, sizeof(why)) == 0, "two columns");
	strbuf_addc(&sb, '{');
	for (size_t i = 0; i < c.n; i++) {
		pgrec_append_key(&sb, &c, i);
		pgrec_append_value(&sb, c.kind[i], i ? "x" : "7", 1);
	}
	strbuf_addc(&sb, '}');
	is_str(sb.s, "{\"a\":7,\"b\\\"c\":\"x\"}", "a record, keys escaped");
	pgrec_cols_release(&c);
	ok(pgrec_cols_init(&c, 3, names, oids, why, sizeof(why)) == -1 &&
	    strcmp(why, "duplicate column name 'a'") == 0, "duplicate names are refused");
	strbuf_release(&sb);
	strbuf_release(&vbuf);
	return tap_done();
}
