"""`kubectl get pv` rows: a PersistentVolume that is neither Bound nor Available, as typed facts.

kubectl prints a PV's phase in STATUS (Available, Bound, Released, Failed) and "Terminating"
while its deletion waits for its finalizer (kubernetes.io/pv-protection holds it while a claim
uses it).  Such a row becomes the volume's facts (`VolumeFacts.volume_phase`), which the
entries' evidence rules read as they read a described volume: a Terminating PV confirms
pvc-stuck-terminating.  A Bound or Available row is left to the table's own judgement (healthy),
and a PV row shows nothing about any claim: it refutes no rule about one.
"""

from __future__ import annotations

from bot.cluster.outputs.table import Header, loose_cells
from bot.paste.model import VOLUMES, Subject
from bot.paste.readings.get_pods import NAME, short_name
from bot.paste.readings.persistent_volumes import COLUMNS
from bot.paste.table_model import Row, TableReading
from intents.facts.model import PodFacts, VolumeFacts

SETTLED = frozenset({"Bound", "Available", ""})


def read_row(line: str, header: Header, shape: str) -> Row:
    """A volume neither Bound nor Available as its facts (None: any other row)."""
    values = loose_cells(line, header)
    name, status = short_name(values.get("NAME", "")), values.get("STATUS", "")
    if not NAME.match(name) or status in SETTLED:
        return None
    claim = values.get("CLAIM", "").rpartition("/")[2]
    volume = VolumeFacts(
        claim=claim,
        phase="",
        storage_class=values.get("STORAGECLASS") or None,
        volume=name,
        volume_phase=status,
    )
    # its volume facts are read; a PV row shows nothing of any claim, so they refute nothing
    return Subject(
        f"PersistentVolume {name}",
        shape,
        PodFacts(namespace="", name=name, volumes=[volume]),
        {VOLUMES},
        False,
        hidden=frozenset({VOLUMES}),
    )


PV_ROWS = TableReading(
    "get pv rows", lambda header: header.has(COLUMNS), frozenset({"PodFacts.volumes"}), row=read_row
)
