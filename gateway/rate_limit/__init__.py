"""Operations per principal: a token bucket in GCRA form, shared by every replica through
Redis when it is configured, kept in this process otherwise (and while Redis is down).

This package imports nothing: ``gateway.settings`` needs only ``gateway.rate_limit.config``,
not the limiter and its Redis link and principal. Import a name from the module that
defines it.
"""
