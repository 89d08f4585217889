-- Human agents and their workbench: agent accounts, who owns each conversation, handoffs taken, the
-- suggestions the assist pane showed with what the agent did with them, and the merchant webhook
-- outbox for ownership changes. Never edit this file once applied; add V<n+1>__... instead.

-- A merchant's agents. A password is stored only as its PBKDF2 hash (auth.PasswordHashing's format);
-- the login is unique per merchant and names the agent in conversation owners ("agent:<login>").
CREATE TABLE agents (
    merchant_id   text NOT NULL,
    login         text NOT NULL,
    name          text,
    password_hash text NOT NULL,
    disabled      boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, login)
);

-- Who answers the conversation: 'bot', 'agent:<login>' or 'closed' (as of its newest drained message).
ALTER TABLE conversations ADD COLUMN owner text NOT NULL DEFAULT 'bot';
CREATE INDEX conversations_live ON conversations (merchant_id, updated_at DESC);

-- A waiting handoff an agent took: who and when. It closes when the agent hands the conversation back
-- or closes it.
ALTER TABLE handoffs ADD COLUMN taken_by text, ADD COLUMN taken_at timestamptz;

-- Every suggestion the assist pane showed, with its outcome: 'sent' (as it was), 'edited' (then sent),
-- 'ignored' (the next message's suggestions replaced it, or the agent left the conversation); NULL
-- while it is on screen.
CREATE TABLE assist_suggestions (
    id              bigserial PRIMARY KEY,
    merchant_id     text NOT NULL,
    conversation_id text NOT NULL,
    assist_id       text NOT NULL,
    suggestion_id   text NOT NULL,
    rank            smallint NOT NULL,
    kind            text NOT NULL,
    ref             text,
    intent          text NOT NULL,
    shown_at        timestamptz NOT NULL,
    outcome         text,
    outcome_at      timestamptz,
    agent           text,
    UNIQUE (assist_id, suggestion_id)
);
CREATE INDEX assist_suggestions_open ON assist_suggestions (conversation_id) WHERE outcome IS NULL;
CREATE INDEX assist_suggestions_stats ON assist_suggestions (merchant_id, intent);

-- Ownership changes to tell the merchant's system, written with the conversation's messages (one row per
-- change: the event id is conversation:seq, so a message drained twice adds it once) and delivered by one
-- node at a time (SELECT ... FOR UPDATE SKIP LOCKED), retried with backoff until delivered or given up.
CREATE TABLE webhook_outbox (
    event_id        text PRIMARY KEY,
    merchant_id     text NOT NULL,
    body            text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    attempts        integer NOT NULL DEFAULT 0,
    delivered_at    timestamptz,
    failed_at       timestamptz,
    last_error      text
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
