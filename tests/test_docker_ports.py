"""Port mappings as Docker reads them (`generator.docker.ports`): what it refuses, and which host ports clash."""

from __future__ import annotations

import pytest

from generator.docker.ports import PortError, clash, parse_port, parse_publish


@pytest.mark.parametrize(
    ("text", "host_ip", "host", "container", "protocol"),
    [
        ("80", "", None, (80, 80), "tcp"),
        ("8080:80", "", (8080, 8080), (80, 80), "tcp"),
        ("127.0.0.1:8080:80/udp", "127.0.0.1", (8080, 8080), (80, 80), "udp"),
        ("[::1]:8080:80", "[::1]", (8080, 8080), (80, 80), "tcp"),
        ("::1:8080:80", "::1", (8080, 8080), (80, 80), "tcp"),
        ("127.0.0.1::80", "127.0.0.1", None, (80, 80), "tcp"),
        ("0:80", "", None, (80, 80), "tcp"),
        ("8000-8010:80", "", (8000, 8010), (80, 80), "tcp"),
        ("9000-9001:9000-9001/SCTP", "", (9000, 9001), (9000, 9001), "sctp"),
    ],
)
def test_mappings_docker_accepts(text, host_ip, host, container, protocol):
    mapping = parse_port(text)
    assert (mapping.host_ip, mapping.host, mapping.container, mapping.protocol) == (host_ip, host, container, protocol)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("80:80:80", "reads the first as a host address"),
        ("70000:80", "over 65535"),
        ("8080:0", "container port 0"),
        ("8000-7000:80", "ends before it starts"),
        ("8000-8002:80-81", "3 host ports"),
        ("8000:80-81", "1 host ports"),
        ("80:80/icmp", "no protocol"),
        ("web:80", "not a host port"),
        ("8080:", "no container port"),
    ],
)
def test_mappings_docker_refuses(text, reason):
    with pytest.raises(PortError, match=reason):
        parse_port(text)


def test_the_long_form_of_docker_run_p():
    mapping = parse_publish("published=8080,target=80,protocol=udp")
    assert (mapping.host, mapping.container, mapping.protocol) == ((8080, 8080), (80, 80), "udp")
    with pytest.raises(PortError):
        parse_publish("published=8080,80")


def test_host_ports_taken_for_sure():
    assert list(parse_port("9000-9002:9000-9002").fixed_host_ports) == [9000, 9001, 9002]
    assert list(parse_port("8000-8010:80").fixed_host_ports) == []
    assert list(parse_port("80").fixed_host_ports) == []


@pytest.mark.parametrize(
    ("a", "b", "clashes"),
    [
        ("", "127.0.0.1", True),
        ("0.0.0.0", "127.0.0.1", True),
        ("127.0.0.1", "127.0.0.1", True),
        ("127.0.0.1", "127.0.0.2", False),
        ("::", "::1", True),
        ("[::1]", "::1", True),
        ("0.0.0.0", "::1", False),
        ("", "::1", True),
        ("::ffff:127.0.0.1", "127.0.0.1", True),
    ],
)
def test_which_host_addresses_clash(a, b, clashes):
    assert clash(a, b) is clashes
