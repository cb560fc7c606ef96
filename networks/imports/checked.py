"""What checking a batch of rows found: the same shape for every kind of import."""

import dataclasses


@dataclasses.dataclass
class Row:
    """A row that can be written: its number in the file, the model instance it becomes
    (new or the stored one with the file's values set), the file's values as text (for
    the preview), and for a changed row {field: [stored, new]} as text."""

    number: int
    instance: object
    values: dict
    changes: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class Checked:
    new: list[Row] = dataclasses.field(default_factory=list)
    changed: list[Row] = dataclasses.field(default_factory=list)
    unchanged: list[Row] = dataclasses.field(default_factory=list)
    refused: list[tuple[int, str]] = dataclasses.field(default_factory=list)

    def refuse(self, number: int, column: str, reason) -> None:
        self.refused.append((number, f"{column}: {reason}" if column else str(reason)))
