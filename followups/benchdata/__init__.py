"""Benchmark data for `make bench`: a large, realistic data set loaded with COPY.

`load.load_bench_data()` is the entry point (the `generate_bench_data` command calls it);
`words` holds the names and texts, `bulk_copy` the COPY plumbing, `people` the staff and clients,
and `conversations` the threads with their response waits.
"""
