"""Vendor clients: one package per vendor (client, models, auth); nothing here knows GraphQL."""
