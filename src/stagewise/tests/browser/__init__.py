"""Browser journeys: pytest-playwright driving Debian's chromium, with axe on every page."""
