"""Kubernetes name, label and quantity syntax, as the API server checks it.

Pure functions, no state. Each `*_errors` function returns a list of human-readable problems
(empty when the value is valid), phrased like the API server's messages so that users recognise
them. Regexes and limits are the upstream ones (k8s.io/apimachinery `pkg/util/validation`).
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

DNS1123_LABEL_MAX = 63
DNS1123_SUBDOMAIN_MAX = 253
DNS1035_LABEL_MAX = 63
QUALIFIED_NAME_MAX = 63
LABEL_VALUE_MAX = 63
IANA_SVC_NAME_MAX = 15
ANNOTATIONS_TOTAL_MAX = 256 * 1024

_DNS1123_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_DNS1123_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_DNS1035_LABEL = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")
_QUALIFIED_NAME = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
_LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")
_IANA_CHARS = re.compile(r"[-a-z0-9]+")
_IANA_LETTER = re.compile(r"[a-z]")
_PERCENT = re.compile(r"[0-9]+%")
_C_IDENTIFIER_ENV = re.compile(r"[-._a-zA-Z][-._a-zA-Z0-9]*")
_PRINTABLE_ASCII = re.compile(r"[ -~]+")

_LABEL_MSG = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
              "and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc')")
_SUBDOMAIN_MSG = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
                  "'-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')")
_DNS1035_MSG = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with "
                "an alphabetic character, and end with an alphanumeric character (e.g. 'my-name', or 'abc-123')")
_QUALIFIED_MSG = ("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
                  "with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc')")
_LABEL_VALUE_MSG = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' "
                    "or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or "
                    "'my_value', or '12345')")


def _cached(check: Callable[[str], list[str]]) -> Callable[[str], list[str]]:
    """Memoise a pure string check: manifests repeat the same keys and names thousands of times."""
    memo = functools.lru_cache(maxsize=8192)(lambda value: tuple(check(value)))

    @functools.wraps(check)
    def wrapper(value: str) -> list[str]:
        return list(memo(value))

    return wrapper


def _too_long(value: str, limit: int) -> str:
    return f"must be no more than {limit} characters (it has {len(value)})"


@_cached
def dns1123_label_errors(value: str) -> list[str]:
    errors: list[str] = []
    if len(value) > DNS1123_LABEL_MAX:
        errors.append(_too_long(value, DNS1123_LABEL_MAX))
    if not _DNS1123_LABEL.fullmatch(value):
        errors.append(_LABEL_MSG)
    return errors


def is_dns1123_label(value: str) -> bool:
    return len(value) <= DNS1123_LABEL_MAX and _DNS1123_LABEL.fullmatch(value) is not None


@_cached
def dns1123_subdomain_errors(value: str) -> list[str]:
    errors: list[str] = []
    if len(value) > DNS1123_SUBDOMAIN_MAX:
        errors.append(_too_long(value, DNS1123_SUBDOMAIN_MAX))
    if not _DNS1123_SUBDOMAIN.fullmatch(value):
        errors.append(_SUBDOMAIN_MSG)
    return errors


def is_dns1123_subdomain(value: str) -> bool:
    return len(value) <= DNS1123_SUBDOMAIN_MAX and _DNS1123_SUBDOMAIN.fullmatch(value) is not None


def dns1035_label_errors(value: str) -> list[str]:
    errors: list[str] = []
    if len(value) > DNS1035_LABEL_MAX:
        errors.append(_too_long(value, DNS1035_LABEL_MAX))
    if not _DNS1035_LABEL.fullmatch(value):
        errors.append(_DNS1035_MSG)
    return errors


@_cached
def iana_svc_name_errors(value: str) -> list[str]:
    """IANA_SVC_NAME (RFC 6335): container port names and named target ports."""
    errors: list[str] = []
    if len(value) > IANA_SVC_NAME_MAX:
        errors.append(_too_long(value, IANA_SVC_NAME_MAX))
    if not _IANA_CHARS.fullmatch(value):
        errors.append("must contain only alphanumeric characters (a-z, 0-9), and hyphens (-)")
    if "--" in value:
        errors.append("must not contain consecutive hyphens")
    if not _IANA_LETTER.search(value):
        errors.append("must contain at least one letter (a-z)")
    if value.startswith("-") or value.endswith("-"):
        errors.append("must not begin or end with a hyphen")
    return errors


@_cached
def qualified_name_errors(value: str) -> list[str]:
    """A label or annotation key: optional `<DNS subdomain>/` prefix and a name part of <= 63."""
    parts = value.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            return ["prefix part must be non-empty"]
        prefix_errors = dns1123_subdomain_errors(prefix)
        if prefix_errors:
            return [f"prefix part {e}" for e in prefix_errors]
    else:
        return ["a qualified name must consist of an optional DNS subdomain prefix and '/' followed by a name "
                "part (e.g. 'example.com/MyName'); it has more than one '/'"]
    if not name:
        return ["name part must be non-empty"]
    errors: list[str] = []
    if len(name) > QUALIFIED_NAME_MAX:
        errors.append(f"name part {_too_long(name, QUALIFIED_NAME_MAX)}")
    if not _QUALIFIED_NAME.fullmatch(name):
        errors.append(_QUALIFIED_MSG)
    return errors


def label_key_errors(key: str) -> list[str]:
    return qualified_name_errors(key)


@_cached
def label_value_errors(value: str) -> list[str]:
    errors: list[str] = []
    if len(value) > LABEL_VALUE_MAX:
        errors.append(_too_long(value, LABEL_VALUE_MAX))
    if not _LABEL_VALUE.fullmatch(value):
        errors.append(_LABEL_VALUE_MSG)
    return errors


def annotation_key_errors(key: str) -> list[str]:
    """Annotation keys follow the label key rule, compared in lower case."""
    return qualified_name_errors(key.lower())


def annotations_size(annotations: dict[str, str]) -> int:
    return sum(len(k) + len(v) for k, v in annotations.items())


def env_var_name_errors(name: str, relaxed: bool) -> list[str]:
    """Relaxed (1.32+ default): printable ASCII without '='; strict: a C-identifier-like name."""
    if not name:
        return ["must be non-empty"]
    if relaxed:
        if not _PRINTABLE_ASCII.fullmatch(name) or "=" in name:
            return ["must consist only of printable ASCII characters other than '='"]
        return []
    if not _C_IDENTIFIER_ENV.fullmatch(name):
        return ["a valid environment variable name must consist of alphabetic characters, digits, '_', '-', "
                "or '.', and must not start with a digit"]
    return []


def is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def is_cidr(value: str) -> bool:
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        return False
    return "/" in value


# --- quantities ----------------------------------------------------------------------------------

_QUANTITY = re.compile(r"([+-]?)(\d+\.?\d*|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|[numkMGTPE]?)")
_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {"n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"), "": Decimal(1),
            "k": Decimal(10**3), "M": Decimal(10**6), "G": Decimal(10**9), "T": Decimal(10**12),
            "P": Decimal(10**15), "E": Decimal(10**18)}


def parse_quantity(value: object) -> Decimal | None:
    """A Kubernetes resource.Quantity (`1Gi`, `500m`, `1e3`, `1.5`, or a YAML number), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return Decimal(repr(value))
    if not isinstance(value, str):
        return None
    # Quantity.UnmarshalJSON trims surrounding white space before parsing.
    match = _QUANTITY.fullmatch(value.strip())
    if match is None:
        return None
    sign, number, suffix = match.groups()
    try:
        amount = Decimal(number)
    except InvalidOperation:  # pragma: no cover - the regex only lets numbers through
        return None
    if suffix in _BINARY:
        amount *= _BINARY[suffix]
    elif len(suffix) > 1 and suffix[0] in ("e", "E"):  # an exponent; a lone "E" is exa
        exponent = int(suffix[1:])
        if abs(exponent) > 1000:
            return None
        amount = amount.scaleb(exponent)
    else:
        amount *= _DECIMAL[suffix]
    return -amount if sign == "-" else amount


def int_or_percent_errors(value: object) -> list[str]:
    """`maxUnavailable`: an integer >= 1, or a string `N%` with 1 <= N <= 100."""
    if isinstance(value, bool):
        return ["must be an integer or a percentage"]
    if isinstance(value, int):
        if value < 0:
            return ["must be greater than or equal to 0"]
        if value == 0:
            return ["cannot be 0"]
        return []
    if isinstance(value, str):
        if not _PERCENT.fullmatch(value):
            return ["a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%', "
                    "or '93%')"]
        number = int(value[:-1])
        if number == 0:
            return ["cannot be 0"]
        if number > 100:
            return ["must not be greater than 100%"]
        return []
    return ["must be an integer or a percentage"]


def percent_value(value: str) -> int | None:
    return int(value[:-1]) if _PERCENT.fullmatch(value) else None
