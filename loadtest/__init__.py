"""Load and fault runs on the production stack (``make loadtest``, ``make faults``); see ``__main__``."""
