"""The layers of the import-linter contract (pyproject.toml) cover every module of
`alliance/`, so that a new module is placed in the roof or the basement on purpose.

The contract itself (which layer may import which) is checked by `make lint`
(lint-imports); this test keeps the contract from silently ignoring a new module.
"""

import pathlib
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent


def contract_layers() -> list[set[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["type"] == "layers"]
    return [
        {name.strip() for name in layer.replace("|", ":").split(":")}
        for layer in contract["layers"]
    ]


def alliance_modules(package: pathlib.Path = ROOT / "alliance") -> set[str]:
    names = set()
    for path in package.iterdir():
        if path.name in {"__init__.py", "migrations", "__pycache__"}:
            continue
        if path.suffix == ".py":
            names.add(f"alliance.{path.stem}")
        elif path.is_dir() and (path / "__init__.py").exists():
            names.add(f"alliance.{path.name}")
    return names


def test_every_alliance_module_is_in_the_roof_or_the_basement():
    layers = contract_layers()
    roof, basement = layers[0], layers[-1]
    unplaced = alliance_modules() - roof - basement
    assert not unplaced, f"place these in pyproject.toml's import-linter layers: {unplaced}"


def test_the_layers_run_roof_networks_cities_basement():
    layers = contract_layers()
    assert layers[1:-1] == [{"networks"}, {"cities"}]
    assert not layers[0] & layers[-1]


def test_the_check_catches_an_unplaced_module(tmp_path):
    package = tmp_path / "alliance"
    (package / "stray_package").mkdir(parents=True)
    (package / "stray_package" / "__init__.py").write_text("")
    (package / "stray.py").write_text("")
    layers = contract_layers()
    unplaced = alliance_modules(package) - layers[0] - layers[-1]
    assert unplaced == {"alliance.stray", "alliance.stray_package"}
