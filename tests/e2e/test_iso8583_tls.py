"""The ISO 8583 port can speak TLS (server certificate, optionally client certificates)."""

from __future__ import annotations

import ssl
from dataclasses import replace
from pathlib import Path

import pytest
import trustme

from smartguard.bootstrap import App
from smartguard.domain.errors import InvalidInput
from smartguard.entrypoints.iso8583 import tls_context
from tests.iso_client import Client, enrol, gateway, network, purchase


def server_settings(sg: App, tmp_path: Path, ca: trustme.CA, client_ca: bool = False
                    ) -> ssl.SSLContext | None:
    cert = ca.issue_cert("localhost", "127.0.0.1")
    cert.private_key_and_cert_chain_pem.write_to_path(str(tmp_path / "server.pem"))
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    settings = replace(sg.settings.iso, tls_cert=str(tmp_path / "server.pem"),
                       tls_key=str(tmp_path / "server.pem"),
                       tls_client_ca=str(tmp_path / "ca.pem") if client_ca else "")
    return tls_context(settings)


def test_authorization_over_tls(sg: App, tmp_path: Path) -> None:
    ca = trustme.CA()
    enrol(sg)
    client_tls = ssl.create_default_context()
    ca.configure_trust(client_tls)
    with gateway(sg, tls=server_settings(sg, tmp_path, ca)) as gw:
        c = Client(gw.port, tls=client_tls)
        assert c.request(network(1))["39"] == "00"
        assert c.request(purchase(2))["39"] == "00"
        c.close()


def test_client_certificate_is_required_when_a_client_ca_is_set(
    sg: App, tmp_path: Path
) -> None:
    ca = trustme.CA()
    with gateway(sg, tls=server_settings(sg, tmp_path, ca, client_ca=True)) as gw:
        anonymous = ssl.create_default_context()
        ca.configure_trust(anonymous)
        with pytest.raises((ssl.SSLError, ConnectionError, OSError)):
            c = Client(gw.port, tls=anonymous)
            c.request(network(1))
        known = ssl.create_default_context()
        ca.configure_trust(known)
        ca.issue_cert("switch-a").configure_cert(known)
        assert Client(gw.port, tls=known).request(network(2))["39"] == "00"


def test_certificate_without_key_is_a_configuration_error(sg: App) -> None:
    with pytest.raises(InvalidInput):
        tls_context(replace(sg.settings.iso, tls_cert="/nowhere/cert.pem"))
