"""Vendor sandboxes: faithful in-process simulators of Tallymarks, Omnidesk and Talon.One.

They are what ``make run`` (``python -m demo``) serves the gateway on and what every test
and benchmark stands on.
The sandbox never imports the gateway.
"""
