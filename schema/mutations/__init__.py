"""Mutations, one module per domain; each contributes a ``<Domain>Mutation`` class that
:mod:`schema.root` merges into ``Mutation``. Each mutation is declared with its permission and
answers with a ``<Verb><Thing>Payload`` type (:mod:`schema.mutations.declare`).

This package imports nothing: importing one of its modules (``schema.customer_identity``
needs ``schema.mutations.outcomes``) must not pull in every domain's mutations, which import
``schema.customer`` back. Import a name from the module that defines it.
"""
