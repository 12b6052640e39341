"""The addresses fieldcheck prints follow the address it actually serves (PUBLIC_URL still wins).

`make run` ends with `fieldcheck serve --demo`: its last lines are the sign-in, a Collect URL and where the
QR codes are, all on the port it was given; on every interface (0.0.0.0) they carry the machine's LAN
address, which a phone on the same network can reach.
"""
import base64
import ipaddress
import json
import re
import signal
import subprocess
import sys
import zlib

import pytest
import zxingcpp
from PIL import Image

from tests.e2e.test_serve import _base_env, _fieldcheck, _free_port, _wait_for

pytestmark = pytest.mark.e2e


def _serve(env, *args):
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "server", "serve", "--port", str(port), *args], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return port, process


def _banner(process, port, limit=90):
    """Read the server's output until the banner's last line, then stop the server; returns the banner."""
    _wait_for(f"http://127.0.0.1:{port}/healthz", process, limit)
    seen = []
    for line in process.stdout:
        seen.append(line.rstrip("\n"))
        if "Collect QR codes:" in line or "No enumerator yet" in line:
            break
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=60)
    start = max(i for i, line in enumerate(seen) if line == "fieldcheck is ready.")
    return seen[start:]


def _interface_addresses():
    """This machine's IPv4 addresses as `ip` reports them (independently of fieldcheck's own lookup)."""
    out = subprocess.run(["ip", "-4", "-o", "addr", "show"], capture_output=True, text=True).stdout
    return {m.group(1) for m in re.finditer(r"inet (\d+\.\d+\.\d+\.\d+)/", out)}


def test_make_runs_last_lines_carry_the_port_it_was_given(tmp_path):
    env = {k: v for k, v in _base_env(tmp_path).items() if k != "FIELDCHECK_PASSWORD"}
    assert _fieldcheck("db", "upgrade", env=env).returncode == 0
    port, process = _serve(env, "--demo")
    lines = _banner(process, port)
    text = "\n".join(lines)
    assert f"http://127.0.0.1:{port}/key/" in text and ":8000" not in text
    password = (tmp_path / "instance" / "demo_password").read_text().strip()
    assert f"  Demo sign-in:      supervisor / {password}" in lines
    assert oct((tmp_path / "instance" / "demo_password").stat().st_mode & 0o777) == "0o600"
    folder = tmp_path / "instance" / "qr"
    assert f"Collect QR codes:  {folder}" in text
    png = folder / "demo-enum1.png"
    decoded = zxingcpp.read_barcodes(Image.open(png))
    assert decoded, "the QR code does not scan"
    # Collect's settings QR: zlib + base64 JSON; the server URL inside carries the served port.
    settings = json.loads(zlib.decompress(base64.b64decode(decoded[0].text)))
    assert settings["general"]["server_url"].startswith(f"http://127.0.0.1:{port}/key/")
    # Later commands (no server running) still print the address last served.
    listing = _fieldcheck("enumerators", "list", "demo", env=env)
    assert f"http://127.0.0.1:{port}/key/" in listing.stdout, listing.stdout


def test_a_server_on_every_interface_prints_an_address_a_phone_can_reach(tmp_path):
    env = _base_env(tmp_path)
    assert _fieldcheck("db", "upgrade", env=env).returncode == 0
    created = _fieldcheck("evaluations", "create", "county1", "--name", "县一", env=env)
    assert created.returncode == 0, created.stderr
    others = {a for a in _interface_addresses() if not ipaddress.ip_address(a).is_loopback}
    if not others:
        pytest.skip("this machine has no network interface besides loopback")
    port, process = _serve(env, "--host", "0.0.0.0")
    lines = _banner(process, port)
    url = next(line.split()[-1] for line in lines if "API and its docs" in line)
    host = url.split("//", 1)[1].split(":", 1)[0]
    # Tests send traffic to loopback only, so the address is checked against the interfaces, not called.
    assert host in others, (host, others)
    assert url == f"http://{host}:{port}/api/v1/docs"


def test_public_url_still_wins(tmp_path):
    env = {**_base_env(tmp_path), "PUBLIC_URL": "https://survey.example.edu.cn"}
    assert _fieldcheck("db", "upgrade", env=env).returncode == 0
    _fieldcheck("evaluations", "create", "county1", "--name", "县一", env=env)
    created = _fieldcheck("enumerators", "create", "county1", "li", "--county", "a", "--township", "b",
                          "--village", "c", env=env)
    assert created.stdout.strip().splitlines()[-1].startswith("https://survey.example.edu.cn/key/")
