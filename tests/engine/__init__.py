"""ODK's own form engine (@getodk/xforms-engine, the engine of ODK Web Forms) run with Node.

`load_forms(items)` loads each XForm with its media the way a phone would open it and
returns {name: (status, error)}. The npm packages go into .cache/xforms-engine (git-ignored),
installed on first use; `unavailable()` says why the engine cannot run here, or None.
"""
import json
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PREFIX = REPO / ".cache" / "xforms-engine"
PACKAGES = ("@getodk/xforms-engine@0.22.0", "jsdom@26.1.0")
RUNNER = Path(__file__).with_name("load_forms.mjs")


def unavailable():
    """None when Node can run the engine; else the reason (installs the packages if missing)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None:
        return "Node.js is not installed (apt-get install nodejs npm)"
    if not (PREFIX / "node_modules" / "@getodk" / "xforms-engine" / "package.json").exists():
        if npm is None:
            return "npm is not installed, so @getodk/xforms-engine cannot be installed"
        PREFIX.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run([npm, "install", "--prefix", str(PREFIX), "--no-audit", "--no-fund",
                               "--no-save", *PACKAGES], capture_output=True, text=True, timeout=600)
        if proc.returncode != 0:
            return "npm install failed: " + (proc.stderr.strip().splitlines() or ["?"])[-1]
    return None


def load_forms(items, timeout=600):
    """items: [{"name", "xml" (path), "media": {filename: [path, content type]}}]."""
    env = {"NODE_PATH": str(PREFIX / "node_modules"), "PATH": "/usr/bin:/bin:/usr/local/bin"}
    node = shutil.which("node") or "node"
    proc = subprocess.run([node, str(RUNNER)], input=json.dumps(items), capture_output=True, text=True,
                          timeout=timeout, cwd=PREFIX, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"engine runner failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])
