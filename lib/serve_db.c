/*
 * serve_db.c: nc-serve's store, whichever backend: open by what -d or
 * NC_DB names, close, and the placeholders PostgreSQL wants.
 */
#include <stdio.h>
#include <string.h>

#include "nc.h"
#include "ndjson.h"
#include "serve.h"

int
serve_db_is_pg(const char *where)
{
	return strncmp(where, "postgresql://", 13) == 0 || strncmp(where, "postgres://", 11) == 0;
}

int
serve_db_open(struct serve_db **db, const char *where, char *why, size_t whysize)
{
	int rc = SERVE_DB_OK;

	if (*db != NULL)
		return SERVE_DB_OK;
	if (serve_db_is_pg(where))
		*db = serve_db_pg_open(where, why, whysize, &rc);
	else
		*db = serve_db_sqlite_open(where, why, whysize, &rc);
	return *db != NULL ? SERVE_DB_OK : rc;
}

void
serve_db_close(struct serve_db **db)
{
	if (*db != NULL)
		(*db)->ops->close(*db);
	*db = NULL;
}

void
serve_db_dollar(struct strbuf *sb, const char *sql)
{
	char num[24];
	int n = 0, quoted = 0;

	for (const char *p = sql; *p; p++) {
		if (*p == '\'')
			quoted = !quoted;
		if (*p == '?' && !quoted) {
			strbuf_addc(sb, '$');
			strbuf_add(sb, num, (size_t)ndjson_fmt_long(num, ++n));
		} else
			strbuf_addc(sb, *p);
	}
	strbuf_addc(sb, '\0');
}
