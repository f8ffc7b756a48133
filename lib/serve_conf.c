/*
 * serve_conf.c: nc-serve's configuration: the store, the listening
 * address and the API token.
 */
#include <arpa/inet.h>
#include <err.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "nc.h"
#include "ndjson.h"
#include "serve_http.h"

struct serve_conf serve_cfg;

static char *
read_token_file(const char *path)
{
	FILE *fp = fopen(path, "r");
	char buf[1024];
	size_t n;

	if (fp == NULL)
		err(NC_USAGE, "NC_API_TOKEN_FILE: %s", path);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return xstrdup(buf);
}

void
serve_conf_token(void)
{
	const char *tok, *tokfile;

	if ((tok = getenv("NC_API_TOKEN")) != NULL && *tok != '\0')
		serve_cfg.token = xstrdup(tok);
	else if ((tokfile = getenv("NC_API_TOKEN_FILE")) != NULL && *tokfile != '\0')
		serve_cfg.token = read_token_file(tokfile);
	if (serve_cfg.token != NULL && *serve_cfg.token == '\0')
		errx(NC_USAGE, "error: the API token is empty");
	serve_cfg.toklen = serve_cfg.token ? strlen(serve_cfg.token) : 0;
}

int
serve_parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len, int *v6)
{
	char host[128] = "127.0.0.1";
	const char *port = s, *colon = strrchr(s, ':');
	long p;
	char *end;

	if (colon != NULL) {
		size_t n = (size_t)(colon - s);

		if (n == 0 || n >= sizeof(host))
			return -1;
		if (s[0] == '[' && s[n - 1] == ']') {
			memcpy(host, s + 1, n - 2);
			host[n - 2] = '\0';
		} else {
			memcpy(host, s, n);
			host[n] = '\0';
		}
		port = colon + 1;
	}
	p = strtol(port, &end, 10);
	if (*port == '\0' || *end != '\0' || p < 0 || p > 65535)
		return -1;
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;

		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)p);
		*len = sizeof(*in);
		*v6 = 0;
		return 0;
	}
	if (inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)ss)->sin6_addr) == 1) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)p);
		*len = sizeof(*in6);
		*v6 = 1;
		return 0;
	}
	return -1;
}

int
serve_is_loopback(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr) >> 24) == 127;
	return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)ss)->sin6_addr);
}

int
serve_conf_password_in(const char *db)
{
	PQconninfoOption *opts;
	char *emsg = NULL;
	int yes = 0;

	if (!serve_db_is_pg(db))
		return 0;
	if ((opts = PQconninfoParse(db, &emsg)) == NULL) {
		PQfreemem(emsg);
		return -1;
	}
	for (PQconninfoOption *o = opts; o->keyword != NULL; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val != NULL)
			yes = 1;
	PQconninfoFree(opts);
	return yes;
}

const char *
serve_conf_db_shown(const char *db, char *buf, size_t size)
{
	const char *auth, *end, *at = NULL, *colon = NULL;

	if (!serve_db_is_pg(db))
		return db;
	auth = strstr(db, "://") + 3;
	end = auth + strcspn(auth, "?");
	for (const char *p = auth; p < end; p++)
		if (*p == '@')
			at = p;
	if (at != NULL)
		colon = memchr(auth, ':', (size_t)(at - auth));
	if (colon != NULL)
		snprintf(buf, size, "%.*s***%.*s", (int)(colon + 1 - db), db,
		    (int)(end - at), at);
	else
		snprintf(buf, size, "%.*s", (int)(end - db), db);
	return buf;
}

char *
serve_conf_read_pem(const char *path, const char *opt)
{
	FILE *fp = fopen(path, "r");
	struct strbuf sb = { 0 };
	char buf[4096];
	size_t n;

	if (fp == NULL)
		err(NC_USAGE, "%s: %s", opt, path);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0 && sb.len < (1 << 20))
		strbuf_add(&sb, buf, n);
	if (ferror(fp))
		err(NC_USAGE, "%s: %s", opt, path);
	fclose(fp);
	strbuf_addc(&sb, '\0');
	if (strstr(sb.s, "-----BEGIN ") == NULL)
		errx(NC_USAGE, "%s: %s: not PEM", opt, path);
	return sb.s;
}
