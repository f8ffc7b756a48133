#!/usr/bin/env python3
"""bench/demand-gen.py: weekly item-day records whose demand process is
known, for bench/demand.

    bench/demand-gen.py KIND SERIES WEEKS SEED

KIND intermittent: each week a request with chance p (0.05-0.5 by series),
of a lognormal size (median 2-200, sigma 0.3-1.0), so a compound
Bernoulli-lognormal process; KIND smooth: Poisson demand with a mean of
5-60 a week, every week.  Records are dated on Mondays from 2024-01-01;
weeks without demand have no record (as the ERP export), and every series
has a record on the first Monday (quantity 0 when no demand) so that the
data's window is known.  Deterministic for a SEED.
"""
import datetime
import math
import random
import sys


def poisson(rng, lam):
    # Knuth's method: fine for the small means used here.
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("intermittent", "smooth"):
        sys.exit("usage: bench/demand-gen.py intermittent|smooth SERIES WEEKS SEED")
    kind, n, weeks, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    rng = random.Random(seed)
    d0 = datetime.date(2024, 1, 1)
    for s in range(n):
        item = "%s%04d" % (kind[0].upper(), s)
        if kind == "intermittent":
            p = rng.uniform(0.05, 0.5)
            med = math.exp(rng.uniform(math.log(2), math.log(200)))
            sig = rng.uniform(0.3, 1.0)
        else:
            lam = rng.uniform(5, 60)
        for w in range(weeks):
            if kind == "intermittent":
                q = max(1, round(med * math.exp(rng.gauss(0, sig)))) if rng.random() < p else 0
            else:
                q = poisson(rng, lam)
            if q > 0 or w == 0:
                day = d0 + datetime.timedelta(weeks=w)
                print('{"item_id":"%s","date":"%s","quantity":%d,"lead_time_days":14}'
                      % (item, day.isoformat(), q))


main()
