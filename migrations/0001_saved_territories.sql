-- Saved territories of porteurs: a name, the definition (codes, drawn GeoJSON or EPCI),
-- the optional missions chosen, the author, and UTC timestamps (RFC 3339, milliseconds).
CREATE TABLE saved_territory (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    -- JSON: {"codes": ["13001", ...]} | {"geojson": {...}} | {"epci": "200054807"}
    spec        TEXT NOT NULL CHECK (json_valid(spec)),
    -- JSON array of mission ids of the funding grid
    missions    TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(missions)),
    author      TEXT NOT NULL CHECK (length(trim(author)) > 0),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE INDEX saved_territory_author ON saved_territory (author);
