"""Request bodies of the HTTP API, by area (separate from the domain; each with an OpenAPI example)."""
