"""Renders the playground page: GraphiQL with the example operations as tabs."""

from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

PLAYGROUND_ASSETS_PATH = "/playground/assets"
_HERE = Path(__file__).parent

_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Customer Graph — GraphiQL</title>
  <link rel="stylesheet" href="{assets}/graphiql.min.css">
  <style>body {{ margin: 0; height: 100vh; }} #graphiql {{ height: 100vh; }}</style>
</head>
<body>
  <div id="graphiql">Loading the playground…</div>
  <script src="{assets}/react.production.min.js"></script>
  <script src="{assets}/react-dom.production.min.js"></script>
  <script src="{assets}/graphiql.min.js"></script>
  <script id="playground-config" type="application/json">{config}</script>
  <script>
    const config = JSON.parse(document.getElementById("playground-config").textContent);
    const fetcher = GraphiQL.createFetcher({{ url: config.endpoint }});
    const root = ReactDOM.createRoot(document.getElementById("graphiql"));
    // GraphiQL 3 opens the first default tab without its variables: pass them on a first
    // visit (no saved tabs yet); later visits restore the saved tabs instead
    const firstVisit = localStorage.getItem("graphiql:tabState") === null;
    root.render(React.createElement(GraphiQL, {{
      fetcher,
      defaultTabs: config.tabs,
      variables: firstVisit && config.tabs.length ? config.tabs[0].variables : undefined,
      defaultHeaders: config.headers,
      shouldPersistHeaders: true,
    }}));
  </script>
</body>
</html>
"""


@cache
def example_operations() -> tuple[tuple[str, str], ...]:
    """(title, operation text) for every ``examples/*.graphql``, in file-name order."""
    examples = []
    for path in sorted((_HERE / "examples").glob("*.graphql")):
        text = path.read_text(encoding="utf-8")
        examples.append((path.stem.split("_", 1)[-1].replace("_", " "), text))
    return tuple(examples)


def render_playground(
    endpoint: str,
    headers: dict[str, str] | None = None,
    variables: dict[str, str] | None = None,
) -> str:
    """The page; ``headers`` prefill GraphiQL's headers editor (e.g. a demo API key) and
    ``variables`` the examples' variables (each tab gets those its operation declares)."""
    tabs = [
        {"query": text, "variables": _tab_variables(text, variables or {})}
        for _, text in example_operations()
    ]
    config = {
        "endpoint": endpoint,
        "tabs": tabs,
        "headers": json.dumps(headers or {}, indent=2),
    }
    # JSON inside <script type="application/json">: only "</" could end the element early
    config_json = json.dumps(config).replace("</", "<\\/")
    return _PAGE.format(assets=html.escape(PLAYGROUND_ASSETS_PATH), config=config_json)


def _tab_variables(operation: str, variables: dict[str, str]) -> str:
    used = {name: value for name, value in variables.items() if f"${name}:" in operation}
    return json.dumps(used, indent=2)


def mount_assets(app: FastAPI) -> None:
    app.mount(
        PLAYGROUND_ASSETS_PATH,
        StaticFiles(directory=_HERE / "assets"),
        name="playground-assets",
    )
