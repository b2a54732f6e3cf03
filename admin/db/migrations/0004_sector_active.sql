-- Sectors can be deactivated like leaders (no longer offered for new tasks; old tasks keep theirs).
ALTER TABLE sectors ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
