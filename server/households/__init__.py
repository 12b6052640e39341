"""The household register: the archive records, their QR cards, samples and assignments.

Domain code only (no HTTP): `schema` and `idcard` validate, `service` writes and reads,
`tokens`/`cards` make the QR cards, `sampling`/`assignments` plan the fieldwork and
`register_media` builds the per-enumerator CSV for the phones.
"""
