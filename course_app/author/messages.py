"""Translated messages for the question types' authoring errors (SpecError), which the domain
writes in English. Known messages are matched and translated with their values; any other one
is shown as written."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

_PATTERNS = [
    (r"a single-choice question needs at least one correct choice \(found (?P<found>\d+)\)",
     _l("A single-choice question needs a correct choice.")),
    (r"a multiple-choice question needs at least one correct choice",
     _l("A multiple-choice question needs at least one correct choice.")),
    (r"the weights of the correct choices add up to (?P<total>[-\d.]+)%, so no answer can earn "
     r"full marks.*",
     _l("The weights of the correct choices add up to %(total)s%%, so no answer can earn full "
        "marks: they must add up to 100%%.")),
    (r"the weights of the correct choices add up to (?P<total>[-\d.]+)% \(.*",
     _l("The weights of the correct choices add up to %(total)s%%: they must add up to "
        "100%%.")),
    (r"give a weight to every correct choice or to none of them",
     _l("Give a weight to every correct choice, or to none of them.")),
    (r"a correct choice needs a positive weight", _l("A correct choice needs a positive weight.")),
    (r"a wrong choice cannot have a positive weight",
     _l("A wrong choice cannot have a positive weight.")),
    (r"weights cannot be combined with all_or_nothing.*",
     _l("Weights cannot be combined with all-or-nothing grading.")),
    (r"no answer gives full credit \(100\).*",
     _l("No answer gives full credit (100), so nobody can earn full marks.")),
    (r".* needs at least (?P<n>\d+) (?P<what>[a-z]+) \(found (?P<found>\d+)\)",
     _l("At least %(n)s entries are needed here (found %(found)s).")),
    (r".* needs (?P<what>[a-z]+)", _l("Add at least one entry.")),
    (r"(?P<what>[a-z_ ]+) is missing", _l("This field is required.")),
    (r".*the Vietnamese text \(vi\) is (missing|empty)",
     _l("The Vietnamese text is required (English is optional).")),
    (r"duplicate key '(?P<key>.*)'", _l("The key %(key)s is used twice.")),
    (r"duplicate answer '(?P<answer>.*)'", _l("The answer %(answer)s is given twice.")),
    (r"key .* must be 1-64 characters among .*",
     _l("A key has 1 to 64 characters: letters, digits, _ or -.")),
    (r"the item keys are sorted in the right order.*",
     _l("The item keys follow the right order and would give it away: use other keys.")),
    (r"a true/false question needs answer: true or answer: false",
     _l("Choose whether the statement is true or false.")),
    (r"(?P<what>[a-z_ ]+) must be a number", _l("Enter a number.")),
    (r"(?P<what>[a-z_ ]+) must be a whole number of at least 1",
     _l("Enter a whole number of 1 or more.")),
    (r"(?P<what>[a-z_ ]+) must be at least (?P<low>\S+) \(found (?P<found>\S+)\)",
     _l("Enter at least %(low)s.")),
    (r"(?P<what>[a-z_ ]+) must be at most (?P<high>\S+) \(found (?P<found>\S+)\)",
     _l("Enter at most %(high)s.")),
    (r"min \((?P<low>\S+)\) is greater than max \((?P<high>\S+)\)",
     _l("The minimum (%(low)s) is greater than the maximum (%(high)s).")),
    (r"min_words \((?P<low>\d+)\) is greater than max_words \((?P<high>\d+)\)",
     _l("The minimum number of words (%(low)s) is greater than the maximum (%(high)s).")),
    (r"an answer needs a non-empty text.*", _l("An answer needs a text.")),
    (r"an answer needs either value \(and tolerance\) or min and max",
     _l("Give either a value (with a tolerance) or a minimum and a maximum.")),
    (r"the same text appears twice: '(?P<text>.*)'", _l("The same text appears twice: %(text)s")),
    (r"a matching question needs at least 2 different answers",
     _l("A matching question needs at least 2 different answers.")),
    (r"distractor '(?P<text>.*)' is already (an answer|another distractor)",
     _l("The wrong answer %(text)s is already in the list.")),
    (r"two answers share the Vietnamese text '(?P<text>.*)' but not the English one",
     _l("Two answers share the Vietnamese text %(text)s but not the English one.")),
    (r"unknown field '(?P<name>.*)' in .*",
     _l("Unknown field %(name)s: check its spelling or remove it.")),
    (r"[a-z_ ]+ must be a mapping", _l("This must be a group of fields, not a single value.")),
    (r"[a-z_ ]+ must be a list", _l("This must be a list.")),
    (r"[a-z_ ]+ must be a list of texts", _l("This must be a list of texts.")),
    (r"[a-z_ ]+ must be true or false", _l("Choose true or false.")),
    (r"[a-z_ ]+ must be a finite number", _l("Enter a finite number.")),
    (r"key must be a string.*", _l("A key must be text: put quotes around yes, no, true or "
                                   "false.")),
    (r".*the (?P<lang>vi|en) text must be a string.*",
     _l("The text must be written as text: put quotes around numbers and yes/no.")),
    (r".*text must be a string or a \{vi, en\} mapping.*",
     _l("Give the text itself, or its Vietnamese (vi) and English (en) versions.")),
    (r".*unknown language '(?P<lang>.*)' \(use vi and en\)",
     _l("Unknown language %(lang)s: use vi and en.")),
]
_COMPILED = [(re.compile(pattern), message) for pattern, message in _PATTERNS]


def spec_message(message: str) -> str:
    for pattern, translated in _COMPILED:
        match = pattern.fullmatch(message)
        if match:
            return str(translated) % match.groupdict()
    return message
