"""Writes of improvement: each validates its whole input and checks permission through access.py first."""
