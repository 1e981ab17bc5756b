"""The engine: polars frames in, validation findings and aggregates out. Never imports Django."""
