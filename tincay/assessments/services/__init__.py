"""Writes of the assessments app, by topic: campaigns, results, evidence, transitions."""
