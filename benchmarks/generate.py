"""Generate realistic synthetic claim corpora for benchmarks.

    python benchmarks/generate.py OUT_DIR --sides 2 --claims 1000 [--files 1] [--seed 1]

Writes OUT_DIR/claims/<side>.yaml (or, with --files K > 1, K files per side as
<side>-<k>.yaml, each its own side, the k-th of every side with topics of its own)
and OUT_DIR/claims/topics.yaml, which lists every topic. Claims mix what real files
hold: a share on topics every side speaks to, counts (plain and intervals), actors,
places, denials, dates, speakers and sources, text in Latin, Armenian and
Azerbaijani script, and long verbatim quotes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path

WORDS = [
    "forces",
    "shelled",
    "positions",
    "near",
    "the",
    "border",
    "overnight",
    "officials",
    "said",
    "troops",
    "were",
    "killed",
    "wounded",
    "villages",
    "artillery",
    "drones",
    "ceasefire",
    "violation",
    "statement",
    "ministry",
    "report",
    "military",
    "civilians",
    "district",
    "region",
    "attack",
    "defence",
    "government",
]
ARMENIAN = [
    "Հայաստանի",
    "պաշտպանության",
    "նախարարությունը",
    "հայտարարեց",
    "որ",
    "հրետակոծությունը",
    "շարունակվում",
    "է",
]
AZERBAIJANI = [
    "Azərbaycan",
    "Müdafiə",
    "Nazirliyi",
    "bildirib",
    "ki",
    "atəşkəs",
    "pozulub",
    "və",
    "mövqelər",
    "atəşə",
    "tutulub",
]
PLACES = ["Jermuk", "Verin Shorzha", "Kalbajar", "Lachin", "Goris", "Sotk", "Kapan", "Ağdam"]


def _sentence(rng: random.Random, n: int) -> str:
    pool = rng.choice([WORDS, WORDS, ARMENIAN, AZERBAIJANI])
    return " ".join(rng.choice(pool) for _ in range(n)).capitalize() + "."


def side_file(
    rng: random.Random, side: str, others: list[str], claims: int, shared: int, own: int = 0
) -> str:
    """One claim file: half its claims on the `shared` topics, the rest on topics
    numbered from `shared + own` (the k-th file of each side has its own)."""
    lines = [
        "factcmp: 1",
        f"side: {{name: {side.capitalize()}, aliases: [{side.capitalize()}n]}}",
        "speakers:",
        f"  mod: {{name: Ministry of Defence of {side.capitalize()}}}",
        "  leader: {name: Some Leader, role: Prime Minister}",
        "sources:",
        "  wire:",
        "    outlet: Wire",
        "    title: Both sides trade blame",
        "    url: https://example.org/news/1",
        "    published: 2022-09-30",
        "claims:",
    ]
    start = dt.date(2022, 9, 1)
    for i in range(claims):
        number = rng.randrange(shared) if rng.random() < 0.5 else shared + own + i
        topic = f"topic.{number}"
        said = start + dt.timedelta(days=rng.randrange(29))
        lines += [
            f"  - id: c{i}",
            f"    topic: {topic}",
            f"    text: {json.dumps(_sentence(rng, rng.randint(8, 25)), ensure_ascii=False)}",
            f"    by: {rng.choice(['mod', 'leader'])}",
            "    source: wire",
            f"    said: {said.isoformat()}",
        ]
        kind = (number % 20) / 20  # a topic asks one kind of question: same facets on every side
        if kind < 0.35:
            # a side gives one figure per topic, subject and day: derive it from them
            subject = rng.choice([side, *others])
            low = (number * 37 + said.day * 11 + len(subject)) % 400
            if (number + said.day) % 3:
                lines.append(f"    count: {low}")
            else:
                lines.append(f"    count: {{min: {low}, max: {low + 50}}}")
            lines.append(f"    subject: {subject}")
            lines.append(f"    period: {{from: 2022-09-01, to: {said.isoformat()}}}")
        elif kind < 0.7:
            lines.append(f"    actor: {rng.choice([side, *others])}")
            lines.append(f"    places: [{', '.join(rng.sample(PLACES, rng.randint(1, 3)))}]")
        if rng.random() < 0.1:
            lines.append("    stance: denies")
        if rng.random() < 0.2:
            quote = _sentence(rng, rng.randint(30, 80))
            lines.append(f"    quote: {json.dumps(quote, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def generate(out: Path, sides: int, claims: int, files: int = 1, seed: int = 1) -> list[Path]:
    """Write the corpus; returns the claim files written."""
    rng = random.Random(seed)
    folder = out / "claims"
    folder.mkdir(parents=True, exist_ok=True)
    names = [f"side{chr(ord('a') + i)}" for i in range(sides)]
    shared = max(1, claims // 4)  # topics every side may speak to; the rest are one side's
    written = []
    for name in names:
        others = [n for n in names if n != name]
        for k in range(files):
            stem = name if files == 1 else f"{name}-{k}"
            text = side_file(rng, stem, others, claims, shared, own=k * claims)
            path = folder / f"{stem}.yaml"
            path.write_text(text, encoding="utf-8")
            written.append(path)
    topics = ["factcmp: 1", "topics:"]
    topics += [
        f"  topic.{i}: {{label: Topic {i}, tolerance: 5%}}" for i in range(shared + claims * files)
    ]
    (folder / "topics.yaml").write_text("\n".join(topics) + "\n", encoding="utf-8")
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--sides", type=int, default=2)
    parser.add_argument("--claims", type=int, default=1000, help="claims per file")
    parser.add_argument("--files", type=int, default=1, help="files per side")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    paths = generate(args.out, args.sides, args.claims, args.files, args.seed)
    print(f"wrote {len(paths)} claim files under {args.out / 'claims'}")


if __name__ == "__main__":
    main()
