# tests/serve-lib.sh: a store as nc-daily leaves it, and nc-serve started
# on a free port (-l 127.0.0.1:0, the port read from its start-up line),
# killed when the test ends.
#
#	. "$(dirname "$0")/lib.sh"
#	. "$TESTS_DIR/serve-lib.sh"
#	make_store nc.db && serve_start -d nc.db
#	status "$U/health"             # prints the status, body in body.out

FC=$FIXTURES/reorder/forecast.ndjson
SERVE_PIDS=
trap 'for p in $SERVE_PIDS; do kill -9 $p 2>/dev/null; done; rm -rf "$TRASH"' EXIT

# make_store DB: the fixture's forecasts, reorder and alerts, partition
# 2026-11-26; ro.ndjson and al.ndjson are left for the checks.
make_store() {
	nc-reorder "$FC" >ro.ndjson &&
	nc-alert --all --now 2026-11-26T06:00:00Z ro.ndjson >al.ndjson &&
	nc-store load -d "$1" -p 2026-11-26 -k forecast_id forecasts <"$FC" &&
	nc-store load -d "$1" -p 2026-11-26 reorder <ro.ndjson &&
	nc-store load -d "$1" -p 2026-11-26 alerts <al.ndjson
}

# serve_start ARGS: start nc-serve (stderr in ${LOG:-serve.log}); sets
# SERVE_PID, PORT and U.  Fails if it exits or says nothing for 10 s.
serve_start() {
	_log=${LOG:-serve.log}
	: >"$_log"
	nc-serve -l 127.0.0.1:0 "$@" 2>"$_log" &
	SERVE_PID=$!
	SERVE_PIDS="$SERVE_PIDS $SERVE_PID"
	_i=0
	until grep -q 'listening on' "$_log"; do
		kill -0 "$SERVE_PID" 2>/dev/null || return 1
		_i=$((_i + 1))
		test "$_i" -lt 200 || return 1
		sleep 0.05
	done
	PORT=$(sed -n 's/.*listening on [^ ]*:\([0-9][0-9]*\),.*/\1/p' "$_log")
	U=http://127.0.0.1:$PORT
	test -n "$PORT"
}

# serve_stop: SIGTERM; the status must be 0.
serve_stop() {
	kill -TERM "$SERVE_PID" && wait "$SERVE_PID"
}

# status URL [CURL ARGS]: print the HTTP status; the body goes to body.out,
# the headers to head.out.
status() {
	_url=$1
	shift
	rm -f body.out head.out
	curl -s -o body.out -D head.out -w '%{http_code}' "$@" "$_url"
}

# header NAME: the value of a header of the last answer (head.out).
header() {
	tr -d '\r' <head.out | sed -n "s/^$1: //Ip" | head -n 1
}

# is_error: body.out is {"error": "...", "detail": "..."}.
is_error() {
	jq -e '(.error | type) == "string" and (.detail | type) == "string"' body.out >/dev/null
}
