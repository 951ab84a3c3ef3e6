"""Reads of improvement, user-scoped, a fixed number of queries whatever the data size; selectors never write."""
