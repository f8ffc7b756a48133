# tests/pg.sh: a throwaway PostgreSQL server for one test file.
#
#	. "$(dirname "$0")/lib.sh"
#	. "$TESTS_DIR/pg.sh"
#	pg_start || skip_all "..."      # never: CI installs postgresql
#	psql -c 'select 1'              # PGHOST, PGPORT, PGUSER, PGDATABASE set
#	...
#	done_testing                    # the server is stopped at exit
#
# The cluster lives in $TRASH/pg (initdb as the unprivileged user postgres
# when run as root), listens on a Unix socket in that directory and on a
# free TCP port on 127.0.0.1, trusts local connections, and is stopped
# when the test file exits, whether its tests passed or not.

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
PG_DIR=$TRASH/pg

_pg_as() {
	if test "$(id -u)" = 0; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

_pg_free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_stop() {
	if test -f "$PG_DIR/data/postmaster.pid"; then
		_pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1
	fi
}

pg_start() {
	test -x "$PG_BIN/initdb" || { echo "# no PostgreSQL server in /usr/lib/postgresql" >&2; return 1; }
	mkdir -p "$PG_DIR"
	if test "$(id -u)" = 0; then
		chown postgres "$PG_DIR"
		# the socket directory must be reachable by postgres
		chmod 755 "$TRASH"
	fi
	_pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 \
		--locale=C >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; return 1; }
	PGPORT=$(_pg_free_port)
	_pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 \
		-o "-k $PG_DIR -p $PGPORT -h 127.0.0.1 -c fsync=off -c full_page_writes=off" \
		start >/dev/null 2>&1 || { cat "$PG_DIR/server.log" >&2; return 1; }
	PGHOST=$PG_DIR PGUSER=postgres PGDATABASE=postgres
	export PGHOST PGPORT PGUSER PGDATABASE
	unset PGPASSWORD PGSERVICE PGSERVICEFILE PGPASSFILE
	trap 'pg_stop; rm -rf "$TRASH"' EXIT
	trap 'exit 1' INT TERM HUP
}
