"""Tests that cross apps: whole journeys through the service, as people use it."""
