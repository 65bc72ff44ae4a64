"""Small pieces with no qbtui dependencies: units, formatting, bencode and .torrent files, atomic
writes."""
