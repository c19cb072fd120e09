"""Only for ``scrapyd-deploy``, which builds an egg with ``python setup.py bdist_egg``.

Everything (name, version, packages, package data, the ``scrapy`` entry point that tells
Scrapyd the settings module) is declared in pyproject.toml; without this file scrapyd-deploy
would write a setup.py of its own that ignores it.
"""

from setuptools import setup

setup()
