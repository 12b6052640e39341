"""The address people and phones reach this server at.

PUBLIC_URL wins. Without it: inside a request, the host the request came to, unless that is this
machine's loopback (a supervisor at http://127.0.0.1:8000) and the server was served on an address phones
can reach, which then wins (a QR code saying 127.0.0.1 sends a phone to itself); elsewhere (the CLI, the
worker), the address `fieldcheck serve` last served, which it records in the instance folder; and only
when nothing was ever served, http://127.0.0.1:8000. A server listening on every interface is reached
at the machine's LAN address, which is what a phone on the same network must be told.
"""
import fcntl
import ipaddress
import os
import socket
import struct
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request

DEFAULT = "http://127.0.0.1:8000"
SERVED_FILE = "served_url"
_SIOCGIFADDR = 0x8915  # Linux: an interface's IPv4 address
EVERYWHERE = ("", "0.0.0.0", "::", "[::]")


def public_base():
    """The base URL for links, QR codes and Collect server URLs, without a trailing slash."""
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return configured.rstrip("/")
    served = served_base(current_app.instance_path)
    if has_request_context():
        here = request.host_url.rstrip("/")
        if is_loopback(here) and served and not is_loopback(served):
            return served
        return here
    return served or DEFAULT


def is_loopback(base):
    """Whether a base URL names this machine only (127.0.0.0/8, ::1, localhost): no phone reaches it."""
    host = urlsplit(base).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def served_base(instance_path):
    try:
        with open(os.path.join(instance_path, SERVED_FILE), encoding="utf-8") as fh:
            return fh.read().strip().rstrip("/") or None
    except FileNotFoundError:
        return None


def record_served(instance_path, host, port):
    """Remember (and return) the base URL a server on host:port is reached at."""
    base = f"http://{reachable_host(host)}:{port}"
    path = os.path.join(instance_path, SERVED_FILE)
    with open(path + ".tmp", "w", encoding="utf-8") as fh:
        fh.write(base + "\n")
    os.replace(path + ".tmp", path)
    return base


def reachable_host(host):
    """The host part others should use for a server bound to `host`."""
    if host in EVERYWHERE:
        return lan_address() or "127.0.0.1"
    if ":" in host and not host.startswith("["):
        return f"[{host}]"
    return host


def lan_address():
    """This machine's first private or public IPv4 address that is not loopback, or None."""
    candidates = []
    for _index, name in socket.if_nameindex():
        address = _interface_address(name)
        if address is not None:
            candidates.append(address)
    usable = [a for a in candidates if not ipaddress.ip_address(a).is_loopback
              and not ipaddress.ip_address(a).is_link_local]
    return usable[0] if usable else None


def _interface_address(name):
    """The IPv4 address of interface `name` (asked of the kernel; nothing is sent), or None."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            packed = fcntl.ioctl(probe.fileno(), _SIOCGIFADDR, struct.pack("256s", name.encode()[:15]))
        except OSError:
            return None
    return socket.inet_ntoa(packed[20:24])
