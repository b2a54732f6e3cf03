-- What a publication's snapshot may depend on, as one number (issue 14): data_generation.n moves with every row
-- inserted, changed or deleted in any table but the few that record who did what and when (sessions and their
-- last-seen time, sign-in throttling, the audit log, mail waiting to be sent, job and site-build runs, API tokens'
-- and calendar feeds' last use), which no snapshot reads. A publication may take over the office lead's preview when
-- the number is the one the preview was computed at (publish.ts): the lead's own session touch, a sign-in elsewhere
-- or an audit row no longer make it compute the same snapshot again. admin/db/data-generation.test.ts checks that
-- every table but those has the three triggers, so a table added later is counted unless it is listed.
CREATE TABLE data_generation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n INTEGER NOT NULL
) STRICT;
INSERT INTO data_generation (id, n) VALUES (1, 0);

CREATE TRIGGER agencies_gen_i AFTER INSERT ON agencies BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER agencies_gen_u AFTER UPDATE ON agencies BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER agencies_gen_d AFTER DELETE ON agencies BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER agency_names_gen_i AFTER INSERT ON agency_names BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER agency_names_gen_u AFTER UPDATE ON agency_names BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER agency_names_gen_d AFTER DELETE ON agency_names BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER agency_replies_gen_i AFTER INSERT ON agency_replies BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER agency_replies_gen_u AFTER UPDATE ON agency_replies BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER agency_replies_gen_d AFTER DELETE ON agency_replies BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER api_clients_gen_i AFTER INSERT ON api_clients BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER api_clients_gen_u AFTER UPDATE ON api_clients BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER api_clients_gen_d AFTER DELETE ON api_clients BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER calendar_changes_gen_i AFTER INSERT ON calendar_changes BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER calendar_changes_gen_u AFTER UPDATE ON calendar_changes BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER calendar_changes_gen_d AFTER DELETE ON calendar_changes BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER documents_gen_i AFTER INSERT ON documents BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER documents_gen_u AFTER UPDATE ON documents BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER documents_gen_d AFTER DELETE ON documents BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER event_files_gen_i AFTER INSERT ON event_files BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER event_files_gen_u AFTER UPDATE ON event_files BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER event_files_gen_d AFTER DELETE ON event_files BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER files_gen_i AFTER INSERT ON files BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER files_gen_u AFTER UPDATE ON files BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER files_gen_d AFTER DELETE ON files BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER former_province_rows_gen_i AFTER INSERT ON former_province_rows BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER former_province_rows_gen_u AFTER UPDATE ON former_province_rows BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER former_province_rows_gen_d AFTER DELETE ON former_province_rows BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER former_provinces_gen_i AFTER INSERT ON former_provinces BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER former_provinces_gen_u AFTER UPDATE ON former_provinces BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER former_provinces_gen_d AFTER DELETE ON former_provinces BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER former_publications_gen_i AFTER INSERT ON former_publications BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER former_publications_gen_u AFTER UPDATE ON former_publications BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER former_publications_gen_d AFTER DELETE ON former_publications BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER import_events_gen_i AFTER INSERT ON import_events BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER import_events_gen_u AFTER UPDATE ON import_events BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER import_events_gen_d AFTER DELETE ON import_events BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER imports_gen_i AFTER INSERT ON imports BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER imports_gen_u AFTER UPDATE ON imports BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER imports_gen_d AFTER DELETE ON imports BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER internal_step_files_gen_i AFTER INSERT ON internal_step_files BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER internal_step_files_gen_u AFTER UPDATE ON internal_step_files BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER internal_step_files_gen_d AFTER DELETE ON internal_step_files BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER leaders_gen_i AFTER INSERT ON leaders BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER leaders_gen_u AFTER UPDATE ON leaders BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER leaders_gen_d AFTER DELETE ON leaders BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER notice_prefs_gen_i AFTER INSERT ON notice_prefs BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER notice_prefs_gen_u AFTER UPDATE ON notice_prefs BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER notice_prefs_gen_d AFTER DELETE ON notice_prefs BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER notices_gen_i AFTER INSERT ON notices BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER notices_gen_u AFTER UPDATE ON notices BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER notices_gen_d AFTER DELETE ON notices BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER publication_change_basis_gen_i AFTER INSERT ON publication_change_basis BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER publication_change_basis_gen_u AFTER UPDATE ON publication_change_basis BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER publication_change_basis_gen_d AFTER DELETE ON publication_change_basis BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER publications_gen_i AFTER INSERT ON publications BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER publications_gen_u AFTER UPDATE ON publications BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER publications_gen_d AFTER DELETE ON publications BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER reorganisation_notes_gen_i AFTER INSERT ON reorganisation_notes BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER reorganisation_notes_gen_u AFTER UPDATE ON reorganisation_notes BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER reorganisation_notes_gen_d AFTER DELETE ON reorganisation_notes BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER sectors_gen_i AFTER INSERT ON sectors BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER sectors_gen_u AFTER UPDATE ON sectors BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER sectors_gen_d AFTER DELETE ON sectors BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER settings_gen_i AFTER INSERT ON settings BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER settings_gen_u AFTER UPDATE ON settings BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER settings_gen_d AFTER DELETE ON settings BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER task_coordinators_gen_i AFTER INSERT ON task_coordinators BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER task_coordinators_gen_u AFTER UPDATE ON task_coordinators BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER task_coordinators_gen_d AFTER DELETE ON task_coordinators BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER task_delegations_gen_i AFTER INSERT ON task_delegations BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER task_delegations_gen_u AFTER UPDATE ON task_delegations BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER task_delegations_gen_d AFTER DELETE ON task_delegations BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER task_events_gen_i AFTER INSERT ON task_events BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER task_events_gen_u AFTER UPDATE ON task_events BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER task_events_gen_d AFTER DELETE ON task_events BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER task_internal_steps_gen_i AFTER INSERT ON task_internal_steps BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER task_internal_steps_gen_u AFTER UPDATE ON task_internal_steps BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER task_internal_steps_gen_d AFTER DELETE ON task_internal_steps BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER tasks_gen_i AFTER INSERT ON tasks BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER tasks_gen_u AFTER UPDATE ON tasks BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER tasks_gen_d AFTER DELETE ON tasks BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER users_gen_i AFTER INSERT ON users BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER users_gen_u AFTER UPDATE ON users BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER users_gen_d AFTER DELETE ON users BEGIN UPDATE data_generation SET n = n + 1; END;
