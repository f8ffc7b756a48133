#!/usr/bin/env python3
"""bench/forecast-gen-erratic.py: weekly erratic demand series for
bench/forecast (the data set "erratic"), as item-day records of
nc-records(5) (item_id, date, quantity), one per week, 104 weeks from
2023-01-02, sorted by item and date.  Deterministic: Python's stdlib
random, one generator per series seeded from SEED, its kind and number.

  bench/forecast-gen-erratic.py [PER_KIND [SEED]]     (default 10 and 7)

Every series has a demand in a week with probability 0.85, of size
round(level x lognormal(0, 0.9)): ADI < 1.32 and CV^2 > 0.49, the
Syntetos-Boylan "erratic" class.  Its level, t = 0 .. 103 the week and
L ~ U(5, 50):
  flat      L
  trended   L (0.5 + 1.5 t / 104)                (4x over the two years)
  seasonal  L (1 + 0.6 sin(2 pi t / 52))
  step      L, doubling from week 70
"""
import datetime
import math
import random
import sys

WEEKS = 104
START = datetime.date(2023, 1, 2)


def level(kind, base, t):
    if kind == "trended":
        return base * (0.5 + 1.5 * t / WEEKS)
    if kind == "seasonal":
        return base * (1 + 0.6 * math.sin(2 * math.pi * t / 52))
    if kind == "step":
        return base * (1 if t < 70 else 2)
    return base


def main():
    per = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    seed = sys.argv[2] if len(sys.argv) > 2 else "7"
    for kind in ("flat", "trended", "seasonal", "step"):
        for s in range(per):
            rng = random.Random("%s-%s-%d" % (seed, kind, s))
            base = rng.uniform(5, 50)
            for t in range(WEEKS):
                q = 0
                if rng.random() < 0.85:
                    q = round(level(kind, base, t) * rng.lognormvariate(0, 0.9))
                day = START + datetime.timedelta(weeks=t)
                print('{"item_id":"%s-%02d","date":"%s","quantity":%d}'
                      % (kind, s, day.isoformat(), q))


if __name__ == "__main__":
    main()
