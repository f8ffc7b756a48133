#!/usr/bin/env python3
"""bench/forecast-gen.py: monthly demand series with known structure for
bench/forecast, as item-day records of nc-records(5) (item_id, date,
quantity), one per month, 2019-01 .. 2023-12 (60 months), sorted by item
and date.  Deterministic: Python's stdlib random (3.2 or later: string
seeds hashed with SHA-512), one generator per series seeded from SEED,
its class and number.

  bench/forecast-gen.py [PER_CLASS [SEED]]     (default 6 and 7)

Classes (PER_CLASS series each), t = 0 .. 59 the month index:
  seasonal      L + A sin(2 pi (t + phase) / 12) + N(0, (0.1 L)^2),
                L ~ U(20, 80), A ~ U(0.2, 0.5) L
  trended       L0 + b t + N(0, (0.08 (L0 + b t))^2),
                L0 ~ U(10, 40), b ~ U(0.3, 1.5)
  intermittent  a demand in a month with probability p ~ U(0.2, 0.4),
                size 1 + Poisson(lam), lam ~ U(1, 4): ADI > 1.32 and
                CV^2 < 0.49 (Syntetos-Boylan "intermittent")
  lumpy         probability p ~ U(0.15, 0.35), size 1 + round(lognormal
                with median m ~ U(5, 20) and sigma 1.1): CV^2 > 0.49
Values are rounded to integers and floored at 0.
"""
import math
import random
import sys

MONTHS = 60


def poisson(rng, lam):
    """Inversion: the first k whose cumulative probability passes u."""
    u, k = rng.random(), 0
    term = cum = math.exp(-lam)
    while cum < u:
        k += 1
        term *= lam / k
        cum += term
    return k


def seasonal(rng):
    level, phase = rng.uniform(20, 80), rng.uniform(0, 12)
    amp = rng.uniform(0.2, 0.5) * level
    return [level + amp * math.sin(2 * math.pi * (t + phase) / 12)
            + rng.gauss(0, 0.1 * level) for t in range(MONTHS)]


def trended(rng):
    l0, b = rng.uniform(10, 40), rng.uniform(0.3, 1.5)
    return [(l0 + b * t) * (1 + rng.gauss(0, 0.08)) for t in range(MONTHS)]


def intermittent(rng):
    p, lam = rng.uniform(0.2, 0.4), rng.uniform(1, 4)
    return [1 + poisson(rng, lam) if rng.random() < p else 0
            for _ in range(MONTHS)]


def lumpy(rng):
    p, med = rng.uniform(0.15, 0.35), rng.uniform(5, 20)
    return [1 + round(rng.lognormvariate(math.log(med), 1.1))
            if rng.random() < p else 0 for _ in range(MONTHS)]


def main():
    per = int(sys.argv[1]) if len(sys.argv) > 1 else 6
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    out = sys.stdout
    for name, gen in (("intermittent", intermittent), ("lumpy", lumpy),
                      ("seasonal", seasonal), ("trended", trended)):
        for i in range(per):
            # One generator per series, seeded from seed, class and number:
            # a series is the same whatever PER_CLASS is.
            y = gen(random.Random("%d/%s/%d" % (seed, name, i + 1)))
            for t, v in enumerate(y):
                date = "%04d-%02d-01" % (2019 + t // 12, t % 12 + 1)
                out.write('{"item_id":"%s-%02d","date":"%s","quantity":%d}\n'
                          % (name, i + 1, date, max(0, round(v))))


main()
