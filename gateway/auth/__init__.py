"""Who is calling and what they may do: API keys and bearer tokens become a
:class:`Principal` (a tenant and its scopes) before any GraphQL execution; root fields
check scopes (``schema.permissions``).

::

    AuthMiddleware (ASGI, the GraphQL path)      401 / 503 before execution
    └── Authenticator                            bearer token, else X-API-Key; known tenant
        ├── JwtAuthenticator → VerificationKeys  HS256 secret | RS256 PEM | JWKS file | URL
        └── ApiKeyAuthenticator                  {key: tenant} or {key: ApiKeyGrant}
"""

from gateway.auth.api_keys import API_KEY_HEADER, ApiKeyAuthenticator, ApiKeyGrant, ApiKeys
from gateway.auth.authenticator import Authenticator
from gateway.auth.errors import AuthenticationError, AuthenticationUnavailableError, Reason
from gateway.auth.jwt_settings import JwtSettings
from gateway.auth.jwt_tokens import JwtAuthenticator
from gateway.auth.middleware import AuthMiddleware
from gateway.auth.principal import Principal
from gateway.auth.scopes import ALL_SCOPES, Scope, parse_scopes

__all__ = [
    "ALL_SCOPES",
    "API_KEY_HEADER",
    "ApiKeyAuthenticator",
    "ApiKeyGrant",
    "ApiKeys",
    "AuthMiddleware",
    "AuthenticationError",
    "AuthenticationUnavailableError",
    "Authenticator",
    "JwtAuthenticator",
    "JwtSettings",
    "Principal",
    "Reason",
    "Scope",
    "parse_scopes",
]
