"""Imports of spreadsheets into a campaign: self-assessment results and measured values, with a dry run.

``results`` knows the columns (the same ones the criteria-detail export writes) and turns each row into what the
assessment service takes; ``service`` runs the dry run (the real import's code path, rolled back) and the real
import (all or nothing, only from the file that was checked); ``tasks`` runs the real import in the worker.
"""
