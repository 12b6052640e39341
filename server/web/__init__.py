"""The app's own small web routes and HTTP plumbing: health, the public card page, JSON error pages,
cookie sessions and the gunicorn settings."""
