"""Forecasting peer for `ail-bench forecast`: statsforecast's AutoETS on the same CSV files.

usage: forecast_peer.py write DIR   writes the series bundled in statsmodels' package (no download)
                                    to DIR/NAME.csv (training part: date,value) and DIR/series.json
                                    (name, source, period, horizon, train and holdout values)
       forecast_peer.py run DIR     AutoETS(season_length=period) on each training file: one
                                    warm-up pass over all series (numba compiles on first use),
                                    then one timed pass; writes DIR/peer_forecasts.json (per
                                    series: the model chosen, mean, 80% and 95% bounds), prints a
                                    "# warm-up" line, then "seconds peak_mb" of the timed pass.

Series: monthly (period 12, holdout 18, the M-competition convention) -- elnino's sea surface
temperatures (1950-2010) and co2 (Mauna Loa, weekly 1958-2001, monthly means, gaps interpolated);
quarterly (period 4, holdout 8) -- macrodata's 12 US columns (1959Q1-2009Q3), danish_data's 5
(1974Q1-1987Q3) and interest_inflation's 2 (German, 1972Q2-1998Q4). Sunspots and nile are
yearly, so left out.
"""
import json
import os
import sys
import time


def bundled_series():
    import pandas as pd
    import statsmodels.datasets as ds

    out = []
    el = ds.elnino.load_pandas().data
    months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    values, dates = [], []
    for _, row in el.iterrows():
        for k, name in enumerate(months):
            values.append(float(row[name]))
            dates.append("%04d-%02d" % (int(row["YEAR"]), k + 1))
    out.append(("elnino", "statsmodels elnino", 12, dates, values))

    co2 = ds.co2.load_pandas().data["co2"]
    monthly = co2.resample("MS").mean().interpolate()
    out.append(("co2", "statsmodels co2 (monthly mean)", 12,
                [d.strftime("%Y-%m") for d in monthly.index], [float(v) for v in monthly.values]))

    macro = ds.macrodata.load_pandas().data
    mdates = ["%04d-%02d" % (int(y), 3 * int(q) - 2) for y, q in zip(macro["year"], macro["quarter"])]
    for col in ["realgdp", "realcons", "realinv", "realgovt", "realdpi", "cpi", "m1", "tbilrate",
                "unemp", "pop", "infl", "realint"]:
        out.append(("macro_" + col, "statsmodels macrodata " + col, 4, mdates, [float(v) for v in macro[col]]))

    dan = ds.danish_data.load_pandas().data
    ddates = [d.strftime("%Y-%m") for d in pd.to_datetime(dan.index)]
    for col in ["lrm", "lry", "lpy", "ibo", "ide"]:
        out.append(("danish_" + col, "statsmodels danish_data " + col, 4, ddates, [float(v) for v in dan[col]]))

    ii = ds.interest_inflation.load_pandas().data
    idates = ["%04d-%02d" % (int(y), 3 * int(q) - 2) for y, q in zip(ii["year"], ii["quarter"])]
    for col in ["Dp", "R"]:
        out.append(("interest_" + col, "statsmodels interest_inflation " + col, 4, idates, [float(v) for v in ii[col]]))
    return out


def write(folder):
    os.makedirs(folder, exist_ok=True)
    manifest = []
    for name, source, period, dates, values in bundled_series():
        horizon = 18 if period == 12 else 8
        train, holdout = values[:-horizon], values[-horizon:]
        path = os.path.join(folder, name + ".csv")
        with open(path, "w") as f:
            f.write("date,value\n")
            for d, v in zip(dates[:-horizon], train):
                f.write("%s,%r\n" % (d, v))
        manifest.append({"name": name, "source": source, "period": period, "horizon": horizon,
                         "file": path, "train": train, "holdout": holdout})
    with open(os.path.join(folder, "series.json"), "w") as f:
        json.dump(manifest, f)


def run(folder):
    import numpy as np
    import pandas as pd
    from statsforecast.models import AutoETS

    with open(os.path.join(folder, "series.json")) as f:
        manifest = json.load(f)

    def one_pass():
        results = {}
        for s in manifest:
            y = pd.read_csv(s["file"])["value"].to_numpy(dtype=np.float64)
            model = AutoETS(season_length=s["period"]).fit(y)
            fc = model.predict(h=s["horizon"], level=[80, 95])
            results[s["name"]] = {
                "model": str(model.model_["method"]),
                "mean": fc["mean"].tolist(),
                "lo80": fc["lo-80"].tolist(), "hi80": fc["hi-80"].tolist(),
                "lo95": fc["lo-95"].tolist(), "hi95": fc["hi-95"].tolist(),
            }
        return results

    start = time.perf_counter()
    one_pass()
    warmup = time.perf_counter() - start
    start = time.perf_counter()
    results = one_pass()
    seconds = time.perf_counter() - start
    with open(os.path.join(folder, "peer_forecasts.json"), "w") as f:
        json.dump(results, f)
    import resource
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("# AutoETS warm-up pass %.3f s (numba compilation included)" % warmup)
    print("%.6f %.1f" % (seconds, peak_mb))


if __name__ == "__main__":
    {"write": write, "run": run}[sys.argv[1]](sys.argv[2])
