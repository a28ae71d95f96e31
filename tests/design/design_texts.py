"""Design files shared by the design-file tests."""

from __future__ import annotations

BLOG = """\
version: 1
project:
  primary_key: {pk}
  target: {target}
  timestamps: false
enums:
  post_status: [draft, published, archived]
tables:
  app_user:
    comment: People who write.
    columns:
      email: text unique
      display_name: varchar(80)
      bio: text?
  post:
    columns:
      author_id: references app_user
      title: text
      slug: {{type: varchar(200), unique: true}}
      status: {{enum: post_status, default: draft}}
      price: {{type: "numeric(12,2)", check: "price >= 0", default: 0}}
      tags: text[]
      published_at: timestamptz?
    indexes:
      - [author_id, published_at desc]
      - {{columns: ["lower(title)"]}}
      - {{columns: [tags], method: gin}}
      - {{columns: [published_at], method: brin, name: post_published_brin}}
      - {{columns: [status], where: "status = 'published'", include: [title]}}
    unique:
      - {{columns: [author_id, title], where: "status <> 'archived'"}}
    checks:
      title_not_blank: "title <> ''"
  comment:
    comment: Replies to posts and to other comments.
    columns:
      post_id: {{references: post, on_delete: cascade}}
      parent_id: {{references: comment, nullable: true, on_delete: cascade}}
      body: {{type: text, comment: Markdown.}}
  post_tag:
    columns:
      post_id: {{references: post, on_delete: cascade}}
      tag: text
    primary_key: [post_id, tag]
"""


def blog(pk: str = "bigint", target: int = 18) -> str:
    return BLOG.format(pk=pk, target=target)
