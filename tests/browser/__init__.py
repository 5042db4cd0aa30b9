"""Helpers for tests that serve the app for real: the server, headless Chromium, raw sessions."""
