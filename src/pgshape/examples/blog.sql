-- pgshape example: a small blog, written the way a careful reviewer would want it.
-- Users write posts; posts have comments (with replies) and tags; soft delete on posts.

CREATE EXTENSION IF NOT EXISTS citext;

CREATE TYPE public.post_status AS ENUM ('draft', 'published', 'archived');

CREATE FUNCTION public.set_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TABLE public.app_user (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email citext NOT NULL,
    display_name text NOT NULL,
    password_hash text NOT NULL,
    is_admin boolean NOT NULL DEFAULT false,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT app_user_email_key UNIQUE (email),
    CONSTRAINT app_user_display_name_check CHECK (length(display_name) BETWEEN 1 AND 80)
);
COMMENT ON TABLE public.app_user IS 'People who can sign in.';
COMMENT ON COLUMN public.app_user.email IS 'pii: contact address, unique case-insensitively';

CREATE TABLE public.post (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id bigint NOT NULL REFERENCES public.app_user (id) ON DELETE RESTRICT,
    title text NOT NULL,
    slug text NOT NULL,
    body text NOT NULL DEFAULT '',
    status public.post_status NOT NULL DEFAULT 'draft',
    published_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    deleted_at timestamp with time zone,
    CONSTRAINT post_published_at_check CHECK (status <> 'published' OR published_at IS NOT NULL)
);
COMMENT ON TABLE public.post IS 'Articles; soft-deleted rows keep their slug reserved only while alive.';
CREATE INDEX post_author_id_idx ON public.post (author_id) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX post_slug_key ON public.post (slug) WHERE deleted_at IS NULL;
CREATE INDEX post_published_idx ON public.post (published_at DESC) INCLUDE (title)
    WHERE status = 'published' AND deleted_at IS NULL;

CREATE TABLE public.comment (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id bigint NOT NULL REFERENCES public.post (id) ON DELETE CASCADE,
    author_id bigint REFERENCES public.app_user (id) ON DELETE SET NULL,
    parent_id bigint REFERENCES public.comment (id) ON DELETE CASCADE,
    body text NOT NULL,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now()
);
CREATE INDEX comment_post_id_idx ON public.comment (post_id);
CREATE INDEX comment_author_id_idx ON public.comment (author_id);
CREATE INDEX comment_parent_id_idx ON public.comment (parent_id);

CREATE TABLE public.tag (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT tag_name_key UNIQUE (name)
);

CREATE TABLE public.post_tag (
    post_id bigint NOT NULL REFERENCES public.post (id) ON DELETE CASCADE,
    tag_id bigint NOT NULL REFERENCES public.tag (id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, tag_id)
);
CREATE INDEX post_tag_tag_id_idx ON public.post_tag (tag_id);

CREATE TRIGGER app_user_set_updated_at BEFORE UPDATE ON public.app_user
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER post_set_updated_at BEFORE UPDATE ON public.post
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER comment_set_updated_at BEFORE UPDATE ON public.comment
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE VIEW public.published_post AS
    SELECT p.id, p.title, p.slug, p.published_at, u.display_name AS author
    FROM public.post p JOIN public.app_user u ON u.id = p.author_id
    WHERE p.status = 'published' AND p.deleted_at IS NULL;
