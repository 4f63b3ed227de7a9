"""Typed errors. Library code raises these; only the CLI turns them into messages."""


class ClaimtraceError(Exception):
    """Base class: the message names the thing at fault and what to do."""


class ManifestError(ClaimtraceError):
    """The manifest cannot be used at all (missing, not TOML, wrong shape)."""


class DocumentError(ClaimtraceError):
    """One document cannot be processed; the others go on."""

    def __init__(self, doc_id: str, reason: str):
        super().__init__(f"{doc_id}: {reason}")
        self.doc_id = doc_id
        self.reason = reason

    def __reduce__(self):  # travels back from worker processes intact
        return (DocumentError, (self.doc_id, self.reason))


class KnowledgeError(ClaimtraceError):
    """A gazetteer or registry file is malformed."""


class DatabaseError(ClaimtraceError):
    """The database is missing or cannot be read."""


class DatabaseBusy(DatabaseError):
    """The database stayed locked by another writer or reader past the wait."""
