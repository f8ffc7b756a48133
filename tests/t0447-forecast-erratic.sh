#!/bin/sh
# nc-forecast on erratic demand (demand in most periods, sizes that vary
# widely): the automatic mode keeps SBA, the class's method, unless a
# candidate beats it in a Diebold-Mariano test on the cross-validation
# errors; and a lower bound is 0 where weeks without demand are at least
# as common as its tail.
. "$(dirname "$0")/lib.sh"
NOW=--now=2026-11-27T05:00:00Z

# erratic ID GROWTH SIGMA P: 104 weeks from 2023-01-02, demand in share P of
# them, sizes lognormal (SIGMA) around 10 exp(GROWTH x week), from
# Park-Miller uniforms.
erratic() {
	LC_ALL=C awk -v id="$1" -v g="$2" -v sig="$3" -v p="$4" 'function u() { x = (x * 16807) % 2147483647; return x / 2147483647 }
	BEGIN { x = 12345
		for (t = 0; t < 104; t++) {
			a = u(); b = u(); c = u()
			q = 0
			if (a < p)
				q = int(10 * exp(g * t + sig * sqrt(-2 * log(b)) * cos(6.283185307 * c)) + 0.5)
			printf "{\"item_id\":\"%s\",\"date\":\"%s\",\"quantity\":%d}\n", id,
			    strftime("%Y-%m-%d", 1672617600 + t * 604800, 1), q
		}
	}'
}

expect_success 'erratic demand without structure: SBA is kept, and model_type says over what' '
	erratic F 0 0.9 0.85 >in &&
	nc-forecast $NOW -H 2 in >out &&
	jq -e -s "length == 2 and all(.demand_class == \"erratic\" and (.model_type |
	    test(\"^SBA[(]alpha=[0-9.]+[)] [(]kept over [a-z]+: its lower error could be chance, p [0-9.e-]+[)]$\")))" out
'

expect_success 'erratic demand growing 4% a week: a model that follows it beats SBA' '
	erratic G 0.04 0.2 0.85 >in &&
	nc-forecast $NOW -H 2 in >out &&
	jq -e -s "length == 2 and all(.demand_class == \"erratic\" and
	    (.model_type | startswith(\"SBA\") | not) and .forecasted_demand > 450)" out
'

expect_success 'erratic demand with 15% of weeks without demand: lower bounds and low quantiles 0' '
	erratic G 0.04 0.2 0.85 >in &&
	test $(jq "select(.quantity == 0)" in | grep -c "^{") -ge 12 &&
	nc-forecast $NOW -H 2 --level 80,95 --quantiles 0.1,0.2,0.5 in >out &&
	jq -e -s "length == 2 and all(.ci_lower_80 == 0 and .ci_lower_95 == 0 and
	    .q10 == 0 and .q20 > 0 and .q50 > 0 and .ci_upper_95 > .forecasted_demand)" out
'

expect_success 'erratic demand with a demand every week: lower bounds above 0' '
	erratic G 0.04 0.2 1 >in &&
	nc-forecast $NOW -H 2 --level 80,95 --quantiles 0.1 in >out &&
	jq -e -s "length == 2 and all(.demand_class == \"erratic\" and .ci_lower_95 > 0 and
	    .ci_lower_80 > .ci_lower_95 and .q10 > 0)" out
'

done_testing
