"""GraphQL over HTTP as the spec (and the ``graphql-http`` audit) wants it: content
negotiation for ``application/graphql-response+json`` and ``application/json``, the
spec's statuses, no mutation over GET, no CSRF-able content types, and the request limits
(body size, one operation per request, execution timeout), and JSON decoded with bounded
nesting (:mod:`.json_body`).

:func:`.middleware.install_graphql_http` adds the middleware; add it before the
authentication middleware so authentication still runs first (Starlette runs the last added
first). The package itself imports nothing, so that any module may use one of its parts
(:mod:`.refusal`) without loading the middleware and what it imports.
"""
