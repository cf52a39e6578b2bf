-- A counter on every worklist step that every UPDATE of the row increments (ItemTable, Housekeeping): a reader
-- that already holds the step at that version (the C-FIND path's item cache, JdbcWorklistStore) reuses it
-- instead of decoding its decision and reading its protocol codes again. Works across instances on one database.
ALTER TABLE worklist_item ADD COLUMN row_version BIGINT DEFAULT 0 NOT NULL;
