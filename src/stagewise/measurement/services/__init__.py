"""Every write to measurement records."""
