"""The restarts study as a table: how often each start method reaches the best optimum, and
the ``n_init`` that finds it with 95 % probability (the records are
``gmm_core.restarts.fit_restarts``'s)."""

from __future__ import annotations

import pandas as pd

from gmm_core.restarts import n_init_needed


def n_init_table(results: pd.DataFrame, tolerance=0.1) -> pd.DataFrame:
    """Per method: the share p of seeds that reach the best log-likelihood found (within
    ``tolerance``), and the n_init that reaches it with 95 % probability."""
    ok = results.dropna(subset=["final_ll"])
    if ok.empty:
        return pd.DataFrame()
    best = ok["final_ll"].max()
    rows = []
    for method, group in ok.groupby("method", sort=False):
        p = float((group["final_ll"] >= best - tolerance).mean())
        rows.append({"method": method, "fits": len(group),
                     "share reaching the best": p,
                     "n_init for 95 %": n_init_needed(p),
                     "worst final LL": group["final_ll"].min(),
                     "best final LL": group["final_ll"].max()})
    return pd.DataFrame(rows)
