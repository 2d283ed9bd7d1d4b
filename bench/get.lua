-- The same-run baseline: an unauthenticated health probe.
wrk.path = "/q/health/live"
