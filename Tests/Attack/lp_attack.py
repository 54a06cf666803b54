#!/usr/bin/env python3
"""The linear-programme intruder of issue 14 at full size (the Swift test `IntervalAttacker` does the same
on small registries with a dense simplex; this one uses SciPy's HiGHS for the 140,000-family demo).

Input: the JSON written by the test `PublishableRegistryTests.exportLinearProgramme` (REGTAB_LP_EXPORT=path,
REGTAB_LP_DATA=registry folder): the hidden statistics of all published tables, every additive relation
of the published tables with the published cells moved to the right-hand side, the primary cells and the
threshold. For each primary cell: min and max of the cell subject to the relations and non-negativity.
Prints the number of primary cells, how many have an interval narrower than the threshold, and the
narrowest ones.

    python3 Tests/Attack/lp_attack.py /tmp/lp.json
"""
import json, sys
import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix, coo_matrix
from scipy.sparse.csgraph import connected_components

def main(path):
    d = json.load(open(path))
    n = d["unknowns"]
    rows, cols, vals, rhs = [], [], [], []
    for i, (idx, coef, b) in enumerate(d["equations"]):
        rows += [i] * len(idx); cols += idx; vals += coef; rhs.append(b)
    m = len(rhs)
    A = csr_matrix((vals, (rows, cols)), shape=(m, n))
    b = np.array(rhs)
    # Connected groups of unknowns (two unknowns are linked when they share an equation).
    inc = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(m, n)).tocsr()
    adj = (inc.T @ inc)
    ncomp, label = connected_components(adj, directed=False)
    eq_label = np.full(m, -1)
    for i in range(m):
        r = A.getrow(i).indices
        if len(r): eq_label[i] = label[r[0]]
    narrow, results = [], []
    by_comp = {}
    for (x, value, name) in d["primaries"]:
        by_comp.setdefault(label[x], []).append((x, value, name))
    for comp, prims in by_comp.items():
        members = np.where(label == comp)[0]
        eqs = np.where(eq_label == comp)[0]
        sub = A[eqs][:, members]
        pos = {int(v): k for k, v in enumerate(members)}
        for (x, value, name) in prims:
            c = np.zeros(len(members)); c[pos[x]] = 1
            lo = linprog(c, A_eq=sub, b_eq=b[eqs], bounds=(0, None), method="highs") if len(eqs) else None
            hi = linprog(-c, A_eq=sub, b_eq=b[eqs], bounds=(0, None), method="highs") if len(eqs) else None
            low = lo.fun if lo is not None and lo.status == 0 else 0.0
            high = -hi.fun if hi is not None and hi.status == 0 else float("inf")
            results.append((high - low, name, value, low, high))
            if high - low < d["threshold"] - 1e-6: narrow.append((high - low, name, value, low, high))
    print(f"primary cells attacked: {len(results)} in {len(by_comp)} groups of hidden cells ({n} hidden statistics, {m} equations)")
    print(f"narrower than the threshold: {len(narrow)}")
    for w in sorted(narrow)[:20]: print("  width %.3f  %s = %s  in [%.3f, %.3f]" % (w[0], w[1], w[2], w[3], w[4]))
    if results:
        print("narrowest overall: width %.3f (%s)" % min(results)[:2])
    return 1 if narrow else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
