"""A small genre ↔ tag vocabulary: broad families that Spotify genres and Last.fm tags share.

Spotify says "socal pop punk", Last.fm users say "punk" or "pop punk": both land in the family
"punk". A label is mapped to every family whose pattern it matches, except that a specific family
(country, punk, Asian pop, ...) hides the generic ones (rock, pop, indie, experimental), so that
"country rock" is country and "j-rock" is Asian pop rather than rock: otherwise nearly everything
would agree with a band tagged "rock" or "pop". Latin, world and metal do not hide them:
"argentine rock" is both latin and rock, "alternative metal" both metal and alternative.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    """One broad family: a regex for Spotify genres, one for Last.fm tags (both casefolded)."""

    name: str
    genres: re.Pattern[str]
    tags: re.Pattern[str]
    generic: bool = False
    keeps_generic: bool = False

    @property
    def hides_generic(self) -> bool:
        return not (self.generic or self.keeps_generic)


def _family(
    name: str,
    genres: str,
    tags: str | None = None,
    generic: bool = False,
    keeps_generic: bool = False,
) -> Family:
    return Family(name, re.compile(genres), re.compile(tags or genres), generic, keeps_generic)


_POP = (
    r"(?<!k-)(?<!j-)(?<!c-)(?<!latin )(?<!arab )\bpop\b|britpop|europop|boy band|girl group"
    r"|merseybeat|british invasion"
)
_LATIN = (
    r"latin|reggaeton|salsa|bachata|cumbia|tango|mexic|mariachi|ranchera|banda\b|norte|flamenco"
    r"|bolero|espanol|español|spanish|argentin|chilean|colombia|brazil|brasil|\bmpb\b|samba"
    r"|sertanejo|forro|pagode|funk carioca|rock nacional|tropical|vallenato|merengue|cuban"
    r"|puerto ric|bossa nova"
)
_ASIAN = (
    r"k-pop|kpop|korean|j-pop|jpop|j-rock|jrock|j-metal|japan|anime|c-pop|mandopop|cantopop"
    r"|chinese|taiwan|hong kong|thai\b|vocaloid|visual kei|\bidol\b|asian"
)
_ELECTRONIC = (
    r"electro|\bedm\b|house|techno|trance|dubstep|drum and bass|drum n bass|\bdnb\b|jungle"
    r"|\bidm\b|downtempo|trip hop|trip-hop|big beat|breakbeat|breaks|ambient|chillwave|chillout"
    r"|chill out|synthwave|synthpop|synth pop|synth-pop|uk garage|future garage|\bbass music"
    r"|glitch|hardstyle|eurodance|french touch|nu disco|lounge|industrial|\bebm\b|aggrotech"
    r"|futurepop|minimal|electronica|\brave\b|dance music|\bclub\b|big room|gabber"
)

FAMILIES: tuple[Family, ...] = (
    _family(
        "metal",
        r"metal|grindcore|deathcore|djent|\bdoom\b|sludge|stoner|nwobhm|thrash",
        keeps_generic=True,
    ),
    _family("punk", r"punk|hardcore|\bemo\b|screamo|\boi\b"),
    _family(
        "hip hop",
        r"hip hop|hip-hop|hiphop|\brap\b|\btrap\b|grime|\bdrill\b|boom bap|turntablism|crunk"
        r"|gangsta",
    ),
    _family("electronic", _ELECTRONIC + r"|(?<!pop )\bdance$", _ELECTRONIC + r"|\bdance\b"),
    _family("new wave / goth", r"new wave|post-punk|darkwave|coldwave|goth|new romantic"),
    _family(
        "folk",
        r"folk|singer-songwriter|americana|bluegrass|acoustic|chanson|cantautor|medieval|mittelalter",
    ),
    _family("country", r"country|bluegrass|americana|honky|outlaw|red dirt|nashville"),
    _family("jazz", r"jazz|bebop|\bswing\b|big band|bossa nova"),
    _family("blues", r"blues"),
    _family("soul / r&b / funk", r"soul|r&b|rnb|r'n'b|funk|motown|disco|quiet storm|new jack"),
    _family("reggae", r"reggae(?!ton)|dancehall|\bska\b|\bdub\b|rocksteady|ragga"),
    _family("latin", _LATIN, keeps_generic=True),
    _family("asian pop", _ASIAN),
    _family(
        "soundtrack",
        r"soundtrack|\bscore\b|video game|videogame|musical|show tunes|broadway|hollywood|movie",
        r"soundtrack|\bscore\b|\bost\b|video game|game music|musical|broadway|disney|film",
    ),
    _family(
        "classical",
        r"classical|orchestra|baroque|opera|choral|choir|string quartet|early music|symphon"
        r"|requiem|romantic era|minimalism|modern composition",
        r"classical|orchestra|baroque|opera|choral|choir|symphon|composer|string quartet",
    ),
    _family(
        "world",
        r"afro|african|highlife|\bworld\b|arab|indian|bollywood|bhangra|turkish|balkan|gypsy"
        r"|klezmer|fado|celtic|native american|ethn",
        keeps_generic=True,
    ),
    _family("new age", r"new age|meditation|healing|relaxation|relax"),
    _family("children", r"children|kids|nursery|lullab"),
    _family("comedy", r"comedy|comedian|comic|humou?r|parody|funny"),
    _family("christian", r"christian|worship|gospel|\bccm\b"),
    _family(
        "easy listening",
        r"adult standards|easy listening|crooner|vocal jazz|lounge|exotica",
        r"adult standards|easy listening|crooner|adult contemporary|lounge|standards",
    ),
    _family(
        "rock", r"rock|grunge|shoegaze|britpop|permanent wave|psych|garage|power pop", generic=True
    ),
    _family("indie / alternative", r"indie|alternative|permanent wave|lo-fi|twee", generic=True),
    _family("pop", _POP, generic=True),
    _family("experimental", r"experimental|avant-garde|avantgarde|\bnoise\b|drone", generic=True),
)


def _families_of(label: str, side: str) -> set[str]:
    """Families of one genre (side "genres") or one tag (side "tags")."""
    text = label.casefold()
    found = [f for f in FAMILIES if getattr(f, side).search(text)]
    if any(f.hides_generic for f in found):
        found = [f for f in found if not f.generic]
    return {f.name for f in found}


def genre_families(genres: Iterable[str]) -> set[str]:
    """Families of a list of Spotify genres (empty when none is recognised)."""
    return set().union(*(_families_of(g, "genres") for g in genres))


def tag_families(tags: Iterable[str]) -> set[str]:
    """Families of a list of Last.fm tags (empty when none is recognised, e.g. "seen live")."""
    return set().union(*(_families_of(t, "tags") for t in tags))
