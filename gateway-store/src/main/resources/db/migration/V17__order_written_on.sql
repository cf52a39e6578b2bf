-- V17: the day the order was written (ORC-9, else MSH-7, of the message that created the step), from which the
-- clinical text's relative dates ("il y a 5 mois") are counted. A later change (XO) or resend keeps counting from it:
-- the change's own ORC-9 is the day it was changed, not the day its text was written. Steps stored before keep it
-- NULL: their changes count from the change's day, as before.
ALTER TABLE worklist_item ADD COLUMN order_written_on DATE;
