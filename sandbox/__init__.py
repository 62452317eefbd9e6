"""Vendor sandboxes: faithful in-process simulators of Tallymarks, Omnidesk and Talon.One.

They are the gateway's embedded default and what every test and benchmark stands on.
The sandbox never imports the gateway.
"""
