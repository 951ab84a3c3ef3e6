"""Writes of the rollout: each validates its whole input and checks permission through access.py first."""
