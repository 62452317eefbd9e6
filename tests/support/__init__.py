"""Test helpers shared by every test level."""
