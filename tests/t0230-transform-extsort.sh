#!/bin/sh
# nc-transform without --sorted: the external sort (lib/extsort.c).  With
# a tiny -S the runs spill and merge in many passes, on shuffled and on
# nearly sorted input, and the output is byte for byte the in-memory
# path's and --sorted's on the sorted input; no temporary file is left
# after success, a failure or SIGTERM; a full temporary disk is exit 1
# with nothing on stdout; peak RSS stays flat on 1M rows.
. "$(dirname "$0")/lib.sh"
T=$FIXTURES/transform
NOW=--now=2026-11-27T05:00:00Z

# 40,000 item-days sorted by item and date (2% re-sent with a later
# created_at, 0.3% rejects); a shuffled copy; a nearly sorted copy where
# every 37th record comes 3 to 9 records late, as a re-sent record does.
LC_ALL=C awk -v items=100 -v days=400 -f "$T/gen-items.awk" >sorted.ndjson
shuf --random-source=sorted.ndjson sorted.ndjson >shuffled.ndjson
awk 'NR % 37 == 0 { held = $0; wait = 3 + NR % 7; next }
     { print } wait > 0 && --wait == 0 { print held }
     END { if (wait > 0) print held }' sorted.ndjson >nearly.ndjson
mkdir runs

expect_success 'the inputs: 40,000 records, each copy the same records' '
	test "$(wc -l <sorted.ndjson)" -gt 40000
	sort sorted.ndjson >a
	sort shuffled.ndjson >b
	sort nearly.ndjson >c
	cmp_files a b
	cmp_files a c
	refute cmp -s sorted.ndjson nearly.ndjson
'

expect_code 3 '--sorted on the sorted input: the reference' '
	nc-transform $NOW --sorted -r ref.rej sorted.ndjson >ref.out 2>err' '
	test "$(wc -l <ref.out)" -gt 39000
'

expect_code 3 'shuffled, in memory (-S 1G): the same output' '
	nc-transform $NOW -v -S 1G -T runs -r mem.rej shuffled.ndjson >mem.out 2>err' '
	grep -q "sort: [0-9]* records in memory" err
	cmp_files ref.out mem.out
'

expect_code 3 'shuffled, -S 64K: runs spill and merge in many passes' '
	nc-transform $NOW -v -S 64K -T runs -r ext.rej shuffled.ndjson >ext.out 2>err' '
	grep "sort:" err
	grep -q "external (-S 64.0 KB): [0-9]* runs, .* spilled to runs" err
	merges=$(sed -n "s/.* \([0-9]*\) merges before the last.*/\1/p" err)
	test "$merges" -gt 10
'

expect_success '... the same output as the in-memory path, byte for byte' '
	cmp_files mem.out ext.out
'

expect_success '... the same rejects and superseded records, in the same order' '
	test -s mem.rej
	cmp_files mem.rej ext.rej
'

expect_success '... no temporary file left in -T' '
	test -z "$(ls -A runs)"
'

expect_code 3 'nearly sorted, -S 64K: the same output' '
	nc-transform $NOW -v -S 64K -T runs -r near.rej nearly.ndjson >near.out 2>err' '
	grep -q "external" err
	cmp_files ref.out near.out
'

expect_code 1 'nearly sorted, --sorted: out of order, exit 1' '
	nc-transform $NOW --sorted -m 1000 -r /dev/null nearly.ndjson >/dev/null 2>err' '
	grep -q "input not ordered by item_id and date" err
'

expect_code 3 'nearly sorted, --sorted=16: a reorder window puts late records in place' '
	nc-transform $NOW -v --sorted=16 -r /dev/null nearly.ndjson >win.out 2>err' '
	grep -q "sort: --sorted=16: streamed, [0-9]* records, at most 9 places late, no temporary file" err
	cmp_files ref.out win.out
'

expect_code 1 'nearly sorted, --sorted=4: a record later than the window is fatal' '
	nc-transform $NOW --sorted=4 -m 1000 -r /dev/null nearly.ndjson >/dev/null 2>err' '
	grep -q "^nc-transform: error: nearly.ndjson:[0-9]*: input not ordered by item_id and date, even within --sorted=4 records" err
'

expect_code 3 'TMPDIR names the directory without -T' '
	TMPDIR=$PWD/runs nc-transform $NOW -v -S 100K -r /dev/null shuffled.ndjson >tmpdir.out 2>err' '
	grep -q "spilled to $PWD/runs" err
	cmp_files ref.out tmpdir.out
	test -z "$(ls -A runs)"
