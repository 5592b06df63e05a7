"""The district's web pages: server-rendered (Jinja2) with htmx, mounted by ``api.app.create_app``.

Above the application layer and below the API (tests/test_layers.py): pages read through the same
services, queries and read-scope rules as the API's routes, and never import the API.
"""
