"""The local replica: the forces' sites rebuilt from records and served on this machine.

Tests, benchmarks and users without network run the whole pipeline against it through
mirrors (``newscrawler replica`` prints the ``--mirror`` arguments). See ``server.py``.
"""

from newscrawler.replica.markup import markdown_to_html
from newscrawler.replica.server import ReplicaServer, SiteSummary, is_loopback
from newscrawler.replica.site import Fault, Reply
from newscrawler.replica.source import load_records

__all__ = [
    "Fault",
    "ReplicaServer",
    "Reply",
    "SiteSummary",
    "is_loopback",
    "load_records",
    "markdown_to_html",
]
