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
