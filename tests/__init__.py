"""The test suite: a package, so `tests.…` imports find it before any other installed `tests`
(pywb ships one)."""
