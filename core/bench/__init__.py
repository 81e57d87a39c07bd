"""A realistic, large dataset for load tests and benchmarks (`manage.py seed_bench`)."""
