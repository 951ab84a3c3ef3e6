"""Reads of the rollout, user-scoped, with a constant number of queries whatever the data size."""
