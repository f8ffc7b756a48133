# bench/daily-shards.sh: bench/daily's sharded comparison, sourced by
# bench/daily when SHARDS > 0 (its variables: series, days, period,
# horizon, shards, root, work, bin, last, rows, t0, t1).
#
# One PostgreSQL server (tests/pg.sh: a throwaway cluster under $work) and
# an sshd of our own (tests/daily-lib.sh, ssh_hosts_start: host hK is
# ssh to 127.0.0.1 on a port of its own, with $work/hK/bin as its PATH).
# The day runs three times on the same store and data:
#   single   nc-daily on this host
#   sharded  NC_SHARD_HOSTS="h1 .. hN": the N shards at once
#   alone    NC_SHARD_HOSTS=h1, NC_SHARDS=N: one shard at a time, each
#            timed alone, as it would run on a host of its own

TRASH=$work
SRC_DIR=$root
NC_BIN=$bin
. "$root/tests/pg.sh"
. "$root/tests/daily-lib.sh"
SSHD_PID=
pg_start || { echo "bench/daily: PostgreSQL does not start" >&2; exit 1; }
# pg_start's trap would remove $work: keep the logs, stop the servers.
trap 'ssh_hosts_stop; pg_stop' EXIT
trap 'exit 1' INT TERM HUP
PG_URL="postgresql://postgres@127.0.0.1:$PGPORT/postgres"

hosts=
k=1
while test "$k" -le "$shards"; do
	hosts="$hosts h$k"
	mkdir -p "$work/h$k/bin"
	cp "$bin"/nc-* "$root/scripts/nc-daily-shard" "$work/h$k/bin/"
	: >"$work/h$k/pgpass"
	k=$((k + 1))
done
# shellcheck disable=SC2086
ssh_hosts_start "$work" $hosts || exit 1

s0=$(date +%s.%N)
"$bin/nc-transform" -k item_id,site_id --sorted --now 2026-11-27T02:00:00Z "$work/history.ndjson" \
	2>"$work/setup.err" | NC_DB=$PG_URL "$bin/nc-store" load -k item_id,site_id,date silver
s1=$(date +%s.%N)
loaded=$(NC_DB=$PG_URL "$bin/nc-store" ls silver | sed -n 's/.*"kind":"dataset".*"rows":\([0-9]*\).*/\1/p')
test "$loaded" = "$(wc -l <"$work/history.ndjson")" ||
	{ cat "$work/setup.err" >&2; echo "bench/daily: silver holds ${loaded:-no} rows" >&2; exit 1; }

features=on
test -x "$bin/nc-features" || features=off
# conf NAME [LINE...]: the run's configuration.
conf() {
	_n=$1
	shift
	{
		echo "NC_DAILY_DIR=$work/$_n"
		echo "NC_DB='$PG_URL'"
		echo "NC_BIN=$bin"
		echo "ERP_SOURCE=file"
		echo "ERP_FILE=$work/day.ndjson"
		echo "WEATHER_SOURCE=none"
		echo "ECON_SOURCE=none"
		echo "FEATURES=$features"
		echo "PERIOD=$period"
		echo "HORIZON=$horizon"
		echo "JOBS=2"
		echo "NOW=2026-11-27T02:00:00Z"
		echo "NC_SHARD_SSH='ssh -F $work/ssh/config'"
		for _l in "$@"; do echo "$_l"; done
	} >"$work/$_n.conf"
}
conf single
conf sharded "NC_SHARD_HOSTS='$hosts'"
conf alone "NC_SHARD_HOSTS=h1" "NC_SHARDS=$shards"

for run in single sharded alone; do
	a=$(date +%s.%N)
	st=0
	"$root/scripts/nc-daily" --config "$work/$run.conf" --date "$last" 2>"$work/$run.err" || st=$?
	b=$(date +%s.%N)
	test "$st" = 0 || { cat "$work/$run.err" >&2; echo "bench/daily: $run: nc-daily exited $st" >&2; exit 1; }
	awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1f\n", b - a }' >"$work/$run.total"
done

# stage_time RUN STAGE: the stage's seconds in the run (0 when not run).
stage_time() {
	awk -F '\t' -v s="$2" 'NR > 1 && $2 == s { t += $5 } END { printf "%.1f", t + 0 }' \
		"$work/$1/log/latest/timings.tsv"
}
# Per-shard seconds, from each run's joblogs (JobRuntime): phase A (the
# pool stage) and phase B (the shards stage).
jl() { echo "$work/$1/log/latest/$last/$2.joblog"; }
# wall RUN JOBLOG: from the first start to the last end of its jobs.
wall() {
	awk -F '\t' 'NR > 1 { e = $3 + $4; if (a == "" || $3 < a) a = $3; if (e > b) b = e }
		END { printf "%.1f", b - a }' "$(jl "$1" "$2")"
}

echo "bench/daily: $series series x $days days = $rows item-day rows, PostgreSQL store,"
echo "$shards shards; one machine: $(nproc) cores shared with other work (figures are noisy)"
printf '  %-34s %9.1f s\n' "generate (awk)" "$(awk -v a="$t0" -v b="$t1" "BEGIN { print b - a }")"
printf '  %-34s %9.1f s\n' "setup: transform + load history" "$(awk -v a="$s0" -v b="$s1" "BEGIN { print b - a }")"
echo
echo "nc-daily --date $last (FEATURES=$features, PERIOD=$period, HORIZON=$horizon), seconds:"
printf '  %-16s %10s %14s %16s\n' stage "one host" "$shards hosts" "shards alone"
for stg in extract-erp extract-weather extract-economic bronze silver gate features forecast \
	reorder pool shards gather alert commit; do
	printf '  %-16s %10s %14s %16s\n' "$stg" "$(stage_time single "$stg")" \
		"$(stage_time sharded "$stg")" "$(stage_time alone "$stg")"
