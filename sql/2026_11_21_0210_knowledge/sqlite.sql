-- The dealership FAQ the agent answers from: config/knowledge/*.md split into heading sections,
-- searched with FTS5 (kept in sync by triggers; an external-content table stores no text twice).
CREATE TABLE knowledge_sections (
  id INTEGER PRIMARY KEY NOT NULL,
  source TEXT NOT NULL,
  position INTEGER NOT NULL,
  heading TEXT NOT NULL,
  body TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (source, position)
);
CREATE VIRTUAL TABLE knowledge_sections_fts USING fts5(heading, body, content='knowledge_sections', content_rowid='id', tokenize='porter unicode61');
CREATE TRIGGER knowledge_sections_ai AFTER INSERT ON knowledge_sections BEGIN
  INSERT INTO knowledge_sections_fts (rowid, heading, body) VALUES (new.id, new.heading, new.body);
END;
CREATE TRIGGER knowledge_sections_ad AFTER DELETE ON knowledge_sections BEGIN
  INSERT INTO knowledge_sections_fts (knowledge_sections_fts, rowid, heading, body) VALUES ('delete', old.id, old.heading, old.body);
END;
CREATE TRIGGER knowledge_sections_au AFTER UPDATE ON knowledge_sections BEGIN
  INSERT INTO knowledge_sections_fts (knowledge_sections_fts, rowid, heading, body) VALUES ('delete', old.id, old.heading, old.body);
  INSERT INTO knowledge_sections_fts (rowid, heading, body) VALUES (new.id, new.heading, new.body);
END;
