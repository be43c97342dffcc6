import apistellar
import apistellar_config

#: Where each re-exported name comes from; grows with every distribution's public API.
OWNERS = {
    "SettingsMixin": apistellar_config,
    "init_settings": apistellar_config,
    "settings": apistellar_config,
}


def test_all_is_sorted_and_complete():
    public = {name for name in vars(apistellar) if not name.startswith("_")}
    assert apistellar.__all__ == sorted(apistellar.__all__)
    assert set(apistellar.__all__) == public == set(OWNERS)


def test_every_name_is_the_component_object_itself():
    for name, owner in OWNERS.items():
        assert getattr(apistellar, name) is getattr(owner, name), name


def test_settings_reexport_reflects_reloads(tmp_path):
    (tmp_path / "settings.py").write_text("WHO = 'meta'\n")
    apistellar.init_settings(search_path=tmp_path)
    assert apistellar.settings.WHO == "meta"
    apistellar.init_settings(search_path=tmp_path / "absent")
    assert "WHO" not in apistellar.settings
