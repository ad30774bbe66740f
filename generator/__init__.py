"""itsms: a document-control portal for an ISO/IEC 20000-1 IT service management system.

Data flows one way: load -> model -> check -> render -> publish. The core knows
nothing of MkDocs; ``plugin`` (MkDocs) and ``cli`` (click) are thin adapters.
"""

from __future__ import annotations

__all__ = ["__version__"]
__version__ = "0.1.0"
