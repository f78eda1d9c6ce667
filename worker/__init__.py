"""Background jobs: the procrastinate App, its tasks, enqueueing, progress and rescue. Glue only."""
