"""Query and mutation resolvers and per-request dataloaders (the unified-schema issue)."""
