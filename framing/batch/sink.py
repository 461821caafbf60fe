"""Where a batch's rows go: FILE.part with checkpoints, renamed to FILE when done."""

import json
import os
from pathlib import Path

from framing.errors import OutputError
from framing.files import check_parent


def _part_paths(out: Path) -> tuple[Path, Path]:
    return out.with_name(out.name + ".part"), out.with_name(out.name + ".part.json")


def check_output(out: Path, *, force: bool, resume: bool) -> None:
    """Fail fast, before any scoring, if the output cannot be written as asked."""
    part, state = _part_paths(out)
    if resume:
        if not (part.exists() and state.exists()):
            raise OutputError(
                f"nothing to resume: no interrupted run left {part}; run without "
                "--resume"
            )
        return
    if out.exists() and not force:
        raise OutputError(f"{out} exists; pass --force to overwrite it")
    if part.exists() and not force:
        raise OutputError(
            f"an interrupted run left {part}; pass --resume to continue it or "
            "--force to start again"
        )
    if out.is_dir():
        raise OutputError(f"{out} is a folder; give a file name")
    check_parent(out)


class PartFile:
    """FILE.part plus its checkpoint state FILE.part.json; renamed to FILE only by
    finish(), so FILE never exists half-written."""

    def __init__(self, out: Path, settings: dict):
        self.out = Path(out)
        self.part, self.state_path = _part_paths(self.out)
        self.settings = settings
        self.handle = None

    def start(self, header: str) -> None:
        self.handle = open(self.part, "w", encoding="utf-8", newline="")
        self.handle.write(header)

    def resume(self) -> dict:
        """Reopen after the last checkpoint; returns the saved state."""
        state = json.loads(self.state_path.read_text(encoding="utf-8"))
        if state.get("settings") != self.settings:
            raise OutputError(
                f"{self.part} was written with other options or another model; "
                "resume with the same options, or start again with --force"
            )
        with open(self.part, "r+b") as handle:
            handle.truncate(state["offset"])  # drop rows after the checkpoint
        self.handle = open(self.part, "a", encoding="utf-8", newline="")
        return state

    def checkpoint(self, done: int, last_id: str | None, summary: dict) -> None:
        """Make what is written so far durable, then record how far that is."""
        self.handle.flush()
        os.fsync(self.handle.fileno())
        state = {
            "documents": done,
            "offset": self.handle.tell(),
            "last_id": last_id,
            "settings": self.settings,
            "summary": summary,
        }
        tmp = self.state_path.with_name(self.state_path.name + ".tmp")
        tmp.write_text(json.dumps(state), encoding="utf-8")
        os.replace(tmp, self.state_path)

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()

    def finish(self) -> None:
        os.replace(self.part, self.out)
        self.state_path.unlink(missing_ok=True)
