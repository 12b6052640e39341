"""Infrastructure, the bottom layer: configuration, the database, queues, media and file storage, secrets.

Nothing here knows the domain: these modules import only each other and libraries.
"""
