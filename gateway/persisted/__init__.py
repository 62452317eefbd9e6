"""Persisted operations for mobile clients: Apollo's automatic persisted queries (APQ),
GraphQL-over-HTTP ``documentId`` requests, and a trusted-documents mode that runs only
the operations of a manifest.

This package imports nothing: ``gateway.shared_tier.apq_store`` needs only
``gateway.persisted.memory_store``, and ``gateway.persisted.store`` imports it back, so
running every part here would close a cycle. Import a name from the module that defines it.
"""
