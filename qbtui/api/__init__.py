"""The qBittorrent protocol: one async API service over both the legacy WebUI API and WebAPI v2."""

from qbtui.api.base import ALL, Hashes, PartialFailure, QbtApi, TorrentFileUpload
from qbtui.api.connect import connect
from qbtui.api.session import ConnectionSettings

__all__ = ["ALL", "ConnectionSettings", "Hashes", "PartialFailure", "QbtApi", "TorrentFileUpload", "connect"]
