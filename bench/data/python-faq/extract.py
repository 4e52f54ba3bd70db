#!/usr/bin/env python3
"""Builds the Python FAQ retrieval set from Debian's python3.11-doc package (reST sources).

Usage: apt-get download python3.11-doc && dpkg -x python3.11-doc_*.deb x
       python3 extract.py x/usr/share/doc/python3.11/html/_sources/faq .
Each FAQ question becomes a query; its answer (without the question) a corpus document;
qrels pair them. Questions whose answer is shorter than 20 words are skipped.
"""
import json, re, sys, pathlib

src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
corpus, queries, qrels = [], [], []
underline = re.compile(r"^([-=~^*+#])\1{2,}\s*$")
for f in sorted(src.glob("*.rst.txt")):
    if f.name.startswith("index"):
        continue
    lines = f.read_text(encoding="utf-8").splitlines()
    sections, title, body = [], None, []
    i = 0
    while i < len(lines):
        if i + 1 < len(lines) and underline.match(lines[i + 1]) and lines[i].strip() and not underline.match(lines[i]):
            if title is not None:
                sections.append((title, body))
            heading_char = lines[i + 1][0]
            title = lines[i].strip() if heading_char == "-" else None
            body = []
            i += 2
            continue
        if title is not None:
            body.append(lines[i])
        i += 1
    if title is not None:
        sections.append((title, body))
    for n, (q, b) in enumerate(sections):
        text = "\n".join(b).strip()
        text = re.sub(r":\w+:`~?([^`<]*?)(?:\s*<[^>]*>)?`", r"\1", text)  # :ref:`x <y>` -> x
        text = re.sub(r"`([^`<]+?)\s*<[^>]+>`_", r"\1", text)
        text = re.sub(r"^\.\. [^\n]*$", "", text, flags=re.M)
        if len(text.split()) < 20 or not q.endswith("?"):
            continue
        doc_id = f"{f.name.split('.')[0]}-{n:03d}"
        corpus.append({"id": doc_id, "text": text})
        queries.append({"id": "q-" + doc_id, "text": q})
        qrels.append(("q-" + doc_id, doc_id))
out.mkdir(parents=True, exist_ok=True)
with open(out / "corpus.jsonl", "w", encoding="utf-8") as w:
    for c in corpus:
        w.write(json.dumps(c, ensure_ascii=False) + "\n")
with open(out / "queries.jsonl", "w", encoding="utf-8") as w:
    for q in queries:
        w.write(json.dumps(q, ensure_ascii=False) + "\n")
with open(out / "qrels.tsv", "w", encoding="utf-8") as w:
    w.write("query-id\tcorpus-id\tscore\n")
    for q, d in qrels:
        w.write(f"{q}\t{d}\t1\n")
print(len(corpus), "documents")
