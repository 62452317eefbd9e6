"""The Omnidesk Customer API v2 sandbox (see :func:`sandbox.omnidesk.app.create_app`)."""
