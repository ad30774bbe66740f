"""One page made again after an edit of a document's text (``itsms serve``).

A document's text shows on its own page only, unless it cites other documents (their
"referred by" lists), holds pictures (files to copy), or is compared with another
version (the archive, a draft of a revision, the changes page). ``remake_text_page``
makes the page again where none of these applies and says None otherwise: the caller
then makes the whole portal again. Either way the result equals a fresh build.
"""

from __future__ import annotations

from ..i18n import Translator
from ..model import Document
from ..relations import Relations
from .documents import document_page
from .site import Portal, PortalPage


def remake_text_page(portal: Portal, doc: Document) -> PortalPage | None:
    """The page of ``doc`` (whose ``body`` was just replaced) made again and put in
    ``portal``; None when the new text may change more than that page."""
    pub, relations = portal.publication, portal.relations
    if pub is None or relations is None or not doc.id:
        return None
    if not any(d is doc for d in pub.documents) or pub.by_id.get(doc.id) is not doc:
        return None
    if doc.id in pub.revising or any(d.id == doc.id for d in pub.previews):
        return None
    if any(doc.id in (old.id, new.id) for old, new in pub.archived):
        return None
    path = pub.page_of(doc)
    index = next((n for n, p in enumerate(portal.pages) if p.path == path), None)
    if index is None:
        return None
    pattern = pub.result.settings.id_pattern
    if Relations([doc], set(pub.by_id), pattern).refers.get(doc.id) != relations.refers.get(doc.id):
        return None  # cites other documents than before: their pages change too
    evidence = dict(pub.evidence)
    page = document_page(pub, relations, doc, Translator(pub.result.settings.lang))
    if pub.evidence != evidence:  # a new picture: a file to copy
        pub.evidence.clear()
        pub.evidence.update(evidence)
        return None
    page.wide = portal.pages[index].wide
    portal.pages[index] = page
    if portal.memo is not None:  # its key holds ``doc``, whose text was just replaced
        portal.memo.pages.pop(path, None)
    return page
