#!/bin/sh
# nc-features without --sorted: the external sort (lib/extsort.c).  With a
# tiny -S the runs spill and merge in many passes, on shuffled and nearly
# sorted input; the output is byte for byte the in-memory path's and
# --sorted's on sorted input; no temporary file is left after success, a
# failure or SIGTERM; a full temporary disk is exit 1 with nothing on
# stdout; peak RSS stays flat on 1M records.
. "$(dirname "$0")/lib.sh"
F=$FIXTURES/features

# 150 series x 300 days with gaps, null and fractional quantities, at two
# sites; every 53rd record re-sent right after with another quantity (the
# same key and date: summed, in input order); a shuffled copy, and a
# nearly sorted one where every 37th record comes 3 to 9 records late.
LC_ALL=C awk -v items=150 -v days=300 -f "$F/gen-series.awk" |
    awk '{ print } NR % 53 == 0 { sub(/"quantity":[^,]*/, "\"quantity\":" NR % 7); print }' >sorted.ndjson
shuf --random-source=sorted.ndjson sorted.ndjson >shuffled.ndjson
awk 'NR % 37 == 0 { held = $0; wait = 3 + NR % 7; next }
     { print } wait > 0 && --wait == 0 { print held }
     END { if (wait > 0) print held }' sorted.ndjson >nearly.ndjson
mkdir runs

expect_success 'the inputs: the same records in three orders' '
	test "$(wc -l <sorted.ndjson)" -gt 30000
	sort sorted.ndjson >a
	sort shuffled.ndjson >b
	sort nearly.ndjson >c
	cmp_files a b
	cmp_files a c
'

expect_success '--sorted on the sorted input (from the data'"'"'s first day): the reference' '
	nc-features --sorted --from 2024-01-01 -k item_id,site_id sorted.ndjson >ref.out
	test "$(wc -l <ref.out)" -gt 44000
'

expect_success 'shuffled, in memory (-S 1G): the same output' '
	nc-features -v -S 1G -T runs -k item_id,site_id shuffled.ndjson >mem.out 2>err
	grep -q "sort: [0-9]* records in memory" err
	cmp_files ref.out mem.out
'

expect_success 'shuffled, -S 64K: runs spill and merge in many passes' '
	nc-features -v -S 64K -T runs -k item_id,site_id shuffled.ndjson >ext.out 2>err
	grep "sort:" err
	grep -q "external (-S 64.0 KB): [0-9]* runs, .* spilled to runs" err
	merges=$(sed -n "s/.* \([0-9]*\) merges before the last.*/\1/p" err)
	test "$merges" -gt 10
'

expect_success '... the same output as in memory, byte for byte' '
	cmp_files mem.out ext.out
'

expect_success '... no temporary file left in -T' '
	test -z "$(ls -A runs)"
'

expect_success 'nearly sorted, -S 64K: the same output' '
	nc-features -v -S 64K -T runs -k item_id,site_id nearly.ndjson >near.out 2>err
	grep -q external err
	cmp_files ref.out near.out
'

expect_success 'nearly sorted, --sorted=16: a reorder window puts late records in place' '
	nc-features -v --sorted=16 --from 2024-01-01 -k item_id,site_id nearly.ndjson >win.out 2>err
	grep -q "sort: --sorted=16: streamed, [0-9]* records, at most 9 places late" err
	cmp_files ref.out win.out
'

expect_code 1 'nearly sorted, --sorted=4: a record later than the window is fatal' '
	nc-features --sorted=4 -k item_id,site_id nearly.ndjson >/dev/null 2>err' '
	grep -q "^nc-features: error: nearly.ndjson:[0-9]*: input not ordered by key and date, even within --sorted=4 records" err
'

expect_success 'weekly periods, --dup reject, -S 100K: the same as in memory' '
	nc-features --period week --dup reject -m 1000 -r mem.rej -S 1G shuffled.ndjson >wk-mem.out
	nc-features --period week --dup reject -m 1000 -r ext.rej -S 100K -T runs shuffled.ndjson >wk-ext.out
	test -s mem.rej
	cmp_files wk-mem.out wk-ext.out
	cmp_files mem.rej ext.rej
'

{ cat shuffled.ndjson; echo '{"item_id":"S001","quantity":"lots","date":"2024-03-01"}'; } >bad.ndjson
expect_code 3 'a reject over -m (exit 3): no temporary file left' '
	nc-features -S 64K -T runs bad.ndjson >fail.out 2>err' '
	grep -q "more than -m 0 allows" err
	test -z "$(ls -A runs)"
'

expect_code 2 '-S that is not a size is a usage error' '
	nc-features -S 5MB </dev/null 2>err' '
	grep -q "^nc-features: error: -S: not a size" err
'

# sigterm_mid_sort: as in t0230, for nc-features.
sigterm_mid_sort() {
	rm -f fifo sig.code sig.fds
	mkfifo fifo
	nc-features -S 64K -T runs <fifo >sig.out 2>sig.err &
	pid=$!
	exec 3>fifo
	head -n 20000 shuffled.ndjson >&3
	n=0
	while test $n -lt 100; do
		ls -l /proc/$pid/fd >sig.fds 2>/dev/null
		grep -q "nc-sort.*(deleted)" sig.fds && break
		sleep 0.1
		n=$((n + 1))
	done
	kill -TERM $pid
	code=0
	wait $pid || code=$?
	exec 3>&-
	echo $code >sig.code
}
sigterm_mid_sort 2>/dev/null

expect_success 'SIGTERM mid-sort: killed by the signal (143), runs open at that moment' '
	test "$(cat sig.code)" = 143
	grep "nc-sort.*(deleted)" sig.fds
'

expect_success '... and no temporary file is left' '
	test -z "$(ls -A runs)"
'

if mkdir tiny && mount -t tmpfs -o size=256k tmpfs tiny 2>/dev/null; then
	expect_code 1 'a full temporary disk (ENOSPC): exit 1 with a message' '
		nc-features -S 64K -T tiny shuffled.ndjson >full.out 2>err' '
		grep -q "^nc-features: error: tiny: cannot write a temporary sort run: No space left on device" err
		test ! -s full.out
	'
	umount tiny
else
	_report 0 'a full temporary disk # SKIP cannot mount a tmpfs (not root)'
fi

# Peak RSS on 1M records in any order stays under 64 MB.  An ASan
# build's RSS is mostly shadow memory: not measured there.
if ldd "$NC_BIN/nc-features" 2>/dev/null | grep -q libasan; then
	_report 0 '1M shuffled records: peak RSS under 64 MB # SKIP ASan build (shadow memory)'
else
	LC_ALL=C awk -v items=1500 -v days=900 -f "$F/gen-series.awk" >big-sorted.ndjson
	shuf --random-source=big-sorted.ndjson big-sorted.ndjson >big.ndjson
	rm -f big-sorted.ndjson
	expect_success '1M shuffled records: peak RSS under 64 MB (GNU time)' '
		/usr/bin/time -f %M -o rss nc-features -v -T runs big.ndjson >big.out 2>err
		echo "peak RSS $(tail -n 1 rss) KB"
		test "$(wc -l <big.ndjson)" -gt 1000000
		test "$(wc -l <big.out)" -gt 1340000
		grep -q external err
		test "$(tail -n 1 rss)" -lt 65536
	'
	rm -f big.ndjson big.out
fi

done_testing
