"""A draft deliberation ("projet de délibération") of the municipal council adopting the action plan.

`deliberation_for(plan)` builds the text once, as a list of blocks; the same blocks are written as OpenDocument text
(ODT, the administration's open format), as DOCX, and as the annex of the plan's PDF. Both files are built with the
standard library (zipfile + XML) and are deterministic: the same plan gives the same bytes (fixed zip dates, no
generation time in the text).

Only one legal text is cited (CGCT art. L. 2121-29: the council settles the commune's affairs by its deliberations);
the secretary completes the rest. What the secretary fills in is written between square brackets ("[date de la
séance]") and the blanks the plan cannot fill are dotted lines ("………").
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format

from diagnostic.enums import Priority
from diagnostic.plan.rules.common import fr

BLANK = "………"
PLACEHOLDER_RE = re.compile(r"(\[[^\]]+\]|…+)")
ZIP_DATE = (2026, 1, 1, 0, 0, 0)

ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Block kinds: title (centred, bold), subtitle (centred), heading (bold), para, item (indented), article (bold label
# followed by its text), signature (right-aligned).
TITLE, SUBTITLE, HEADING, PARA, ITEM, SIGNATURE = "title", "subtitle", "heading", "para", "item", "signature"


@dataclass(frozen=True)
class Block:
    kind: str
    text: str
    label: str = ""  # "Article 2 : " for articles, shown in bold before the text

    @property
    def parts(self) -> list[tuple[str, bool]]:
        """(text, is_placeholder) runs: placeholders and blanks are highlighted for the secretary."""
        return [(part, bool(PLACEHOLDER_RE.fullmatch(part))) for part in PLACEHOLDER_RE.split(self.text) if part]


def _date(value) -> str:
    """French date as a deliberation writes it: "1er mars 2026", "15 mars 2026"."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    text = date_format(value, "j F Y")
    return "1er" + text[1:] if value.day == 1 else text


def _ifn_considerant(plan) -> str | None:
    facts = plan.facts
    total = facts.ifn.get("total")
    if total is None:
        return None
    text = (
        "Considérant que l'indice de fragilité numérique de la commune, de 1 à 10 (10 = le plus fragile), "
        f"est de {fr(total.value)}"
    )
    if total.median is not None:
        text += f", pour une médiane départementale de {fr(total.median)}"
    above = [
        f"{figure.label} ({fr(figure.value)} contre {fr(figure.median)})"
        for part, figure in facts.ifn.items()
        if part != "total" and figure.median is not None and figure.value > figure.median
    ]
    if above:
        text += ", et que ses composantes au-dessus de la médiane départementale sont : " + ", ".join(above)
    citation = total.citation or "Source : La Mednum, indice de fragilité numérique"
    return text + f" ({citation}) ;"


def _diagnostic_considerant(plan) -> str:
    diagnostic = plan.diagnostic
    if diagnostic.submitted_at:
        when = f"transmis le {_date(diagnostic.submitted_at)}"
    else:
        when = f"commencé le {_date(diagnostic.created_at)} et non encore transmis"
    return (
        f"Considérant l'auto-diagnostic d'inclusion numérique de la commune pour l'année {diagnostic.year}, {when}, "
        f"qui répond à {plan.answered} question{'s' if plan.answered > 1 else ''} sur {plan.question_count} ;"
    )


def _priorities_considerant(plan) -> str:
    by_priority = {p: [m for m in plan.measures if m.priority == p] for p in Priority.values}
    high = by_priority[Priority.HIGH]
    if not high:
        return "Considérant que ce diagnostic ne fait apparaître aucune mesure de priorité haute ;"
    names = " ; ".join(f"mesure {m.number} « {m.measure.short_title} »" for m in high)
    noun = "la mesure suivante" if len(high) == 1 else "les mesures suivantes"
    return f"Considérant que ce diagnostic désigne comme prioritaire {noun} : {names} ;"


def _measure_article(item) -> str:
    action = item.action
    owner = action.owner or BLANK
    target = _date(action.target_date) if action.target_date else BLANK
    return (
        f"La mesure {item.number} « {item.measure.title} » est retenue avec une priorité "
        f"{item.assessment.priority_label.lower()}. Responsable : {owner}. Échéance : {target}. "
        f"État d'avancement à la date du projet : {action.get_status_display().lower()}."
    )


