"""qbtui's benchmark suite: `python3 -m bench` (full run) or `python3 -m bench --quick` (regression check).

Budgets live in `bench.budgets`; results go to `bench/results/`. See bench/README.md.
"""
