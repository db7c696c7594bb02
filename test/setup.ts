// Per-file setup: keep test output quiet; individual tests opt into logging when they assert on it.
process.env.LOG_LEVEL ??= 'silent';
