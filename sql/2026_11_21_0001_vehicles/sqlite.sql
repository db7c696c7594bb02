-- Dealership inventory. Prices in whole US dollars; times ISO-8601 UTC text.
CREATE TABLE vehicles (
  id INTEGER PRIMARY KEY NOT NULL,
  vin TEXT NOT NULL UNIQUE,
  year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2100),
  make TEXT NOT NULL,
  model TEXT NOT NULL,
  trim TEXT,
  body TEXT NOT NULL CHECK (body IN ('sedan', 'coupe', 'hatchback', 'wagon', 'convertible', 'suv', 'truck', 'van', 'minivan')),
  color TEXT,
  mileage INTEGER NOT NULL DEFAULT 0 CHECK (mileage >= 0),
  price INTEGER NOT NULL CHECK (price >= 0),
  status TEXT NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'sold', 'in_service')),
  location TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
-- The API lists by make in id order (keyset pages): one index walk, no sort.
CREATE INDEX vehicles_make_id ON vehicles (lower(make), id);
CREATE INDEX vehicles_make_model_year ON vehicles (lower(make), lower(model), year);
-- The agent searches available stock by price; the console lists by status in id order.
CREATE INDEX vehicles_status_price ON vehicles (status, price);
CREATE INDEX vehicles_status_id ON vehicles (status, id);
CREATE INDEX vehicles_body ON vehicles (body, id);
-- Callers may key in the last six characters of the VIN (positions 12-17).
CREATE INDEX vehicles_serial ON vehicles (substr(vin, 12, 6));
