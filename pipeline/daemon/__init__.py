"""The warm process (`claimtrace daemon`): spaCy imported, the model and the gazetteer's pipeline
built and one database's cache entries decoded, once; each command that reaches it runs in a forked
copy, so an edit or a decision no longer pays 2-3 s of start-up.

protocol.py (the socket and its messages; standard library only, the launcher imports it),
client.py (hands a command over), server.py (the warm process itself).
"""
