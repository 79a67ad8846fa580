"""Background jobs (report bundles, paper batches, household imports): a queue in the
database, a worker that takes them one at a time under a lease, and their progress and
results (docs/jobs.md)."""
