-- The durable PACS lookup (V9 prior_lookup) names the order's logged message instead of copying the order
-- (issue 13): the order's transaction already writes the raw message to hl7_message with its AA, so a new row
-- holds only message_id (that hl7_message.id) and what the claim needs; the claim reads the raw message and the
-- gateway parses it again with the intake's parser. order_json becomes nullable: rows written before V14 keep
-- their JSON copy and are still read. No foreign key: the log's retention may trim the message of a lookup that
-- waited longer than it; that lookup is then dropped (logged, counted), its intake decision stays.
ALTER TABLE prior_lookup ADD COLUMN message_id BIGINT;
ALTER TABLE prior_lookup ALTER COLUMN order_json DROP NOT NULL;
-- Indexes: the table only holds the lookups still to do (a row goes when its lookup is done, seconds after the
-- order's ACK), and each index is one more B-tree every MS order's commit rewrites. Measured with gateway-bench
-- IntakeCost (1000 + 3000 orders, two thirds MS, H2 bytes written per order; 2026-12-05): no lookups 57.3 KB; the
-- V9 row with the order as JSON 65.4 to 65.6 KB; the row naming its message 60.5 to 60.6 KB with both indexes,
-- 59.8 to 59.9 without ix_prior_lookup_owner, 58.4 to 58.7 without either. Both go:
-- * ix_prior_lookup_owner served renew and releaseAll (UPDATE ... WHERE claimed_by = ?): renew runs every third of
--   the hold (10 s or more) and releaseAll once at start, each a scan of the pending lookups by the primary key.
-- * ix_prior_lookup_due served claimDue (WHERE due_at <= ? ORDER BY due_at, id FETCH FIRST n), polled every 2 s
--   while the pool has room: now a scan of the pending lookups and a top-n sort. With 10,000 lookups waiting (a
--   PACS outage during a day of orders), EXPLAIN shows "PRIOR_LOOKUP.tableScan, scanCount 10001" on H2 and
--   "Seq Scan on prior_lookup, Sort Method: top-N heapsort" on PostgreSQL (1.2 ms executed); a poll that finds
--   nothing due took 0.8 to 2.1 ms on H2 and 1.3 to 1.5 ms on PostgreSQL, that is under 0.1 % of a core at one
--   poll every 2 s. renew of 1,000 claims among 10,000 rows took 6 to 16 ms (H2) and 3 to 4 ms (PostgreSQL), its
--   writes more than its scan. The per-row claim, done, retry and release go by the primary key (id) either way.
DROP INDEX ix_prior_lookup_owner;
DROP INDEX ix_prior_lookup_due;
