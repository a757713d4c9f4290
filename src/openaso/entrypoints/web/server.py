"""Serve the web app and the API with uvicorn: `openaso serve`, and the API bench."""

import gc

import uvicorn

from openaso.config import Settings
from openaso.entrypoints.web.app import create_app


def serve(settings: Settings, host: str, port: int) -> None:
    app = create_app(settings)
    # What is built by now (modules, routes, schemas) lives as long as the process: frozen,
    # the collector stops walking it in every full collection (measured: 100-220 ms pauses of
    # the API under load, once every 10-15 s).
    gc.freeze()
    # Access lines are logged at INFO, which log_level hides anyway; off, they cost nothing.
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
