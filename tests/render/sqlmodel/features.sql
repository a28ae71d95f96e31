-- Every feature the SQLModel renderer must express, in one schema (read by test_models.py).
CREATE SCHEMA app;
CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'it''s', 'in progress');
CREATE DOMAIN public.positive AS integer CONSTRAINT positive_check CHECK (VALUE > 0);

CREATE TABLE public.users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email varchar(255) NOT NULL UNIQUE,
    name text NOT NULL,
    password_hash text NOT NULL,
    api_token text,
    mood public.mood DEFAULT 'ok',
    moods public.mood[],
    created_at timestamptz NOT NULL DEFAULT now(),
    "metadata" jsonb NOT NULL DEFAULT '{}',
    "uuid" uuid,
    "class" text,
    "1st" integer,
    "my col" text,
    "é" text,
    "bytes" bytea,
    tags text[] DEFAULT '{}',
    balance numeric(12,2) DEFAULT 0,
    ratio double precision,
    price numeric,
    code char(3),
    note varchar,
    twice integer GENERATED ALWAYS AS ("1st" * 2) STORED
);
COMMENT ON TABLE public.users IS 'People who sign in';
COMMENT ON COLUMN public.users.email IS 'the sign-in address';

CREATE TABLE public.profiles (
    user_id bigint PRIMARY KEY REFERENCES public.users (id) ON DELETE CASCADE,
    bio text
);
CREATE TABLE public.roles (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL UNIQUE);
CREATE TABLE public.user_roles (
    user_id bigint REFERENCES public.users (id),
    role_id uuid REFERENCES public.roles (id),
    PRIMARY KEY (user_id, role_id)
);
CREATE TABLE public.categories (
    id serial PRIMARY KEY,
    parent_id integer REFERENCES public.categories (id),
    name text NOT NULL
);
CREATE TABLE public.messages (
    id bigserial PRIMARY KEY,
    sender_id bigint NOT NULL REFERENCES public.users (id),
    recipient_id bigint NOT NULL REFERENCES public.users (id),
    body text,
    sent_at timestamp(3) with time zone DEFAULT now()
);
CREATE TABLE app.orders (
    tenant integer NOT NULL,
    number integer NOT NULL,
    total numeric(10,2) CONSTRAINT orders_total_check CHECK (total >= 0),
    PRIMARY KEY (tenant, number)
);
CREATE TABLE app.order_lines (
    tenant integer NOT NULL,
    order_number integer NOT NULL,
    line integer NOT NULL,
    qty integer DEFAULT 1,
    PRIMARY KEY (tenant, order_number, line),
    FOREIGN KEY (tenant, order_number) REFERENCES app.orders ON UPDATE CASCADE ON DELETE CASCADE
        DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX users_lower_email ON public.users (lower((email)::text));
CREATE INDEX users_created_desc ON public.users (created_at DESC NULLS LAST) INCLUDE (name)
    WHERE api_token IS NOT NULL;
CREATE INDEX users_tags_gin ON public.users USING gin (tags);
CREATE INDEX users_name_pattern ON public.users (name text_pattern_ops);
CREATE UNIQUE INDEX roles_name_lower ON public.roles (lower(name));
COMMENT ON INDEX public.users_lower_email IS 'case-insensitive look-ups';

CREATE TABLE public.events (at timestamptz NOT NULL, kind text);

CREATE VIEW public.active_users AS SELECT id, email FROM public.users WHERE api_token IS NOT NULL;
CREATE MATERIALIZED VIEW public.user_counts AS SELECT count(*) AS n FROM public.users;
CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql
    AS $$ BEGIN NEW.note := 'touched 100%'; RETURN NEW; END $$;
CREATE TRIGGER users_touch BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION public.touch();
ALTER TABLE public.messages ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_messages ON public.messages USING (sender_id = 1);

CREATE TABLE public.counters (
    id integer PRIMARY KEY,
    value public.positive,
    percent text DEFAULT '100%',
    colon text DEFAULT 'a :b'
);
CREATE TABLE public.measurements (
    city_id integer NOT NULL,
    logdate date NOT NULL,
    peaktemp integer,
    PRIMARY KEY (city_id, logdate)
) PARTITION BY RANGE (logdate);
CREATE TABLE public.measurements_2024 PARTITION OF public.measurements
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
