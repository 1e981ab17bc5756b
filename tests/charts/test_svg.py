import xml.etree.ElementTree as ET

import pytest

from fgc.charts import PALETTE, bar_chart, benchmark_chart, funnel_chart, line_chart

NS = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    "svg",
    [
        bar_chart(["White", "Black & <other>"], [10.0, None], title="Offers", unit="%"),
        funnel_chart([("Offered", 100), ("Accepted", 60), ("Held", 0)], title="Funnel"),
        benchmark_chart("Hartlepool", 40.0, {"Neighbours": 35.5, "England": None}, title="B"),
        line_chart(
            ["2024-25", "2025-26"], {"Hartlepool": [1.0, None], "England": [2.0, 3.0]}, title="T"
        ),
    ],
)
def test_svg_is_well_formed_and_accessible(svg):
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert title is not None and title.text
    assert desc is not None and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "<script" not in svg and "http://" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_chart_uses_palette_and_describes_values():
    svg = benchmark_chart("Hartlepool", 40.0, {"England": 30.0}, title="Rate", unit="%")
    assert PALETTE[0] in svg and PALETTE[2] in svg  # comparators dark blue, council dark pink
    assert "Hartlepool: 40%" in svg and "England: 30%" in svg


def test_funnel_labels_keep_their_contrast():
    """White only on the dark bars; near-black on turquoise; beside a bar too narrow for it."""
    import re

    from fgc.charts.svg import funnel_chart

    svg = funnel_chart(
        [("Offered", 400), ("Accepted", 300), ("Referred", 290), ("Reviewed", 10)],
        title="Funnel",
    )
    rect = r'<rect x="[^"]+" y="[^"]+" width="([^"]+)" height="[^"]+" fill="([^"]+)"'
    bars = re.findall(rect, svg)
    texts = re.findall(r'<text x="[^"]+" y="[^"]+" text-anchor="(\w+)" fill="([^"]+)">', svg)
    texts = texts[-4:]  # the step labels (after the title and description)
    assert [fill for _, fill in bars] == ["#12436D", "#28A197", "#12436D", "#28A197"]
    assert texts[0] == ("middle", "#FFFFFF")  # on dark blue
    assert texts[1] == ("middle", "#0B0C0C")  # on turquoise
    assert texts[3] == ("start", "#0B0C0C")  # the narrow last step: beside its bar
