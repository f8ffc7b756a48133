/*
 * nc-serve: answer HTTP from nc-store's datasets (forecasts, reorder,
 * alerts): a JSON/NDJSON API, a live stream of new alerts as Server-Sent
 * Events, and a page for the buyers.  libmicrohttpd (HTTPS with
 * --cert/--key), one thread per connection (at most -c); the store,
 * SQLite or PostgreSQL, read through a pool of handles (lib/serve_db.c).
 *
 * This file: options, the daemon, signals.  The routes are in
 * lib/serve_dispatch.c; see lib/serve_http.h for the other pieces.
 */
#include <arpa/inet.h>
#include <err.h>
#include <getopt.h>
#include <malloc.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nc.h"
#include "serve_http.h"

static const char synopsis[] =
    "usage: nc-serve [-d db] [-l [address:]port] [-c connections] [-i ms]\n"
    "                [--timeout seconds] [--memory bytes] [--cert file --key file]\n"
    "                [--cors origin ...]\n"
    "\n"
    "The store over HTTP: JSON API, live alert stream, buyers' page.\n"
    "  -d db                 the store: SQLite file or postgresql:// URL\n"
    "                        without a password (default: NC_DB)\n"
    "  -l [address:]port     where to listen (default 127.0.0.1:8080)\n"
    "  -c n                  connections at once, at most (default 64)\n"
    "  -i ms                 how often the stream polls the store (default 500)\n"
    "      --timeout s       close a connection idle that long (default 30)\n"
    "      --memory bytes    the memory of one connection (default 32768)\n"
    "      --cors origin     answer cross-origin requests from origin\n"
    "      --cert file       TLS: the server's certificate (PEM), with --key\n"
    "      --key file        TLS: its private key (PEM)\n"
    "  -h, --help            this help\n"
    "  -V, --version         the version\n"
    "The token: NC_API_TOKEN or NC_API_TOKEN_FILE.  Old spellings, kept for\n"
    "one release: -t (now --timeout), -s (--memory).  See nc-serve(1).\n";

