"""OpenRosa surface for ODK Collect: XML rendering, Digest auth, submission header parsing.

The blueprint (formList, forms, manifest, HEAD/POST submission) is wired here later.
"""
