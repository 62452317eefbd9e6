"""The process's own memory: the allocator's mmap threshold (:mod:`.allocator`) and the
startup heap frozen out of the collector's reach (:mod:`.collector`). The bounded stores a
client can fill live with the cache (:mod:`cache.bounded`, :mod:`cache.sizing`)."""
