"""FP-Growth peers for `ail-bench mine`: mlxtend and pyfim (Borgelt's C) on the same FIMI file.

usage: mine_peer.py FILE MIN_COUNT [--reps N]
Prints one JSON object: for each peer, the number of frequent itemsets and the median seconds of
the mining call alone (the one-hot table for mlxtend is built outside the timing).
"""
import json
import statistics
import sys
import time


def main():
    path, min_count = sys.argv[1], int(sys.argv[2])
    reps = int(sys.argv[sys.argv.index("--reps") + 1]) if "--reps" in sys.argv else 3
    with open(path) as f:
        tracts = [[int(t) for t in line.split()] for line in f]
    n = len(tracts)
    out = {"transactions": n}

    from fim import fpgrowth as fim_fpgrowth
    times, count = [], None
    for _ in range(reps):
        t = time.perf_counter()
        result = fim_fpgrowth(tracts, target="s", supp=-min_count, zmin=1, report="a")
        times.append(time.perf_counter() - t)
        count = len(result)
    out["pyfim"] = {"itemsets": count, "seconds": statistics.median(times)}

    import pandas as pd
    from mlxtend.preprocessing import TransactionEncoder
    from mlxtend.frequent_patterns import fpgrowth
    encoder = TransactionEncoder()
    onehot = pd.DataFrame(encoder.fit(tracts).transform(tracts), columns=encoder.columns_)
    # the same threshold as a fraction: count/N >= s exactly when count >= min_count
    s = (min_count - 0.5) / n
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        result = fpgrowth(onehot, min_support=s)
        times.append(time.perf_counter() - t)
        count = len(result)
    out["mlxtend"] = {"itemsets": count, "seconds": statistics.median(times)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
