"""Textual-free state: the store, the table's view, the poll loop, the filter language, columns,
events, speed history, problems, undo and expectations. Nothing here imports Textual or Rich."""