def deliberation_for(plan) -> list[Block]:
    """The draft deliberation adopting the plan, as blocks (see the module docstring)."""
    commune = plan.commune
    diagnostic = plan.diagnostic
    blocks = []
    if diagnostic.is_demo:
        blocks.append(Block(PARA, "Démonstration : diagnostic fictif, document d'exemple à ne pas diffuser."))
    blocks += [
        Block(SUBTITLE, f"Commune de {commune.name} ({plan.departement.name})"),
        Block(TITLE, "Projet de délibération"),
        Block(SUBTITLE, "Séance du conseil municipal du [date de la séance]"),
        Block(PARA, f"Objet : adoption du plan d'action pour l'inclusion numérique {diagnostic.year}"),
        Block(PARA, "Délibération n° [numéro de la délibération]"),
        Block(
            PARA,
            "Nombre de conseillers municipaux en exercice : [nombre] ; présents : [nombre] ; votants : [nombre].",
        ),
        Block(
            PARA,
            "Le conseil municipal, régulièrement convoqué, s'est réuni sous la présidence de [nom du maire], maire.",
        ),
        Block(HEADING, "Visas"),
        Block(
            ITEM,
            "Vu le code général des collectivités territoriales, notamment son article L. 2121-29 selon lequel "
            "le conseil municipal règle par ses délibérations les affaires de la commune ;",
        ),
        Block(ITEM, "Vu la feuille de route nationale France Numérique Ensemble pour l'inclusion numérique ;"),
        Block(ITEM, f"Vu le plan d'action pour l'inclusion numérique de la commune établi pour {diagnostic.year} ;"),
        Block(ITEM, "Vu le rapport de [nom du rapporteur] ;"),
        Block(HEADING, "Considérants"),
    ]
    if commune.population:
        blocks.append(Block(ITEM, f"Considérant que la commune compte {fr(commune.population)} habitants ;"))
    ifn = _ifn_considerant(plan)
    if ifn:
        blocks.append(Block(ITEM, ifn))
    blocks += [
        Block(ITEM, _diagnostic_considerant(plan)),
        Block(ITEM, _priorities_considerant(plan)),
        Block(
            PARA,
            "Après en avoir délibéré, le conseil municipal, [à l'unanimité / par … voix pour, … voix contre et "
            "… abstentions], décide :",
        ),
        Block(
            PARA,
            "Le plan d'action pour l'inclusion numérique annexé à la présente délibération est adopté.",
            "Article 1 : ",
        ),
    ]
    for index, item in enumerate(plan.measures, start=2):
        blocks.append(Block(PARA, _measure_article(item), f"Article {index} : "))
    last = len(plan.measures) + 2
    blocks += [
        Block(
            PARA,
            "Le maire est chargé de l'exécution de la présente délibération, qui sera transmise au représentant de "
            "l'État dans le département (préfecture) et publiée.",
            f"Article {last} : ",
        ),
        Block(SIGNATURE, f"Fait à {commune.name}, le [date de la séance]."),
        Block(SIGNATURE, "Le maire, [nom du maire]"),
    ]
    return blocks


def plain_text(blocks: list[Block]) -> str:
    return "\n".join(block.label + block.text for block in blocks)


# --- Files --------------------------------------------------------------------------------------------------------


def _zip(members: list[tuple[str, str | bytes, int]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data, compression in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = compression
            info.external_attr = 0o644 << 16
            archive.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)
    return out.getvalue()


_ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"'
)

