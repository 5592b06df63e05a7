"""Commands of report submissions (报表报送): what a person asks, as typed values."""

from __future__ import annotations


