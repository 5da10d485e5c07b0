"""One line per student's network, for grouping the class's smallest breaks."""

from smiley_checks.inspection.change_summary import what_changed
from smiley_checks.variants import build_variant


def test_removing_every_layer_of_a_type_is_one_change(english):
    assert what_changed(build_variant("no_batchnorm")) == "All BatchNormalization layers removed."
    assert what_changed(build_variant("dense_only")).count("All ") == 4


def test_other_edits_are_compares_own_sentences(english):
    assert what_changed(build_variant("final_relu")) == \
        "head: Dense(2, softmax) now has activation relu instead of softmax."
    assert what_changed(build_variant("original")) == "Your network has exactly the same layers as the original network."
