-- Dealership inventory. Prices in whole US dollars; times ISO-8601 UTC text.
CREATE TABLE vehicles (
  id INTEGER PRIMARY KEY NOT NULL,
  vin TEXT NOT NULL UNIQUE,
  year INTEGER NOT NULL,
  make TEXT NOT NULL,
  model TEXT NOT NULL,
  trim TEXT,
  body TEXT NOT NULL,
  color TEXT,
  mileage INTEGER NOT NULL DEFAULT 0 CHECK (mileage >= 0),
  price INTEGER NOT NULL CHECK (price >= 0),
  status TEXT NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'sold', 'in_service')),
  location TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX vehicles_make_id ON vehicles (lower(make), id);
CREATE INDEX vehicles_make_model_year ON vehicles (lower(make), lower(model), year);
CREATE INDEX vehicles_status_price ON vehicles (status, price);
CREATE INDEX vehicles_body ON vehicles (body);
-- Callers may key in the last six characters of the VIN (positions 12-17).
CREATE INDEX vehicles_serial ON vehicles (substr(vin, 12, 6));