_ODT_STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {_ODT_NS}>
<office:font-face-decls/>
<office:styles>
<style:default-style style:family="paragraph">
<style:paragraph-properties fo:margin-bottom="0.2cm"/>
<style:text-properties style:font-name="Liberation Serif" fo:font-size="11pt" fo:language="fr" fo:country="FR"/>
</style:default-style>
<style:style style:name="Standard" style:family="paragraph" style:class="text">
<style:paragraph-properties fo:text-align="justify" fo:margin-bottom="0.25cm"/>
</style:style>
<style:style style:name="Title" style:family="paragraph" style:parent-style-name="Standard" style:class="chapter">
<style:paragraph-properties fo:text-align="center" fo:margin-top="0.4cm" fo:margin-bottom="0.3cm"/>
<style:text-properties fo:font-size="16pt" fo:font-weight="bold" fo:text-transform="uppercase"/>
</style:style>
<style:style style:name="Subtitle" style:family="paragraph" style:parent-style-name="Standard">
<style:paragraph-properties fo:text-align="center"/>
</style:style>
<style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard" style:class="text">
<style:paragraph-properties fo:margin-top="0.4cm" fo:keep-with-next="always"/>
<style:text-properties fo:font-weight="bold"/>
</style:style>
<style:style style:name="Item" style:family="paragraph" style:parent-style-name="Standard">
<style:paragraph-properties fo:margin-left="0.8cm"/>
</style:style>
<style:style style:name="Signature" style:family="paragraph" style:parent-style-name="Standard">
<style:paragraph-properties fo:text-align="end" fo:margin-top="0.4cm"/>
</style:style>
<style:style style:name="Strong" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="Placeholder" style:family="text">
<style:text-properties fo:background-color="#fff59d"/>
</style:style>
</office:styles>
<office:automatic-styles>
<style:page-layout style:name="A4">
<style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="2cm" \
fo:margin-bottom="2cm" fo:margin-left="2.5cm" fo:margin-right="2cm"/>
</style:page-layout>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="A4"/></office:master-styles>
</office:document-styles>
"""

_ODT_PARAGRAPH_STYLES = {
    TITLE: "Title",
    SUBTITLE: "Subtitle",
    HEADING: "Heading",
    PARA: "Standard",
    ITEM: "Item",
    SIGNATURE: "Signature",
}


def _odt_paragraph(block: Block) -> str:
    inner = f'<text:span text:style-name="Strong">{escape(block.label)}</text:span>' if block.label else ""
    for part, placeholder in block.parts:
        inner += f'<text:span text:style-name="Placeholder">{escape(part)}</text:span>' if placeholder else escape(part)
    return f'<text:p text:style-name="{_ODT_PARAGRAPH_STYLES[block.kind]}">{inner}</text:p>'


def deliberation_odt(blocks: list[Block], *, title: str) -> bytes:
    body = "\n".join(_odt_paragraph(block) for block in blocks)
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_ODT_NS}>\n'
        f"<office:automatic-styles/>\n<office:body><office:text>\n{body}\n</office:text></office:body>\n"
        "</office:document-content>\n"
    )
    meta = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {_ODT_NS}><office:meta>'
        f"<dc:title>{escape(title)}</dc:title><dc:language>fr-FR</dc:language>"
        "<meta:generator>Diagnostic inclusion numérique</meta:generator></office:meta></office:document-meta>\n"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.3">\n'
        f' <manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="{ODT_MIMETYPE}"/>\n'
        ' <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>\n'
        ' <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>\n'
        ' <manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>\n'
        "</manifest:manifest>\n"
    )
    return _zip(
        [
            ("mimetype", ODT_MIMETYPE, zipfile.ZIP_STORED),  # first and uncompressed (ODF 1.3 part 2, 3.3)
            ("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED),
            ("content.xml", content, zipfile.ZIP_DEFLATED),
            ("styles.xml", _ODT_STYLES, zipfile.ZIP_DEFLATED),
            ("meta.xml", meta, zipfile.ZIP_DEFLATED),
        ]
    )


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DOCX_PARAGRAPH = {  # (alignment, bold, size in half-points, space after in twentieths of a point)
    TITLE: ("center", True, 32, 240),
    SUBTITLE: ("center", False, 22, 120),
    HEADING: ("left", True, 22, 120),
    PARA: ("both", False, 22, 160),
    ITEM: ("both", False, 22, 120),
    SIGNATURE: ("right", False, 22, 120),
}


def _docx_run(text: str, *, bold: bool, size: int, highlight: bool = False) -> str:
    props = "<w:b/>" if bold else ""
    props += '<w:highlight w:val="yellow"/>' if highlight else ""
    props += f'<w:sz w:val="{size}"/><w:lang w:val="fr-FR"/>'
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _docx_paragraph(block: Block) -> str:
    align, bold, size, after = _DOCX_PARAGRAPH[block.kind]
    indent = '<w:ind w:left="454"/>' if block.kind == ITEM else ""
    keep = "<w:keepNext/>" if block.kind == HEADING else ""
    runs = _docx_run(block.label, bold=True, size=size) if block.label else ""
    text = block.text.upper() if block.kind == TITLE else block.text
    for part, placeholder in Block(block.kind, text).parts:
        runs += _docx_run(part, bold=bold, size=size, highlight=placeholder)
    return f'<w:p><w:pPr>{keep}<w:spacing w:after="{after}"/>{indent}<w:jc w:val="{align}"/></w:pPr>{runs}</w:p>'


def deliberation_docx(blocks: list[Block], *, title: str) -> bytes:
    body = "".join(_docx_paragraph(block) for block in blocks)
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{_W}"><w:body>{body}'
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1417" w:header="708" w:footer="708" '
        'w:gutter="0"/></w:sectPr></w:body></w:document>\n'
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        "</Types>\n"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/>'
        '<Relationship Id="rId2" '
        'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
        'Target="docProps/core.xml"/>'
        "</Relationships>\n"
    )
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{escape(title)}</dc:title><dc:language>fr-FR</dc:language></cp:coreProperties>\n"
    )
    return _zip(
        [
            ("[Content_Types].xml", content_types, zipfile.ZIP_DEFLATED),
            ("_rels/.rels", rels, zipfile.ZIP_DEFLATED),
            ("docProps/core.xml", core, zipfile.ZIP_DEFLATED),
            ("word/document.xml", document, zipfile.ZIP_DEFLATED),
        ]
    )


def deliberation_title(plan) -> str:
    return f"Projet de délibération — plan d'action pour l'inclusion numérique — {plan.commune.name}"
