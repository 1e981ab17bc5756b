"""A small database-backed job queue: the web process enqueues, `fgc_worker` runs."""