static void
usage(int to_stdout)
{
	nc_usage(synopsis, to_stdout);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "cors", required_argument, NULL, 'C' },
		{ "cert", required_argument, NULL, 'E' },
		{ "key", required_argument, NULL, 'K' },
		{ "memory", required_argument, NULL, 'M' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct sockaddr_storage ss;
	socklen_t sslen;
	const char *listen = "8080", *dbopt = NULL, *certfile = NULL, *keyfile = NULL;
	char *cert = NULL, *key = NULL;
	struct MHD_OptionItem tls[3] = { { MHD_OPTION_END, 0, NULL } };
	char shown[512];
	long conns = 64, timeout = 30, memlimit = 32768, interval = 500;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *di;
	unsigned flags;
	sigset_t set;
	int ch, sig, v6;

	nc_init(argv[0]);
	/* One malloc arena per thread would hold each thread's freed pages. */
	mallopt(M_ARENA_MAX, 2);
	while ((ch = getopt_long(argc, argv, "c:d:hi:l:s:t:V", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': conns = nc_parse_long(optarg, 1, 10000, "-c"); break;
		case 'd': serve_cfg.db = dbopt = optarg; break;
		case 'h': usage(1); break;
		case 'i': interval = nc_parse_long(optarg, 50, 60000, "-i"); break;
		case 'l': listen = optarg; break;
		case 's': nc_deprecated("-s", "--memory"); /* FALLTHROUGH */
		case 'M': memlimit = nc_parse_long(optarg, 4096, 1 << 24, "--memory"); break;
		case 't': nc_deprecated("-t", "--timeout"); /* FALLTHROUGH */
		case 'T': timeout = nc_parse_long(optarg, 1, 86400, "--timeout"); break;
		case 'V': nc_print_version(); break;
		case 'E': certfile = optarg; break;
		case 'K': keyfile = optarg; break;
		case 'C':
			if (serve_cfg.ncors == SERVE_MAX_CORS)
				errx(NC_USAGE, "--cors: at most %d origins", SERVE_MAX_CORS);
			serve_cfg.cors[serve_cfg.ncors++] = optarg;
			break;
		default: usage(0);
		}
	}
	if (optind != argc) {
		warnx("error: unexpected argument '%s'", argv[optind]);
		usage(0);
	}
	if (serve_cfg.db == NULL && (serve_cfg.db = getenv("NC_DB")) == NULL) {
		warnx("error: no database: give -d or set NC_DB");
		usage(0);
	}
	/* A password in argv would show in ps(1): PGPASSWORD or ~/.pgpass. */
	if (dbopt != NULL && serve_conf_password_in(dbopt) != 0)
		errx(NC_USAGE, "-d: %s", serve_conf_password_in(dbopt) < 0 ?
		    "not a valid postgresql:// URL" :
		    "a password on the command line is refused; use PGPASSWORD or ~/.pgpass");
	if (serve_parse_listen(listen, &ss, &sslen, &v6) != 0)
		errx(NC_USAGE, "-l: not [address:]port: '%s'", listen);
	serve_conf_token();
	if (serve_cfg.token == NULL && !serve_is_loopback(&ss))
		errx(NC_USAGE, "error: set NC_API_TOKEN or NC_API_TOKEN_FILE to listen beyond loopback");
	if ((certfile == NULL) != (keyfile == NULL))
		errx(NC_USAGE, "--cert and --key go together");
	if (certfile != NULL) {
		/* libmicrohttpd's TLS is GnuTLS's; Debian's is built with it. */
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
			errx(NC_USAGE, "error: this libmicrohttpd has no TLS");
		cert = serve_conf_read_pem(certfile, "--cert");
		key = serve_conf_read_pem(keyfile, "--key");
		tls[0] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0, cert };
		tls[1] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0, key };
		tls[2] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	}
	serve_cfg.keepalive_s = timeout > 20 ? 10 : (int)(timeout / 2 > 0 ? timeout / 2 : 1);

	/* The threads inherit the mask: signals come to sigwait below. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (serve_feed_start(serve_cfg.db, (int)interval) != 0)
		errx(NC_FAIL, "error: cannot start the feed thread");
	serve_raise_nofile(conns);
	if (serve_ws_start((int)timeout, serve_cfg.keepalive_s) != 0)
		errx(NC_FAIL, "error: cannot start the WebSocket thread");
	flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_POLL | MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_ALLOW_UPGRADE |
	    (v6 ? MHD_USE_IPv6 : 0) | (cert ? MHD_USE_TLS : 0);
	d = MHD_start_daemon(flags, 0, NULL, NULL, serve_dispatch, NULL,
	    MHD_OPTION_EXTERNAL_LOGGER, serve_mhd_logger, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_ARRAY, tls,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)conns,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)timeout,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)memlimit,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)conns,
	    MHD_OPTION_NOTIFY_COMPLETED, serve_on_completed, NULL,
	    MHD_OPTION_NOTIFY_CONNECTION, serve_on_connection, NULL,
	    MHD_OPTION_UNESCAPE_CALLBACK, serve_unescape, NULL,
	    MHD_OPTION_END);
	if (d == NULL) {
		serve_feed_stop();
		errx(NC_FAIL, "error: cannot listen on %s", listen);
	}
	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	{
		char host[64] = "";

		if (ss.ss_family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof(host));
		else
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof(host));
		/* The tests read the port of -l ...:0 from this line. */
		fprintf(stderr, "%s: listening on %s%s%s:%u, store %s%s\n", nc_progname,
		    v6 ? "[" : "", host, v6 ? "]" : "", di ? di->port : 0,
		    serve_conf_db_shown(serve_cfg.db, shown, sizeof(shown)),
		    serve_cfg.token ? "" : ", no token: the API is open to local users");
	}
	fflush(stderr);

	do
		sigwait(&set, &sig);
	while (sig == SIGHUP);

	/* Stop taking connections; let the requests in flight finish. */
	atomic_store(&serve_cfg.stopping, 1);
	serve_feed_wake();
	{
		MHD_socket fd = MHD_quiesce_daemon(d);

		if (fd != MHD_INVALID_SOCKET)
			close(fd);
	}
	serve_ws_stop();            /* close 1001 to every WebSocket */
	for (int i = 0; i < 1000 && atomic_load(&serve_cfg.active) > 0; i++)
		usleep(10000);
	MHD_stop_daemon(d);
	serve_feed_stop();
	serve_pool_drain();
	free(serve_cfg.token);
	free(cert);
	if (key != NULL)
		explicit_bzero(key, strlen(key));
	free(key);
	fprintf(stderr, "%s: stopped on signal %d\n", nc_progname, sig);
	return NC_OK;
}
