#!/bin/sh
# nc-forecast(1): what its EXAMPLES show, on the real sample.
. "$(dirname "$0")/lib.sh"
# The EXAMPLES themselves run as written in t0905-man-examples.sh.
cp "$FIXTURES/forecast/silver-sample.ndjson" silver.ndjson

expect_success '--weights: the model_type names the fixed weights' '
	nc-forecast --period week -H 2 --weights prophet=0.35,arima=0.20,ets=0.25,tsb=0.20 silver.ndjson >out &&
	head -1 out | jq -e ".model_type | test(\"^ensemble\\\\(prophet:0.[0-9]+.*tsb:\")"
'

expect_success '--ensemble: inverse-error weights that sum to 1' '
	nc-forecast --period week -H 1 --ensemble silver.ndjson >out &&
	jq -r "select(.model_type | startswith(\"ensemble(\")) | .model_type" out >ens && test -s ens &&
	head -1 ens | LC_ALL=C awk -F "[:,)]" "{ s = 0; for (i = 2; i <= NF; i += 2) s += \$i; exit !(s > 0.97 && s < 1.03) }"
'

expect_success 'every SYNOPSIS flag is in -h' '
	nc-forecast -h >usage &&
	for f in -H -j -k -m -r -t -x --as-of --backtest --cv --ensemble --level --model --now --period --quantiles --stopped --summary --weights; do
		grep -q -- "$f" usage || { echo "missing $f"; exit 1; }
	done
'

done_testing
