"""Vendor writes behind the mutations: plain async functions taking the context.

Each function makes the write(s) with inputs the schema layer has already checked
(:mod:`resolvers.writes.validation`), then invalidates the cache tags of exactly what the
vendor accepted (:mod:`resolvers.cache_tags`, via :meth:`GraphQLContext.invalidate`).
They return vendor models or plain values; the schema layer turns them into payload types.
"""
