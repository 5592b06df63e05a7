"""Every vocabulary term has its own Chinese label, even where two terms share a code value."""

from __future__ import annotations

from domain.glossary import InspectionKind, Labelled, Role, SignatureMeaning


def test_terms_with_equal_values_keep_their_own_labels() -> None:
    assert Role.INSPECTOR.zh == "执法人员"
    assert SignatureMeaning.INSPECTOR.zh == "检查人签名"
    assert InspectionKind.SELF_INSPECTION.zh == "企业自查（主要负责人带队）"


def test_every_term_has_a_chinese_label() -> None:
    for vocabulary in Labelled.__subclasses__():
        for term in vocabulary:
            assert term.zh and not term.zh.isascii(), term
