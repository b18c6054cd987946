"""Secrets said in a sentence: "the password is X", in English and ten more languages.

People explain in chat what they tried: "the admin password was `X`", "we set the root
password to X", "Das Passwort ist X", "la contraseña es X", "密码是X", "パスワードはXです".
A credential word, a copula or "set ... to", then the value. Prose also says "the token is
expired", "the password is correct" and "the secret is db-credentials", so an unquoted value
counts only when it looks typed rather than written (`looks_typed`), and never when it is a
word of the trade (`base64`, `sha256`, `v1beta1`, `x509`). A value in quotes or backticks is
taken as it is. Chinese and Japanese run the value into the sentence
(`密码是X，但是`), so there it is the run of ASCII after the copula; Korean alike
(`비밀번호는 X`).
"""

from __future__ import annotations

import re

from intents.lazy_re import lazy_compile
from responses.redaction.values import REDACTED, Gated, keep

_S = r"[ \t]++"
_PASSWORDS = (
    r"(?P<english>password|passwd|passphrase|pass[ \t]phrase|pwd|pw|passcode)|passwort"
    r"|kennwort|mot[ \t]de[ \t]passe|contraseña|senha|parola[ \t]d'ordine|wachtwoord"
    r"|hasło|haslo|пароль"
)
_WORDS = (
    rf"(?P<password>{_PASSWORDS})|token|secret|api[ _-]?key|access[ _-]?key|secret[ _-]?key"
    r"|credentials?|schlüssel|clé|jeton|clave|chave|chiave|sleutel|klucz|ключ|токен|секрет"
)
_COPULA = (
    rf"is|was|is{_S}now|is{_S}still|will{_S}be|would{_S}be|should{_S}be|must{_S}be|became"
    rf"|remains|(?:is|was|has{_S}been|have{_S}been){_S}(?:set|changed|reset){_S}to"
    r"|ist|lautet|war|est|était|es|era|é|è|jest|—|–|это|(?<=hasło |haslo |klucz )to"
)
_FOR = rf"(?:{_S}(?:for|für|pour|para|per|voor|dla|для|от|de|do|od){_S}[\w@.'-]{{1,40}}+)?"
_VALUE = (
    r"(?P<value>`[^`\n]++`|\"[^\"\n]++\"|'[^'\n]++'|“[^”\n]{1,256}+”|„[^“\n]{1,256}+“|«[^»\n]{1,256}+»"
    r"|[^\s\"'`]++)"
)
_TRADE = lazy_compile(
    r"(?i)base(?:32|64)\w*|sha-?\d+|md5|utf-?(?:8|16)|x509|k[38]s|bcrypt"
    r"|argon2\w*|pbkdf2|aes-?\d+|rsa-?\d*|ed25519|https?2?|oauth2?|ipv[46]|tls-?v?1\.?\d"
    r"|v\d+(?:[a-z]+\d*)?(?:\.\d+)*|[hre]s(?:256|384|512)|[\d.,:%]+\w{0,3}"
)
"""Words of the trade that mix letters and digits: "the password is base64 encoded"."""
_CLASSES = (
    re.compile(r"[a-z]"),
    re.compile(r"[A-Z]"),
    re.compile(r"[0-9]"),
    re.compile(r"[^A-Za-z0-9]"),
)
_PLACEHOLDER = ("<", "$", "{{", "***", "xxx", "XXX", "...", "[REDACTED]")
_RARE = re.compile(r"[^A-Za-z0-9._/-]")
"""A character no object name or path holds (`!`, `#`, `%`, `*`, `+`, `=`, `~`, `^`, `@`...)."""
_NAME = re.compile(r"[a-z0-9]++(?:[._-][a-z0-9]++)*+")
_WORDLIKE = re.compile(r"[A-Za-z][a-z]*+")
_SAID = frozenset(
    {
        "about",
        "also",
        "already",
        "always",
        "an",
        "and",
        "any",
        "as",
        "at",
        "auto",
        "bad",
        "being",
        "blank",
        "both",
        "but",
        "by",
        "case",
        "changed",
        "correct",
        "default",
        "different",
        "empty",
        "encoded",
        "encrypted",
        "enough",
        "fine",
        "for",
        "from",
        "given",
        "good",
        "hashed",
        "here",
        "hidden",
        "in",
        "incorrect",
        "invalid",
        "it",
        "its",
        "just",
        "known",
        "long",
        "lost",
        "missing",
        "never",
        "new",
        "no",
        "none",
        "not",
        "now",
        "null",
        "of",
        "ok",
        "okay",
        "old",
        "on",
        "one",
        "only",
        "optional",
        "or",
        "plain",
        "present",
        "random",
        "really",
        "required",
        "right",
        "same",
        "saved",
        "secret",
        "sensitive",
        "set",
        "short",
        "shown",
        "so",
        "still",
        "stored",
        "strong",
        "that",
        "the",
        "there",
        "this",
        "too",
        "unknown",
        "unset",
        "used",
        "valid",
        "very",
        "visible",
        "weak",
        "what",
        "wrong",
    }
)
"""Words a sentence puts after "the password is" that are no password."""
_SAID_ENDINGS = ("ed", "ing", "ly", "able", "ible", "ful", "less", "ous", "ive", "ent", "ant")


