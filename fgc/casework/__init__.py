"""Casework: a council FGC service records each family's journey; every return falls out of it.

Personal data (names, contact details) lives only here, encrypted at rest (``crypto``), and
never leaves: ``frame.episodes_to_frame`` — the one bridge to the engine — carries only the
standard's fields.
"""
