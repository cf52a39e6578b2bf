-- V16: what a status message to the RIS names besides its keys (the patient's name and issuer, the procedure
-- code, the Requested Procedure ID and Study Instance UID), as JSON (StatusEvent.Details). A strict RIS refused the
-- messages without PID-5 or OMI's IPC-2/IPC-3. Rows queued before keep it NULL and are sent as before.
ALTER TABLE outbound_event ADD COLUMN details_json TEXT;