def looks_typed(value: str, *, password: bool, words: bool = True) -> bool:
    """Whether an unquoted word in a sentence looks like a typed secret, not a word: after a
    password word, five characters with a letter and a digit or a symbol (`admin123`, not a
    name like `db-creds`), or (`words`: after an English one) a word no sentence says there
    (`letmein`, not `incorrect`, `missing`, `stored`); after token, secret or key, eight with
    both cases and a digit, or a symbol no name holds."""
    if len(value) < 5 or value.startswith(_PLACEHOLDER) or "://" in value:
        return False
    if _TRADE.fullmatch(value):
        return False
    lower, upper, digit, symbol = (bool(pattern.search(value)) for pattern in _CLASSES)
    rare = bool(_RARE.search(value))
    if password:
        if _WORDLIKE.fullmatch(value):  # a word: a password unless a sentence says it
            word = value.lower()
            return words and word not in _SAID and not word.endswith(_SAID_ENDINGS)
        named = symbol and not rare and _NAME.fullmatch(value) is not None
        return (lower or upper) and (digit or symbol) and not named
    return len(value) >= 8 and ((lower and upper and digit) or rare)


def if_typed(match: re.Match[str]) -> str:
    """The value replaced when quoted (and no placeholder) or when it looks typed."""
    value = match.group("value")
    if value[:1] in "`\"'“„«":
        inner = value[1:-1]
        if not inner.strip() or inner.startswith(_PLACEHOLDER):
            return match.group(0)
        return f"{match.group('keep')}{value[0]}{REDACTED}{value[-1]}"
    core = value.rstrip(".,;:)!?")
    core = core if len(core) >= 6 else value  # a password may end in "!"
    groups = match.re.groupindex
    password = "password" not in groups or match.group("password") is not None
    english = "english" not in groups or match.group("english") is not None  # words: English's
    if not looks_typed(core, password=password, words=english):
        return match.group(0)
    return match.group("keep") + REDACTED + value[len(core) :]


_LATIN = (
    "pass",
    "pwd",
    "pw",
    "token",
    "secret",
    "key",
    "cred",
    "wort",
    "schlüssel",
    "clé",
    "jeton",
    "contraseña",
    "clave",
    "senha",
    "chave",
    "chiave",
    "parola",
    "wachtwoord",
    "sleutel",
    "hasło",
    "haslo",
    "klucz",
    "пароль",
    "ключ",
    "токен",
    "секрет",
)
_CJK = (
    "密码",
    "密碼",
    "口令",
    "密钥",
    "密鑰",
    "私钥",
    "私鑰",
    "令牌",
    "秘钥",
    "パスワード",
    "秘密鍵",
    "トークン",
    "シークレット",
    "비밀번호",
    "암호",
    "토큰",
)
PROSE_RULES: tuple[Gated, ...] = (
    (
        _LATIN,
        (
            lazy_compile(
                rf"(?i)(?P<keep>\b(?:{_WORDS}){_FOR}[ \t]*+(?:{_COPULA})"
                rf"(?:[ \t]*+[:=])?{_S}){_VALUE}"
            ),
            if_typed,
        ),
    ),
    (
        _LATIN,
        (
            lazy_compile(
                rf"(?i)(?P<keep>\b(?:set|changed?|reset|updated?)\b[^\n.;]{{0,40}}?"
                rf"\b(?:{_WORDS}){_S}to{_S}){_VALUE}"
            ),
            if_typed,
        ),
    ),
    (
        _CJK,
        (
            lazy_compile(
                rf"(?P<keep>(?:{'|'.join(_CJK)})(?:是|为|為|は|는|은|：|:)[ \t]*+)"
                r"(?P<value>[!-~]++)"
            ),
            if_typed,
        ),
    ),
    # An Ethereum-style private key after the words that name it: hex, which alone is kept (a
    # digest looks the same), is secret here by its place.
    (
        ("private",),
        keep(r"(?i)(?P<keep>\bprivate[ \t_-]?key\b[^\n0-9a-z]{0,12}+)0x[0-9a-f]{64}\b"),
    ),
)
PROSE_TRIGGERS = tuple(word for gate, _rule in PROSE_RULES for word in gate)
