-- The merchant's side: who a conversation's shopper is, per-conversation facts the merchant's numbers are
-- computed from, offer rules (a knowledge kind like products) and what became of offers, ratings,
-- unpaid-order reminders, and the console's sign-in. docs/metrics.md defines every number.

-- A conversation's shopper (from a verified shopper token; NULL for anonymous shoppers) and its facts, kept
-- up to date by the transcript sink as messages drain (each fact idempotent: LEAST / COALESCE / OR).
ALTER TABLE conversations
    ADD COLUMN shopper_id       text,
    ADD COLUMN first_shopper_at timestamptz,
    ADD COLUMN first_bot_at     timestamptz,
    ADD COLUMN first_agent_at   timestamptz,
    ADD COLUMN handoff_at       timestamptz,
    ADD COLUMN topic            text,
    ADD COLUMN topic_seq        bigint,
    ADD COLUMN complaint        boolean NOT NULL DEFAULT false;
-- a merchant's conversations of a period (the numbers), and one shopper's (conversion, repeats)
CREATE INDEX conversations_started ON conversations (merchant_id, first_shopper_at)
    INCLUDE (shopper_id, first_bot_at, first_agent_at, handoff_at, topic, complaint, last_seq, updated_at);
CREATE INDEX conversations_shopper ON conversations (merchant_id, shopper_id, first_shopper_at) WHERE shopper_id IS NOT NULL;

-- Offer rules (offers.yaml), one JSON document per rule, as faq_entries/products/promotions.
CREATE TABLE offers (
    merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    id          text NOT NULL,
    doc         jsonb NOT NULL,
    position    integer NOT NULL,
    version     bigint NOT NULL,
    deleted     boolean NOT NULL DEFAULT false,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, id)
);
CREATE INDEX offers_changes ON offers (merchant_id, version);

-- What became of an offer in a conversation: shown, clicked, bought; each at most once.
CREATE TABLE offer_events (
    merchant_id     text NOT NULL,
    conversation_id text NOT NULL,
    offer_id        text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('shown', 'clicked', 'bought')),
    shopper_id      text,
    sku             text,
    at              timestamptz NOT NULL,
    PRIMARY KEY (conversation_id, offer_id, kind)
);
CREATE INDEX offer_events_period ON offer_events (merchant_id, at);
CREATE INDEX offer_events_shopper ON offer_events (merchant_id, shopper_id, at) WHERE shopper_id IS NOT NULL;

-- A shopper's rating of a conversation; the latest one counts.
CREATE TABLE ratings (
    conversation_id text PRIMARY KEY,
    merchant_id     text NOT NULL,
    shopper_id      text,
    rating          text NOT NULL CHECK (rating IN ('good', 'bad')),
    comment         text,
    at              timestamptz NOT NULL
);
CREATE INDEX ratings_period ON ratings (merchant_id, at);

-- Paid orders by shopper (conversion, reminders' recovery).
CREATE INDEX order_events_paid ON order_events (merchant_id, shopper_id, at) WHERE type = 'paid';

-- One reminder per unpaid order. status: scheduled (waits for due_at), waiting (due, the shopper has no
-- live conversation: sent at their next visit), sent, cancelled (paid or cancelled first), stopped (by the
-- merchant), expired (the order expired first), holdout (in the holdout share: never sent).
-- due_unpaid: the order reached its first due time unpaid (both groups; the recovery numbers count these).
CREATE TABLE reminders (
    merchant_id     text NOT NULL,
    order_id        text NOT NULL,
    shopper_id      text NOT NULL,
    amount          numeric(14, 2),
    ordered_at      timestamptz NOT NULL,
    first_due_at    timestamptz NOT NULL,
    due_at          timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    holdout         boolean NOT NULL,
    status          text NOT NULL,
    due_unpaid      boolean NOT NULL DEFAULT false,
    reason          text,
    conversation_id text,
    sent_at         timestamptz,
    paid_at         timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, order_id)
);
CREATE INDEX reminders_due ON reminders (due_at) WHERE status = 'scheduled';
CREATE INDEX reminders_waiting ON reminders (merchant_id, shopper_id) WHERE status = 'waiting';
CREATE INDEX reminders_sent ON reminders (merchant_id, shopper_id, sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX reminders_period ON reminders (merchant_id, first_due_at);

-- The merchant console's accounts (password: PBKDF2-HMAC-SHA256) and sessions (token stored as SHA-256).
CREATE TABLE console_admins (
    merchant_id   text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    username      text NOT NULL,
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, username)
);
CREATE TABLE console_sessions (
    token_hash  text PRIMARY KEY,
    merchant_id text NOT NULL,
    username    text NOT NULL,
    expires_at  timestamptz NOT NULL
);
