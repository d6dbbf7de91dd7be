-- The orders ledger: one row per order, written before the carrier is called, so that no failure (a lost
-- answer, a process that dies mid-call) can lead to a second purchase of the same number.
CREATE TABLE orders (
  id                uuid        PRIMARY KEY,
  -- Paging key of GET /numbers/orders (newest first); never shown.
  seq               bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
  client            text        NOT NULL,
  idempotency_key   text        NOT NULL,
  -- SHA-256 of the request body as understood (number and provider): a repeat with another body is a conflict.
  request_hash      text        NOT NULL,
  phone_number      text        NOT NULL,
  provider          text        NOT NULL,
  status            text        NOT NULL CHECK (status IN ('pending', 'action_required', 'completed', 'failed', 'unknown')),
  provider_order_id text,
  -- {code, message, fix?, providerCode?}: why it failed, or what it waits for.
  error             jsonb,
  tracking_id       text        NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  completed_at      timestamptz,
  -- What the reconciler still has to do: 'purchase' while the purchase call is in flight (a row left in it by
  -- a process that died is treated as unknown), 'follow' an asynchronous order, 'reconcile' an unknown outcome.
  work              text        CHECK (work IN ('purchase', 'follow', 'reconcile')),
  next_check_at     timestamptz,
  checks            integer     NOT NULL DEFAULT 0,
  -- Which instance works on the row, until when (claimed with FOR UPDATE SKIP LOCKED).
  lease_owner       text,
  lease_until       timestamptz,
  -- Since when the carrier's answer is unknown (the grace before "no record of this purchase" starts there).
  unknown_since     timestamptz,
  -- After this, an order that has not finished is failed (ORDER_GIVE_UP_SECONDS after it was placed).
  give_up_at        timestamptz NOT NULL,
  CONSTRAINT orders_idempotency UNIQUE (client, idempotency_key),
  CONSTRAINT orders_work_is_scheduled CHECK (work IS NULL OR next_check_at IS NOT NULL)
);

-- One order at a time holds a number: every state but failed. A second order for it, on any instance, fails
-- this index instead of reaching the carrier.
CREATE UNIQUE INDEX orders_one_holder_per_number ON orders (phone_number) WHERE status <> 'failed';

-- The reconciler's queue.
CREATE INDEX orders_due ON orders (next_check_at) WHERE work IS NOT NULL;

-- A client's orders, newest first.
CREATE INDEX orders_by_client ON orders (client, seq DESC);
