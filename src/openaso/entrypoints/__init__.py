"""Entry points: the command line, the API and the web app."""
