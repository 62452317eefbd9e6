"""The sandbox app factories, by vendor name."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI

from sandbox.demo_world import DemoWorld
from sandbox.omnidesk.app import create_app as create_omnidesk_app
from sandbox.tallymarks.app import create_app as create_tallymarks_app
from sandbox.talon.app import create_app as create_talon_app

VENDOR_APPS: dict[str, Callable[[DemoWorld], FastAPI]] = {
    "tallymarks": create_tallymarks_app,
    "omnidesk": create_omnidesk_app,
    "talon": create_talon_app,
}
