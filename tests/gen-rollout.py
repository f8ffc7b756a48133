#!/usr/bin/env python3
# gen-rollout.py SEED N HISTORY_DAYS RATE: history rows (item, site, date,
# quantity) of generated items whose truth is known, for nc-reorder's
# rollout rule (tests/t0547-reorder-rollout-generated.sh).
#   M*  maintenance: requests a Poisson process of RATE a year over 200
#       sites (each request a site drawn at random), lognormal sizes;
#   R*  rollouts: 1 to 3 bursts, each taking the part to 3 to 20 sites over
#       1 to 3 days, then nothing (what stock held after it would wait for).
# Every item's history ends on 2026-03-01 (as_of) and starts HISTORY_DAYS
# before; writes the history on stdout.
import datetime, json, math, random, sys

seed, n, hist, rate = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
rnd = random.Random(seed)
end = datetime.date(2026, 3, 1)
start = end - datetime.timedelta(days=hist - 1)

def out(item, day, site, q):
    print(json.dumps({"item_id": item, "site_id": "T%03d" % site,
                      "date": str(start + datetime.timedelta(days=day)),
                      "quantity": q}))

for i in range(n):
    t = 0.0
    while True:
        t += rnd.expovariate(rate / 365)
        if t >= hist:
            break
        out("M%04d" % i, int(t), rnd.randrange(200), max(1, round(rnd.lognormvariate(2, 1))))
for i in range(n):
    bursts = rnd.randint(1, 3)
    for b in sorted(rnd.sample(range(0, hist - 3, 15), bursts)):
        for s in rnd.sample(range(200), rnd.randint(3, 20)):
            out("R%04d" % i, b + rnd.randrange(3), s, rnd.randint(5, 40))
