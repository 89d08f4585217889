-- Nectar's durable data: merchants and their knowledge, conversations and their messages, handoffs to
-- human agents, and order events. Applied once by the first node that starts (under an advisory lock);
-- never edit an applied migration, add V2__... instead.

-- A merchant: store.yaml as JSON, the hash of its merchant API key, and its knowledge version. Every
-- change to the merchant's knowledge takes the next version under this row's lock, so versions of one
-- merchant commit in order and a node can re-read exactly what changed since the version it applied.
CREATE TABLE merchants (
    id           text PRIMARY KEY,
    name         text NOT NULL,
    settings     jsonb NOT NULL,
    api_key_hash text,
    version      bigint NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX merchants_api_key ON merchants (api_key_hash) WHERE api_key_hash IS NOT NULL;

-- Knowledge items, each in the JSON shape of an item of its store file (docs/store-format.md). A deleted
-- item stays as a tombstone (deleted = true) with the version of its deletion.
CREATE TABLE faq_entries (
    merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    id          text NOT NULL,
    doc         jsonb NOT NULL,
    position    integer NOT NULL,
    version     bigint NOT NULL,
    deleted     boolean NOT NULL DEFAULT false,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, id)
);
CREATE INDEX faq_entries_changes ON faq_entries (merchant_id, version);

CREATE TABLE products (
    merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    id          text NOT NULL,
    doc         jsonb NOT NULL,
    position    integer NOT NULL,
    version     bigint NOT NULL,
    deleted     boolean NOT NULL DEFAULT false,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, id)
);
CREATE INDEX products_changes ON products (merchant_id, version);

CREATE TABLE promotions (
    merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    id          text NOT NULL,
    doc         jsonb NOT NULL,
    position    integer NOT NULL,
    version     bigint NOT NULL,
    deleted     boolean NOT NULL DEFAULT false,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, id)
);
CREATE INDEX promotions_changes ON promotions (merchant_id, version);

CREATE TABLE flows (
    merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    id          text NOT NULL,
    doc         jsonb NOT NULL,
    position    integer NOT NULL,
    version     bigint NOT NULL,
    deleted     boolean NOT NULL DEFAULT false,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, id)
);
CREATE INDEX flows_changes ON flows (merchant_id, version);

-- Whole documents of a store: 'flow-config' (the actions and settings of flows.yaml) and 'backend'
-- (backend.yaml, the demo order system's data).
CREATE TABLE store_documents (
    merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    id          text NOT NULL,
    doc         jsonb NOT NULL,
    position    integer NOT NULL,
    version     bigint NOT NULL,
    deleted     boolean NOT NULL DEFAULT false,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, id)
);
CREATE INDEX store_documents_changes ON store_documents (merchant_id, version);

-- Conversations and their messages as drained from the durable log. (conversation_id, seq) identifies a
-- message; writing it again is a no-op.
CREATE TABLE conversations (
    id          text PRIMARY KEY,
    merchant_id text NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    language    text,
    last_seq    bigint NOT NULL
);
CREATE INDEX conversations_merchant ON conversations (merchant_id, updated_at);

CREATE TABLE messages (
    conversation_id text NOT NULL,
    seq             bigint NOT NULL,
    merchant_id     text NOT NULL,
    role            text NOT NULL,
    message_id      text,
    text            text,
    intent          text,
    source          text,
    language        text,
    at              timestamptz NOT NULL,
    frame           jsonb,
    PRIMARY KEY (conversation_id, seq)
);

-- Conversations handed to a human. At most one open handoff per conversation; the bot message that
-- opened it (opened_seq) opens it once, however often it is written.
CREATE TABLE handoffs (
    id              bigserial PRIMARY KEY,
    merchant_id     text NOT NULL,
    conversation_id text NOT NULL,
    reason          text NOT NULL,
    language        text,
    opened_at       timestamptz NOT NULL,
    opened_seq      bigint NOT NULL,
    closed_at       timestamptz,
    dialogue        jsonb,
    dialogue_seq    bigint,
    UNIQUE (conversation_id, opened_seq)
);
CREATE UNIQUE INDEX handoffs_open ON handoffs (conversation_id) WHERE closed_at IS NULL;
CREATE INDEX handoffs_waiting ON handoffs (merchant_id, opened_at) WHERE closed_at IS NULL;

-- Orders as merchants' systems report them (a later step reads them for reminders and metrics).
CREATE TABLE order_events (
    merchant_id text NOT NULL,
    event_id    text NOT NULL,
    order_id    text NOT NULL,
    shopper_id  text,
    type        text NOT NULL,
    amount      numeric(14, 2),
    at          timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, event_id)
);
CREATE INDEX order_events_order ON order_events (merchant_id, order_id, at);
