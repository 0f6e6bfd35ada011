"""What a report needs of whoever it is made for: who is looking, at which filters, and ways to
ask the viewer's queries and publish tables to them. The shell's PageContext is one; a report
made outside the browser brings its own."""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Future
from datetime import date
from typing import Any, Protocol

import pandas as pd

from dashboard.privacy.disclosure import Counts, DisclosureRule, Protected
from dashboard.privacy.grouping import Grouping
from queries.scope import Filters, Scope


class Viewer(Protocol):
    @property
    def scope(self) -> Scope: ...

    @property
    def filters(self) -> Filters: ...

    @property
    def data_as_at(self) -> date: ...

    @property
    def synthetic(self) -> bool: ...

    @property
    def site_names(self) -> Mapping[int, str]: ...

    @property
    def disclosure(self) -> DisclosureRule: ...

    def query(self, query: Any, filters: Filters | None = None, **arguments: Any) -> pd.DataFrame: ...

    def prefetch(self, *asks: Any) -> list[Future[pd.DataFrame]]: ...

    def publish(self, table: pd.DataFrame, counts: Counts, grouping: Grouping | None = None) -> Protected: ...

    @property
    def sites_label(self) -> str: ...
