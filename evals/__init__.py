"""Measuring the knowledge base: question sets, evidence matching, runs with baselines, and the
fitting of the models ``kb`` applies (``evals.fitting``). ``kb eval`` and the benchmarks use it; the
product's runtime does not."""
