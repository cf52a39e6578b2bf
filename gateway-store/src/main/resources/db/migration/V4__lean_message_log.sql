-- The HL7 message log is written in every order's transaction, and every index is one more B-tree rewritten by
-- each commit (H2 writes the path of every changed page at each commit). These two served only the daily trim
-- and the admin list of failed messages: the trim now walks the primary key (ids grow with arrival time) and
-- the failed list reads the newest rows first, so they go. The (sender, control ID) index stays: every message
-- is looked up by it (duplicates).
DROP INDEX ix_hl7_message_received;
DROP INDEX ix_hl7_message_ack;
