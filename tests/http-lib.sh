# tests/http-lib.sh: the loopback fixture server for the HTTP extractors'
# tests (nc-extract-inmet, nc-extract-bcb).  Source it after lib.sh.
#
#	fixture_start "$FIXTURES/bcb"      # serves on 127.0.0.1; sets $URL
#	fixture_scenario <<-EOF
#	/dados/serie/bcdata.sgs.433/dados* 200 sgs_433_2024_200.json
#	EOF
#	... nc-extract-bcb -u "$URL" ...
#	requests                           # the request log since the scenario
#
# The server is killed when the test file exits.

FIXTURE_PID=
no_proxy=127.0.0.1,localhost NO_PROXY=127.0.0.1,localhost
export no_proxy NO_PROXY
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy

fixture_stop() {
	if test -n "$FIXTURE_PID"; then
		kill "$FIXTURE_PID" 2>/dev/null
		wait "$FIXTURE_PID" 2>/dev/null
		FIXTURE_PID=
	fi
}
trap 'fixture_stop; rm -rf "$TRASH"' EXIT

# fixture_start ROOT: start the server on a free port; URL=http://127.0.0.1:PORT
fixture_start() {
	: >"$TRASH/.scenario"
	python3 "$TESTS_DIR/http-fixture.py" --root "$1" --scenario "$TRASH/.scenario" \
		--port-file "$TRASH/.port" --log "$TRASH/.requests" &
	FIXTURE_PID=$!
	_i=0
	while test ! -s "$TRASH/.port"; do
		_i=$((_i + 1))
		if test $_i -gt 100 || ! kill -0 "$FIXTURE_PID" 2>/dev/null; then
			echo "Bail out! the fixture server did not start"
			exit 1
		fi
		sleep 0.1
	done
	URL=http://127.0.0.1:$(cat "$TRASH/.port")
	export URL
}

_scenario_n=0
# fixture_scenario: the scenario (stdin) replaces the last one; counters and
# the request log start again.
fixture_scenario() {
	_scenario_n=$((_scenario_n + 1))
	{ echo "# scenario $_scenario_n"; cat; } >"$TRASH/.scenario.new"
	mv "$TRASH/.scenario.new" "$TRASH/.scenario"
	: >"$TRASH/.requests"
}

# requests: the requests made since the last scenario, "METHOD TARGET UA".
requests() {
	cat "$TRASH/.requests"
}