done
printf '  %-16s %10s %14s %16s\n' total "$(cat "$work/single.total")" \
	"$(cat "$work/sharded.total")" "$(cat "$work/alone.total")"
echo
# same FILE: the runs' FILE of the day, sorted, the same in all three
# (byte for byte, size_cv included: the pool stage's pool).
same() {
	for _r in single sharded alone; do
		LC_ALL=C sort "$work/$_r/log/latest/$last/$1" >"$work/$_r.$1"
	done
	if cmp -s "$work/single.$1" "$work/sharded.$1" && cmp -s "$work/single.$1" "$work/alone.$1"; then
		echo "the same ($(wc -l <"$work/single.$1") rows)"
	else
		echo "DIFFERENT ($(wc -l <"$work/single.$1"), $(wc -l <"$work/sharded.$1"), $(wc -l <"$work/alone.$1") rows)"
	fi
}
echo "the three runs' results, sorted: forecasts: $(same forecast.ndjson);"
echo "reorder: $(same reorder.ndjson); alerts: $(same alerts.ndjson)"
echo
echo "per shard, phase A (pool) + phase B (shards): $shards at once on this machine (host) |"
echo "each alone, one after another:"
awk -F '\t' -v n="$shards" 'FNR == 1 { f++; next }
	f == 1 { a1[$1] = $4; host[$1] = $2 } f == 2 { b1[$1] = $4 }
	f == 3 { a2[$1] = $4 } f == 4 { b2[$1] = $4 }
	END { for (k = 1; k <= n; k++)
		printf "  shard %d/%d %7.1f + %7.1f s (%s) %7.1f + %7.1f s\n", k, n, a1[k], b1[k],
		    host[k], a2[k], b2[k] }' \
	"$(jl sharded pool)" "$(jl sharded shards)" "$(jl alone pool)" "$(jl alone shards)"
echo
echo "inside each shard alone (nc-daily-shard's own timings), seconds:"
sed -n 's/^\(pool part of \)\{0,1\}shard \([0-9]*\/[0-9]*\) on [^:]*: nc-daily-shard: seconds: /  shard \2  /p' \
	"$work/alone/log/latest/$last/shards-attempts.log" | sort
echo "  (each shard's dump makes the server scan the whole silver table, though it"
echo "  sends only the shard's rows, so that part does not shrink with more hosts)"
# The coordinator: the sharded run but for the shards' two phases (the
# pool stage less phase A is the merge).
coord=$(awk -v t="$(cat "$work/sharded.total")" -v s="$(stage_time sharded shards)" \
	-v a="$(wall sharded pool)" 'BEGIN { printf "%.1f", t - s - a }')
maxalone() { awk -F '\t' 'NR > 1 && $4 > m { m = $4 } END { printf "%.1f", m }' "$(jl alone "$1")"; }
maxa=$(maxalone pool) maxb=$(maxalone shards)
# From the shards alone: the mean dump (the whole table each time), the
# work that splits (features, part, forecast, load, summed over the
# shards) and the rest of a shard's time (ssh, start, temporary files),
# per shard.
set -- $(sed -n 's/.*nc-daily-shard: seconds: //p' "$work/alone/log/latest/$last/shards-attempts.log" |
	awk -v total="$(cat "$(jl alone pool)" "$(jl alone shards)" | awk -F '\t' '$1 ~ /^[0-9]/ { t += $4 } END { print t }')" -v n="$shards" '
		{ for (i = 1; i < NF; i += 2) if ($i == "dump") dump += $(i + 1); else work += $(i + 1) }
		END { printf "%.1f %.1f %.1f\n", dump / n, work, (total - dump - work) / n }')
dump=$1 split=$2 rest=$3
echo
echo "projection: hosts like this one (2 cores), each running one shard alone:"
printf '  %-46s %8.1f s\n' "the coordinator's stages (sharded run)" "$coord"
printf '  %-46s %8s s\n' "  of which pool outside its shards (merge)" \
	"$(awk -v p="$(stage_time sharded pool)" -v a="$(wall sharded pool)" 'BEGIN { printf "%.1f", p - a }')"
printf '  %-46s %8.1f s\n' "+ the slowest shard alone, phase A (pool)" "$maxa"
printf '  %-46s %8.1f s\n' "+ the slowest shard alone, phase B (shards)" "$maxb"
printf '  %-46s %8.1f s   (one host: %s s)\n' "= $shards real hosts" \
	"$(awk -v a="$coord" -v b="$maxa" -v c="$maxb" 'BEGIN { print a + b + c }')" "$(cat "$work/single.total")"
echo "  n hosts, n shards: coordinator $coord + dump $dump + other $rest + $split / n:"
for n in 8 16 32; do
	printf '  %-46s %8.1f s\n' "$n hosts" \
		"$(awk -v a="$coord" -v d="$dump" -v r="$rest" -v w="$split" -v n="$n" 'BEGIN { print a + d + r + w / n }')"
done
echo "  (not counted: the PostgreSQL server serving n whole-table dumps at once;"
echo "  the coordinator's stages do not shrink)"
