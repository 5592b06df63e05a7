"""统一社会信用代码 (GB 32100-2015): 18 characters, the last one a check character."""

from __future__ import annotations

from domain.errors import DomainError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(raw: str) -> str:
    """Returns the normalised code (upper case, trimmed) or raises ``invalid_credit_code``."""
    code = raw.strip().upper()

    def refuse(reason: str, reason_zh: str) -> DomainError:
        return DomainError("invalid_credit_code", credit_code=raw, reason=reason, reason_zh=reason_zh)

    if len(code) != 18:
        raise refuse("must be 18 characters", "应为18位")
    bad = [c for c in code if c not in ALPHABET]
    if bad:
        raise refuse(f"character {bad[0]!r} is not allowed", f"含非法字符 {bad[0]}")
    if check_character(code[:17]) != code[17]:
        raise refuse("check character does not match", "校验码不符")
    return code
