# tests/alert-lib.sh: helpers of nc-alert's tests (sourced after lib.sh).

# rec ITEM STOCK PP: a reorder record with SS 20, d 1, LT 14.
rec() {
	printf '{"item_id":"%s","as_of":"2026-11-26","current_stock":%s,"lead_time_days":14,"avg_daily_demand":1,"safety_stock":20,"reorder_point":%s,"recommended_order_qty":10,"days_of_cover":%s,"stockout_date":null}\n' "$1" "$2" "$3" "$2"
}

# webhook_start FAILS: a local receiver (fixtures/alert/webhook-server.py)
# that fails FAILS posts, then accepts; sets $URL and $WEBHOOK_PID; posts
# are logged to ./posts.
webhook_start() {
	rm -f port posts
	python3 "$FIXTURES/alert/webhook-server.py" port posts "$1" &
	WEBHOOK_PID=$!
	_n=0
	while test ! -s port && test $_n -lt 100; do sleep 0.1; _n=$((_n + 1)); done
	URL="http://127.0.0.1:$(cat port)/hook"
}

webhook_stop() {
	test -n "${WEBHOOK_PID:-}" || return 0
	kill "$WEBHOOK_PID" 2>/dev/null || :
	wait "$WEBHOOK_PID" 2>/dev/null || :
	WEBHOOK_PID=
}

# row JSON: a reorder record as nc-reorder writes it, with the fields of
# JSON over these defaults: PP 34 = 14 x 1 + SS 20, order-up-to 41 (7 days
# of review), stock 40, cost 10.
row() {
	jq -nc --argjson o "$1" '{item_id: "a", item_name: "PECA a", as_of: "2026-11-26",
	    current_stock: 40, on_order: 0, lead_time_days: 14, lead_time_std: 0,
	    service_level: 0.95, z: 1.6449, avg_daily_demand: 1, daily_demand_sd: 1,
	    lead_time_demand: 14, safety_stock: 20, reorder_point: 34, review_days: 7,
	    order_up_to: 41, recommended_order_qty: 1, days_of_cover: 40,
	    stockout_date: null, cost: 10} + $o'
}
