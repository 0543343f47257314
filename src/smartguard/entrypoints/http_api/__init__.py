"""The HTTP/JSON API (FastAPI): one module per feature, errors mapped in ``errors.py``."""
