"""One module per journey; each exposes `register(application, router)`."""
