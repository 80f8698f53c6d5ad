"""Tools for developers: run them by hand, or import them in tests."""
