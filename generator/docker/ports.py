"""Port mappings as Docker reads them: `docker run -p` and the short syntax of Compose's `ports:`.

Both the docker CLI and Compose hand the text to go-connections'
`nat.ParsePortSpec` (`[IP:][HOST:]CONTAINER[/PROTOCOL]`, each port a number or
a `start-end` range), and the engine then refuses a container port 0.
`parse_port` repeats those checks with Docker's reasons; `clash` says whether
two published ports cannot both be bound, as the engine's port allocator
decides: an address that is unspecified (`0.0.0.0`, `::`, or none given, which
binds both) takes the port on every address of its family.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

PROTOCOLS = ("tcp", "udp", "sctp")


class PortError(ValueError):
    """A port mapping Docker refuses; the message says why."""


@dataclass(frozen=True, slots=True)
class PortMapping:
    """One parsed mapping: `host` is None when Docker picks the host port (none given, or 0)."""

    host_ip: str  # "" when none is given (every address)
    host: tuple[int, int] | None
    container: tuple[int, int]
    protocol: str

    @property
    def fixed_host_ports(self) -> range:
        """Return the host ports this mapping takes for sure (none when Docker picks one from a range)."""
        if self.host is None:
            return range(0)
        low, high = self.host
        if high != low and self.container[0] == self.container[1]:
            return range(0)  # `8000-8010:80`: one free port of the range
        return range(low, high + 1)


def parse_port(text: str) -> PortMapping:
    """Return the mapping `text` describes, or raise `PortError` with Docker's reason."""
    rest, _, protocol = text.partition("/")
    protocol = (protocol or "tcp").lower()
    if protocol not in PROTOCOLS:
        raise PortError(f"`/{text.partition('/')[2]}` is no protocol: Docker knows tcp, udp and sctp")
    parts = rest.split(":")  # as `nat.ParsePortSpec`: the last two are the ports, the rest the address
    host_ip, host_text, container_text = ":".join(parts[:-2]), parts[-2] if len(parts) > 1 else "", parts[-1]
    if not container_text:
        raise PortError("no container port")
    if host_ip:
        _check_ip(host_ip, text)
    container = _port_range(container_text, "container")
    if container[0] == 0:
        raise PortError("container port 0 does not exist")
    host = None
    if host_text:
        host = _port_range(host_text, "host")
        if host[1] - host[0] != container[1] - container[0] and container[0] != container[1]:
            count_host, count_container = host[1] - host[0] + 1, container[1] - container[0] + 1
            raise PortError(f"{count_host} host ports (`{host_text}`) cannot map {count_container} container ports "
                            f"(`{container_text}`)")
        if host == (0, 0):
            host = None  # Docker picks a free port, as when none is given
    return PortMapping(host_ip, host, container, protocol)


def parse_publish(text: str) -> PortMapping:
    """Return the mapping of a `docker run -p` value: the short form, or `published=8080,target=80[,protocol=udp]`."""
    if "=" not in text:
        return parse_port(text)
    fields = {"protocol": "tcp"}
    for part in text.split(","):
        key, equals, value = part.partition("=")
        if not equals or not key:
            raise PortError(f"`{part}` is not `name=value`")
        fields[key] = value
    return parse_port(f"{fields.get('published', '')}:{fields.get('target', '')}/{fields['protocol']}")


def clash(ip_a: str, ip_b: str) -> bool:
    """Return whether the same port published on host addresses `ip_a` and `ip_b` cannot be bound twice."""
    a, b = _address(ip_a), _address(ip_b)
    if a is None or b is None:
        return True  # none given: 0.0.0.0 and ::
    if a.version != b.version:
        return False
    return a == b or a.is_unspecified or b.is_unspecified


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    if not text:
        return None
    address = ipaddress.ip_address(text.strip("[]"))
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _check_ip(host_ip: str, text: str) -> None:
    bare = host_ip[1:-1] if host_ip.startswith("[") and host_ip.endswith("]") else host_ip
    try:
        ipaddress.ip_address(bare)
    except ValueError:
        hint = ""
        if host_ip.isdigit():
            hint = f": `{text}` has three ports, and Docker reads the first as a host address"
        raise PortError(f"`{host_ip}` is not an IP address{hint}") from None


def _port_range(text: str, which: str) -> tuple[int, int]:
    start, dash, end = text.partition("-")
    numbers = []
    for part in (start, end) if dash else (start,):
        if not part.isdigit():
            raise PortError(f"`{text}` is not a {which} port or range")
        numbers.append(int(part))
    if any(number > 65535 for number in numbers):
        raise PortError(f"{which} port `{text}` is over 65535")
    low, high = numbers[0], numbers[-1]
    if high < low:
        raise PortError(f"the {which} range `{text}` ends before it starts")
    return low, high
