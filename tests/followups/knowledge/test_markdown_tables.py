"""An article's table alignment comes as classes, not style attributes: the Content-Security-Policy
refuses inline styles (a table on /knowledge/<id>/ gave four console errors)."""

from followups.knowledge.markdown import render_markdown

TABLE = "| Plan | Price | Notes |\n|:-----|------:|:-----:|\n| Basic | 10 | ok |\n"


def test_aligned_columns_become_classes():
    html = str(render_markdown(TABLE))
    assert "style=" not in html
    assert '<th class="text-start">Plan</th>' in html
    assert '<td class="text-end">10</td>' in html
    assert '<td class="text-center">ok</td>' in html


def test_no_other_class_or_style_gets_through():
    html = str(render_markdown('| a |\n|---|\n| b |\n\n<td class="evil" style="color:red">x</td>'))
    # Raw HTML in an article shows as text: no element, class or style comes from it.
    assert '<td class="evil"' not in html and "<td style=" not in html and "<td>b</td>" in html
