-- V18: Requested Procedure Priority (0040,1003) of the step, from the order's priority (TQ1-9, else ORC-7.6, else
-- OBR-27.6, mapped at the HL7 edge to a DICOM defined term: STAT, HIGH or ROUTINE). A change (XO) of the order
-- rewrites it. Steps stored before have it NULL: the worklist returns the attribute empty for them, as it did.
ALTER TABLE worklist_item ADD COLUMN requested_procedure_priority VARCHAR(16);
