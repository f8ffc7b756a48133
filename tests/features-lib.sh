# tests/features-lib.sh: helpers for the nc-features tests (t03*).

F=$FIXTURES/features
SEED_FIELDS=year,month,quarter,day,day_of_week,day_of_year,month_sin,month_cos,day_of_week_sin,day_of_week_cos,is_weekend,is_month_start,is_month_end,lag_1,lag_7,lag_30,rolling_mean_7,rolling_std_7,rolling_mean_30

# sql_features IN OUT: the seed's SQL (SQLite dialect) over the records of
# IN (item_id, date, quantity), as a JSON array in OUT.
sql_features() {
	jq -s . "$1" >"$TRASH/.rows.json" &&
	sqlite3 "$TRASH/.sql.db" <<SQL >"$2"
DROP TABLE IF EXISTS stg_items;
CREATE TABLE stg_items AS
	SELECT json_extract(value, '\$.item_id') AS item_id,
	       json_extract(value, '\$.date') AS date,
	       json_extract(value, '\$.quantity') AS quantity
	FROM json_each(readfile('$TRASH/.rows.json'));
.mode json
.read $F/int_item_features.sqlite.sql
SQL
}

# same_as_sql NCOUT SQLOUT: no differences in the seed's features.
same_as_sql() {
	jq -n -r --slurpfile a "$1" --slurpfile b0 "$2" --arg fields "$SEED_FIELDS" \
	    '$b0[0] as $b | $a as $a | '"$(cat "$F/compare.jq" | grep -v '^#')" >"$TRASH/.diff" &&
	if test -s "$TRASH/.diff"; then head -20 "$TRASH/.diff"; return 1; fi
}
