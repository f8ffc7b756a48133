# features.jq: the benchmark's jq competitor (bench/features):
#   jq -n -c -f bench/features.jq IN.ndjson
# The seed's int_item_features (calendar, cyclical, lag and rolling
# features) for every record.  Like nc-features --sorted it streams: the
# input must be ordered by item_id then date; the state is the current
# item's last 31 quantities.  SQL's nulls: a lag before the start is null,
# windows skip null quantities, the deviation of one value is null.
def mean: if length == 0 then null else add / length end;
def std:
	if length < 2 then null
	else (add / length) as $m | map((. - $m) * (. - $m)) | add / (length - 1) | sqrt
	end;
def lag($w; $k): ($w | length) as $n | if $n > $k then $w[$n - 1 - $k] else null end;
def flag(c): if c then 1 else 0 end;

(1 | atan * 4) as $pi
| foreach inputs as $r ({key: null, w: []};
	if $r.item_id != .key then {key: $r.item_id, w: [$r.quantity]}
	else .w = (.w + [$r.quantity])[-31:]
	end;
	.w as $w
	| ($r.date | strptime("%Y-%m-%d")) as $t
	| ($t[1] + 1) as $m | ($t[6] + 1) as $dow | $t[2] as $d
	| ($w[-7:] | map(select(. != null))) as $w7
	| $r + {
		year: ($t[0]), month: $m, quarter: (($m + 2) / 3 | floor), day: $d,
		day_of_week: $dow, day_of_year: ($t[7] + 1),
		month_sin: (2 * $pi * $m / 12 | sin), month_cos: (2 * $pi * $m / 12 | cos),
		day_of_week_sin: (2 * $pi * $dow / 7 | sin),
		day_of_week_cos: (2 * $pi * $dow / 7 | cos),
		is_weekend: flag($dow == 1 or $dow == 7), is_month_start: flag($d <= 7),
		is_month_end: flag($d >= 25),
		lag_1: lag($w; 1), lag_7: lag($w; 7), lag_30: lag($w; 30),
		rolling_mean_7: ($w7 | mean), rolling_std_7: ($w7 | std),
		rolling_mean_30: ($w[-30:] | map(select(. != null)) | mean)
	})
