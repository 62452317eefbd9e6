"""The GraphiQL playground, served by the gateway itself (no CDN: it works offline).

The assets in ``assets/`` are pinned copies of graphiql 3.8.3, react 18.3.1 and
react-dom 18.3.1 from the npm registry; ``assets/SHA256SUMS`` records them and a test checks
it. Example operations from ``examples/*.graphql`` open as tabs.
"""

from gateway.playground.page import PLAYGROUND_ASSETS_PATH, mount_assets, render_playground

__all__ = ["PLAYGROUND_ASSETS_PATH", "mount_assets", "render_playground"]
