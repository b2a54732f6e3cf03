-- Issue 12: agency names as a history, establishment days, and reorganisations recorded after a publication.
-- agency_names: the name an agency carried from valid_from on (admin/domain/agency-names.ts nameAsOf); the newest
-- row equals agencies.name, which stays the current name. An agency with no row is named agencies.name on every day.
CREATE TABLE agency_names (
  agency_id INTEGER NOT NULL REFERENCES agencies(id),
  name TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  PRIMARY KEY (agency_id, valid_from)
) STRICT;

-- established_on: the first day the agency existed (NULL: not recorded, no check). A merger or split into it dated
-- before this day is refused (agency-reorganisation.ts, agency-split.ts successorProblem).
ALTER TABLE agencies ADD COLUMN established_on TEXT;

-- Existing agencies: valid from their earliest task or event, else the day they were created (local calendar day).
UPDATE agencies SET established_on = min(
  date(created_at, '+7 hours'),
  coalesce((SELECT min(t.assigned_on) FROM tasks t WHERE t.lead_agency_id = agencies.id), '9999-12-31'),
  coalesce((SELECT min(e.occurred_on) FROM task_events e WHERE e.agency_id = agencies.id), '9999-12-31'));
INSERT INTO agency_names (agency_id, name, valid_from) SELECT id, name, established_on FROM agencies;

-- A merger dated on or before the cutoff of a published period changes figures already published: the next
-- publication carries a note (publish.ts, "Số liệu điều chỉnh do sắp xếp tổ chức"); published_in marks it used.
CREATE TABLE reorganisation_notes (
  id INTEGER PRIMARY KEY,
  agency_id INTEGER NOT NULL REFERENCES agencies(id),
  effective_on TEXT NOT NULL,
  text TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  published_in INTEGER REFERENCES publications(id)
) STRICT;
CREATE INDEX reorganisation_notes_pending ON reorganisation_notes(id) WHERE published_in IS NULL;
