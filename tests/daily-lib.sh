# tests/daily-lib.sh: helpers for the nc-daily tests (t095x-t099x), sourced
# after tests/lib.sh.
#
#	daily_slice FROM TO >FILE   item-day records of the bundled sample dated
#	                            FROM..TO, through the real nc-csv and
#	                            scripts/nc-sample-map
#	daily_config FILE DIR [LINES...]   a config file for a run in DIR
#	store_snapshot DB >FILE     every dataset of the store, dumped
#	day_records FILE DAY        the records of FILE dated DAY

DAILY=$SRC_DIR/scripts/nc-daily
SAMPLE_CSV=$SRC_DIR/data/sample/requisicoes-2024-2025.csv
DAILY_NOW=2025-10-25T06:00:00Z

daily_slice() {
	nc-csv --strings 'PRODUTO/SERVIÇO,SOLICITAÇÃO' "$SAMPLE_CSV" >"$TRASH/.sample.ndjson" &&
	nc-sample-map "$TRASH/.sample.ndjson" |
		jq -c --arg f "$1" --arg t "$2" 'select(.date != null and .date >= $f and .date <= $t)'
}

# daily_config FILE DIR [LINE...]: the settings every test shares (the
# sample slice as the ERP file, no weather or economic source, the build's
# programs), then LINEs.
daily_config() {
	_f=$1 _d=$2
	shift 2
	{
		echo "NC_DAILY_DIR=$_d"
		echo "NC_BIN=$NC_BIN"
		echo "ERP_SOURCE=file"
		echo "ERP_FILE=$TRASH/slice.ndjson"
		echo "WEATHER_SOURCE=none"
		echo "ECON_SOURCE=none"
		echo "MIN_ROWS_ERP=0"
		echo "HORIZON=7"
		echo "JOBS=1"
		echo "NOW=$DAILY_NOW"
		echo "REORDER_OPTS='--lead-time 7'"
		for _l in "$@"; do echo "$_l"; done
	} >"$_f"
}

store_snapshot() {
	for _ds in $(nc-store ls -d "$1" | jq -r .dataset); do
		echo "== $_ds"
		nc-store dump -d "$1" "$_ds"
	done
}

day_records() {
	jq -c --arg d "$2" 'select(.date == $d)' "$1"
}

# timings_of RUN_DIR DAY STAGE: "attempt status" lines of the stage.
timings_of() {
	awk -F '\t' -v d="$2" -v s="$3" '$1 == d && $2 == s { print $3, $4 }' "$1/timings.tsv"
}

# the_run DIR: the one run directory under DIR/log.
the_run() {
	set -- "$1"/log/2*/
	test $# = 1 || { echo "expected one run directory, got $#: $*" >&2; return 1; }
	echo "${1%/}"
}

# marked_examples PAGE MARK: the lines of the display that follows the
# comment line ".\" MARK ..." in PAGE, mdoc escapes undone (examples that
# need a test's own setting, which run_man_examples cannot give them).
marked_examples() {
	awk -v m="$2" '
		index($0, ".\\\" " m) == 1 { on = 1; next }
		on && /^\.Bd/ { next }
		on && /^\.Ed/ { exit }
		on { print }
	' "$1" | sed -e 's/\\e/\\/g' -e 's/\\(ba/|/g' -e 's/\\-/-/g' -e 's/\\&//g'
}

# ssh_hosts_start DIR HOST...: "hosts" for nc-daily's sharded mode on this
# machine: an sshd of our own (keys made in DIR/ssh) on 127.0.0.1, one free
# port per HOST; a session on HOST's port gets PATH=DIR/HOST/bin:/usr/bin:/bin
# and PGPASSFILE=DIR/HOST/pgpass (the caller fills DIR/HOST).  Writes
# DIR/ssh/config, for ssh -F, naming each HOST; sets SSHD_PID; returns when
# every host answers (at most 10 s).  ssh_hosts_stop ends the sshd.
ssh_hosts_start() {
	_sd=$1/ssh
	shift
	mkdir -p "$_sd"
	ssh-keygen -q -t ed25519 -N '' -f "$_sd/host_key" || return
	ssh-keygen -q -t ed25519 -N '' -f "$_sd/id" || return
	cp "$_sd/id.pub" "$_sd/authorized_keys"
	chmod 600 "$_sd/authorized_keys"
	test "$(id -u)" != 0 || mkdir -p /run/sshd
	{
		echo "ListenAddress 127.0.0.1"
		echo "HostKey $_sd/host_key"
		echo "AuthorizedKeysFile $_sd/authorized_keys"
		echo "PasswordAuthentication no"
		echo "KbdInteractiveAuthentication no"
		echo "UsePAM no"
		echo "StrictModes no"
		echo "PermitRootLogin prohibit-password"
		echo "MaxStartups 100"
		echo "PidFile $_sd/sshd.pid"
	} >"$_sd/sshd_config"
	: >"$_sd/config"
	: >"$_sd/match"
	for _h in "$@"; do
		_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
		echo "Port $_port" >>"$_sd/sshd_config"
		printf 'Match LocalPort %s\n\tSetEnv PATH=%s PGPASSFILE=%s\n' "$_port" \
			"${_sd%/ssh}/$_h/bin:/usr/bin:/bin" "${_sd%/ssh}/$_h/pgpass" >>"$_sd/match"
		printf 'Host %s\n\tHostName 127.0.0.1\n\tPort %s\n' "$_h" "$_port" >>"$_sd/config"
	done
	cat "$_sd/match" >>"$_sd/sshd_config"
	printf 'Host *\n\tUser %s\n\tIdentityFile %s\n\tStrictHostKeyChecking no\n\tUserKnownHostsFile /dev/null\n\tBatchMode yes\n\tLogLevel ERROR\n' \
		"$(id -un)" "$_sd/id" >>"$_sd/config"
	/usr/sbin/sshd -D -f "$_sd/sshd_config" -E "$_sd/sshd.log" &
	SSHD_PID=$!
	for _i in 1 2 3 4 5 6 7 8 9 10; do
		_up=0
		for _h in "$@"; do
			ssh -F "$_sd/config" -o ConnectTimeout=2 "$_h" true 2>/dev/null && _up=$((_up + 1))
		done
		test "$_up" != $# || return 0
		sleep 1
	done
	echo "ssh_hosts_start: the hosts do not answer; see $_sd/sshd.log" >&2
	return 1
}

ssh_hosts_stop() {
	test -z "${SSHD_PID:-}" || kill "$SSHD_PID" 2>/dev/null
	SSHD_PID=
}
