"""Loading the knowledge base: the fixture loads, and every mistake names its file and line."""
from __future__ import annotations

from pathlib import Path

import pytest

from constraints import KnowledgeError, load_knowledge


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line of `path` containing `needle`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not unique in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def load_error(directory: Path) -> KnowledgeError:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(directory)
    return caught.value


def assert_names(error: KnowledgeError, filename: str, line: int) -> None:
    assert error.path.name == filename
    assert error.line == line, str(error)
    assert f"{filename}:{line}:" in str(error)


def test_the_fixture_loads_with_everything_it_declares(knowledge_dir):
    knowledge = load_knowledge(knowledge_dir)
    assert set(knowledge.destinations) == {"Lisbon", "Cascais", "New York City", "Chamonix"}
    assert len(knowledge.amenities) == 11
    assert set(knowledge.property_types) == {"apartment", "studio", "house", "villa", "cabin"}
    assert set(knowledge.room_types) == {"entire_home", "private_room", "shared_room"}
    assert [rule.id for rule in knowledge.rules] == ["pets_allowed", "big_group_bedrooms", "remote_work", "baby_crib"]
    assert knowledge.destinations["Lisbon"].nearby == ("Cascais",)
    assert knowledge.amenity_similarity["pool"]["hot_tub"] == knowledge.amenity_similarity["hot_tub"]["pool"] == 0.6
    assert knowledge.setting("rating", "min_reviews") == 3


def test_a_missing_directory_is_named(tmp_path):
    error = load_error(tmp_path / "nowhere")
    assert "nowhere" in str(error)
    assert "not found" in str(error)


def test_bad_yaml_syntax_names_file_and_line(knowledge_copy):
    path = knowledge_copy / "locations.yml"
    edit(path, "    country: France\n", "    country: France: Europe\n")
    assert_names(load_error(knowledge_copy), "locations.yml", line_of(path, "France: Europe"))


def test_an_unclosed_bracket_names_file_and_a_nearby_line(knowledge_copy):
    path = knowledge_copy / "amenities.yml"
    edit(path, "  - [washer, dryer, 0.7]\n", "  - [washer, dryer, 0.7\n")
    error = load_error(knowledge_copy)
    assert error.path.name == "amenities.yml"
    broken = line_of(path, "[washer, dryer, 0.7")
    assert error.line is not None and broken <= error.line <= broken + 2, str(error)
    assert "invalid YAML" in str(error)


def test_nearby_must_name_another_destination(knowledge_copy):
    path = knowledge_copy / "locations.yml"
    edit(path, "    nearby: [Cascais]\n", "    nearby: [Casablanca]\n")
    error = load_error(knowledge_copy)
    assert_names(error, "locations.yml", line_of(path, "- name: Lisbon"))
    assert "Casablanca" in str(error)


def test_an_alias_used_by_two_destinations_is_refused(knowledge_copy):
    path = knowledge_copy / "locations.yml"
    edit(path, "  - name: Cascais\n", "  - name: Cascais\n    aliases: [Lisboa]\n")
    error = load_error(knowledge_copy)
    assert_names(error, "locations.yml", line_of(path, "- name: Cascais"))
    assert "Lisboa" in str(error) and "Lisbon" in str(error)


def test_an_alias_that_only_differs_by_accents_and_case_collides(knowledge_copy):
    path = knowledge_copy / "locations.yml"
    edit(path, "  - name: Chamonix\n", "  - name: Chamonix\n    aliases: [LISBÔA]\n")
    error = load_error(knowledge_copy)
    assert_names(error, "locations.yml", line_of(path, "- name: Chamonix"))


def test_a_bad_regex_names_the_amenity_and_its_line(knowledge_copy):
    path = knowledge_copy / "amenities.yml"
    edit(path, r"airbnb: ['\bwifi\b']", "airbnb: ['(wifi']")
    error = load_error(knowledge_copy)
    assert_names(error, "amenities.yml", line_of(path, "{id: wifi"))
    assert "wifi" in str(error) and "regex" in str(error)


def test_a_rule_naming_an_unknown_amenity_is_refused(knowledge_copy):
    path = knowledge_copy / "rules.yml"
    edit(path, "value: pets_allowed, strength: hard}", "value: pets_welcome, strength: hard}")
    error = load_error(knowledge_copy)
    assert_names(error, "rules.yml", line_of(path, "value: pets_welcome"))
    assert "pets_welcome" in str(error)


def test_a_rule_reading_an_unknown_context_is_refused(knowledge_copy):
    path = knowledge_copy / "rules.yml"
    edit(path, "    when: pets\n", "    when: dogs\n")
    error = load_error(knowledge_copy)
    assert_names(error, "rules.yml", line_of(path, "- id: pets_allowed"))
    assert "dogs" in str(error)


def test_a_rule_with_unsafe_code_is_refused(knowledge_copy):
    path = knowledge_copy / "rules.yml"
    edit(path, "    when: guests > 6\n", "    when: \"__import__('os').system('true')\"\n")
    error = load_error(knowledge_copy)
    assert_names(error, "rules.yml", line_of(path, "- id: big_group_bedrooms"))


def test_a_rule_on_an_attribute_the_engine_lacks_is_refused(knowledge_copy):
    path = knowledge_copy / "rules.yml"
    edit(path, "{attribute: bedrooms, op: '>='", "{attribute: saunas, op: '>='")
    error = load_error(knowledge_copy)
    assert_names(error, "rules.yml", line_of(path, "attribute: saunas"))


def test_an_unknown_group_names_the_amenity(knowledge_copy):
    path = knowledge_copy / "amenities.yml"
    edit(path, "groups: [family], prevalence: 0.2", "groups: [toddlers], prevalence: 0.2")
    error = load_error(knowledge_copy)
    assert_names(error, "amenities.yml", line_of(path, "{id: crib"))
    assert "toddlers" in str(error)


def test_a_missing_engine_section_is_named(knowledge_copy):
    path = knowledge_copy / "engine.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("rating:\n  min_reviews", "ratings:\n  min_reviews"), encoding="utf-8")
    error = load_error(knowledge_copy)
    assert error.path.name == "engine.yml"
    assert "rating" in str(error)


def test_a_missing_distances_section_is_named(knowledge_copy):
    path = knowledge_copy / "engine.yml"
    edit(path, "distances:", "far_and_near:")
    error = load_error(knowledge_copy)
    assert error.path.name == "engine.yml"
    assert "missing section 'distances:'" in str(error)


def test_a_missing_distance_setting_is_named(knowledge_copy):
    path = knowledge_copy / "engine.yml"
    edit(path, "  central_km:", "  centre_radius_km:")
    error = load_error(knowledge_copy)
    assert error.path.name == "engine.yml"
    assert "distances: missing 'central_km'" in str(error)
