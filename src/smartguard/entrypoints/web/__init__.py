"""The cardholder web page and the operator console (server-rendered, see docs/web.md)."""
