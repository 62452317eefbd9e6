"""The tier replicas share through Redis: L2 cache entries, cross-replica invalidation,
APQ documents and rate-limit buckets. Optional; every part degrades to in-process state
when Redis is unreachable, and no client request fails because of it."""
