"""The gateway as a JupyterHub service, for smiley_grader.hub.configure:

    HubCourse(..., gateway=HubGateway(account="smileys-gateway", env="/opt/smileys-gateway"))

The hub starts `smiley-checks gateway` as a managed service, as an OS account of its own: not root
(the hub's own user), not the teacher (her gradebook and course secret), because its workers rebuild
students' networks. That account's environment holds the grader, so only it may enter it. Every
student's kernel gets the gateway's address in SMILEY_TRAINING_GATEWAY.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SERVICE_NAME = "smiley-gateway"


@dataclass
class HubGateway:
    account: str  # an OS account made for the gateway alone (useradd --system --create-home ...)
    env: str  # an environment with smiley_checks and smiley_grader, private to that account
    port: int = 8642
    workers: int = 2
    hub_base_url: str = "/"  # c.JupyterHub.base_url, when the hub does not sit at the server's root

    def address(self) -> str:
        """What a kernel on this machine asks: the service's own port, under the prefix the hub gives it."""
        prefix = "/".join(part for part in (self.hub_base_url.strip("/"), "services", SERVICE_NAME) if part)
        return f"http://127.0.0.1:{self.port}/{prefix}/"


def service(gateway: HubGateway, home: str) -> dict:
    """The entry for c.JupyterHub.services."""
    env = Path(gateway.env)
    return {"name": SERVICE_NAME, "url": f"http://127.0.0.1:{gateway.port}", "user": gateway.account, "cwd": home,
            "command": [str(env / "bin" / "smiley-checks"), "gateway", "--port", str(gateway.port),
                        "--workers", str(gateway.workers), "--state", str(Path(home) / ".smiley-gateway")],
            "environment": {"PATH": f"{env / 'bin'}:/usr/local/bin:/usr/bin:/bin", "HOME": home}}