'

# Records with a site: every third item at two sites.
jq -c 'if (.item_id | tonumber) % 3 == 0 then ., (.site_id = "S2") else . end' \
    shuffled.ndjson >sites.ndjson
expect_code 3 'key of two fields (-k item_id,site_id), in memory' '
	nc-transform $NOW -k item_id,site_id -S 1G -r /dev/null sites.ndjson >k-mem.out 2>err' '
	test "$(wc -l <k-mem.out)" -gt "$(wc -l <ref.out)"
'
expect_code 3 '... and with -S 64K: the same output' '
	nc-transform $NOW -k item_id,site_id -S 64K -T runs -r /dev/null sites.ndjson >k-ext.out 2>err' '
	cmp_files k-mem.out k-ext.out
'

expect_code 3 'rejects over -m (exit 3): no temporary file left' '
	nc-transform $NOW -S 64K -T runs shuffled.ndjson >fail.out 2>err' '
	grep -q "more than -m 0 allows" err
	test -z "$(ls -A runs)"
'

expect_code 1 'a -T that does not exist: exit 1 with a message, no output' '
	nc-transform $NOW -S 64K -T runs/none -m 1000 shuffled.ndjson >none.out 2>err' '
	grep -q "nc-transform: error: runs/none: cannot create a temporary sort run" err
	test ! -s none.out
'

expect_code 2 '-S below 16K, or not a size, is a usage error' '
	nc-transform -S 1000b </dev/null 2>err' '
	grep -q "^nc-transform: error: -S: not a size" err
	exits 2 nc-transform -S 12X </dev/null
'

# sigterm_mid_sort: nc-transform reads the fifo, spills runs, and is
# killed while waiting for the rest; its runs were open (and already
# unlinked) at that moment.  Writes the exit status to sig.code and what
# /proc showed of its descriptors to sig.fds.
sigterm_mid_sort() {
	rm -f fifo sig.code sig.fds
	mkfifo fifo
	nc-transform $NOW -S 64K -T runs -r /dev/null <fifo >sig.out 2>sig.err &
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

expect_success 'SIGTERM mid-sort: killed by the signal (143)' '
	test "$(cat sig.code)" = 143
'

expect_success '... while its runs were open, already unlinked' '
	grep "nc-sort.*(deleted)" sig.fds
'

expect_success '... and no temporary file is left' '
	test -z "$(ls -A runs)"
'

# A full temporary disk: a 256 KB tmpfs (root only).
if mkdir tiny && mount -t tmpfs -o size=256k tmpfs tiny 2>/dev/null; then
	expect_code 1 'a full temporary disk (ENOSPC): exit 1 with a message' '
		nc-transform $NOW -S 64K -T tiny -m 1000 shuffled.ndjson >full.out 2>err' '
		grep -q "^nc-transform: error: tiny: cannot write a temporary sort run: No space left on device" err
	'
	expect_success '... and nothing on stdout claimed complete' '
		test ! -s full.out
	'
	expect_success '... and the tmpfs is empty again' '
		test -z "$(ls -A tiny)"
		df -k tiny | awk "NR == 2 { exit \$3 > 8 }"
	'
	umount tiny
else
	_report 0 'a full temporary disk # SKIP cannot mount a tmpfs (not root)'
fi

# Peak RSS on 1M records (about 150 MB of input, 380 MB staged) in any
# order stays under 64 MB: the buffer (32M) and the merge, not the input.
# An ASan build's RSS is mostly shadow memory: not measured there.
if ldd "$NC_BIN/nc-transform" 2>/dev/null | grep -q libasan; then
	_report 0 '1M shuffled records: peak RSS under 64 MB # SKIP ASan build (shadow memory)'
else
	LC_ALL=C awk -v items=1000 -v days=1000 -f "$T/gen-items.awk" >big-sorted.ndjson
	shuf --random-source=big-sorted.ndjson big-sorted.ndjson >big.ndjson
	rm -f big-sorted.ndjson
	expect_code 3 '1M shuffled records: peak RSS under 64 MB (GNU time)' '
		/usr/bin/time -f %M -o rss nc-transform $NOW -v -T runs -r /dev/null big.ndjson >big.out 2>err' '
		echo "peak RSS $(tail -n 1 rss) KB"
		test "$(wc -l <big.out)" -gt 990000
		grep -q "external" err
		test "$(tail -n 1 rss)" -lt 65536
	'
	rm -f big.ndjson big.out
fi

done_testing
