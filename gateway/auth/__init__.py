"""Who is calling and what they may do: API keys and bearer tokens become a
:class:`Principal` (a tenant and its scopes) before any GraphQL execution; root fields
check scopes (``schema.permissions``).

::

    AuthMiddleware (ASGI, the GraphQL path)      401 / 503 before execution
    └── Authenticator                            bearer token, else X-API-Key; known tenant
        ├── JwtAuthenticator → VerificationKeys  HS256 secret | RS256 PEM | JWKS file | URL
        └── ApiKeyAuthenticator                  {key: tenant} or {key: ApiKeyGrant}

This package imports nothing: ``gateway.settings`` needs only the settings models here
(``api_keys``, ``jwt_settings``), and the middleware imports settings back through the
persisted operations, so running every part here would close a cycle. Import a name from
the module that defines it.
"""
